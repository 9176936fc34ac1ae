/**
 * Lambda managed runtimes and their deprecation schedule.
 *
 * Source: "Lambda runtimes", https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html (supported and
 * deprecated runtime tables: deprecation date, block function create, block function update), checked
 * 2026-11-23 and cross-checked with endoflife.date/aws-lambda and tflint-ruleset-aws, which track that page.
 * A `null` block date is one the page did not list or that could not be confirmed; AWS has moved block dates
 * before, the deprecation dates are the ones the advisor relies on.
 *
 * Trusted Advisor warns 120 days ahead of a deprecation (docs.aws.amazon.com/awssupport, "AWS Lambda Functions
 * Using Deprecated Runtimes"); `runtimeStatus` uses the same default.
 */
import type { EpochMs } from "@/lib/core/units";

export type RuntimeOs = "Amazon Linux" | "Amazon Linux 2" | "Amazon Linux 2023";

export interface RuntimeInfo {
  id: string;
  name: string;
  os: RuntimeOs;
  /** ISO dates (UTC). null: no date announced. */
  deprecation: string | null;
  blockCreate: string | null;
  blockUpdate: string | null;
}

const r = (
  id: string,
  name: string,
  os: RuntimeOs,
  deprecation: string | null,
  blockCreate: string | null,
  blockUpdate: string | null,
): RuntimeInfo => ({ id, name, os, deprecation, blockCreate, blockUpdate });

const AL1 = "Amazon Linux";
const AL2 = "Amazon Linux 2";
const AL2023 = "Amazon Linux 2023";

export const RUNTIMES_CHECKED_ON = "2026-11-23";

export const RUNTIMES: readonly RuntimeInfo[] = [
  // Supported (dates are AWS's projections)
  r("nodejs24.x", "Node.js 24", AL2023, "2028-04-30", "2028-06-01", "2028-07-01"),
  r("nodejs22.x", "Node.js 22", AL2023, "2027-04-30", "2027-06-01", "2027-07-01"),
  r("python3.14", "Python 3.14", AL2023, "2029-06-30", "2029-07-31", "2029-08-31"),
  r("python3.13", "Python 3.13", AL2023, "2029-06-30", "2029-07-31", "2029-08-31"),
  r("python3.12", "Python 3.12", AL2023, "2028-10-31", "2028-11-30", "2029-01-10"),
  r("java25", "Java 25", AL2023, "2029-06-30", "2029-07-31", "2029-08-31"),
  r("java21", "Java 21", AL2023, "2029-06-30", "2029-07-31", "2029-08-31"),
  r("dotnet10", ".NET 10", AL2023, "2028-11-14", "2028-12-14", "2029-01-15"),
  r("ruby3.4", "Ruby 3.4", AL2023, "2028-03-31", "2028-04-30", "2028-05-31"),
  r("ruby3.3", "Ruby 3.3", AL2023, "2027-03-31", "2027-04-30", "2027-05-31"),
  r("provided.al2023", "OS-only runtime (AL2023)", AL2023, "2029-06-30", "2029-07-31", "2029-08-31"),
  // Deprecated during 2026
  r("dotnet8", ".NET 8", AL2023, "2026-11-10", "2026-12-10", "2027-01-11"),
  r("python3.11", "Python 3.11", AL2, "2026-06-30", "2026-07-31", "2026-08-31"),
  r("python3.10", "Python 3.10", AL2, "2026-06-30", "2026-07-31", "2026-08-31"),
  r("java17", "Java 17", AL2, "2026-06-30", "2026-07-31", "2026-08-31"),
  r("java11", "Java 11", AL2, "2026-06-30", "2026-07-31", "2026-08-31"),
  r("java8.al2", "Java 8", AL2, "2026-06-30", "2026-07-31", "2026-08-31"),
  r("provided.al2", "OS-only runtime (AL2)", AL2, "2026-06-30", "2026-07-31", "2026-08-31"),
  r("nodejs20.x", "Node.js 20", AL2023, "2026-04-30", "2026-06-01", "2026-07-01"),
  r("ruby3.2", "Ruby 3.2", AL2, "2026-03-31", "2026-04-30", "2026-05-31"),
  // Deprecated earlier
  r("python3.9", "Python 3.9", AL2, "2025-12-15", null, null),
  r("nodejs18.x", "Node.js 18", AL2, "2025-09-01", "2025-10-01", "2025-11-01"),
  r("dotnet6", ".NET 6", AL2, "2024-12-20", null, "2025-11-01"),
  r("python3.8", "Python 3.8", AL2, "2024-10-14", null, "2025-11-01"),
  r("nodejs16.x", "Node.js 16", AL2, "2024-06-12", null, "2025-11-01"),
  r("dotnet7", ".NET 7 (container only)", AL2, "2024-05-14", null, null),
  r("java8", "Java 8 (AL1)", AL1, "2024-01-08", null, "2025-11-01"),
  r("go1.x", "Go 1.x", AL1, "2024-01-08", null, "2025-11-01"),
  r("provided", "OS-only runtime (AL1)", AL1, "2024-01-08", null, "2025-11-01"),
  r("ruby2.7", "Ruby 2.7", AL2, "2023-12-07", null, "2025-11-01"),
  r("nodejs14.x", "Node.js 14", AL2, "2023-12-04", null, "2025-11-01"),
  r("python3.7", "Python 3.7", AL1, "2023-12-04", null, "2025-11-01"),
  r("dotnetcore3.1", ".NET Core 3.1", AL2, "2023-04-03", null, "2023-05-03"),
  r("nodejs12.x", "Node.js 12", AL2, "2023-03-31", null, "2023-04-30"),
  r("python3.6", "Python 3.6", AL1, "2022-07-18", null, "2022-08-29"),
  r("dotnetcore2.1", ".NET Core 2.1", AL1, "2022-01-05", null, "2022-04-13"),
  r("nodejs10.x", "Node.js 10", AL2, "2021-07-30", null, "2022-02-14"),
  r("ruby2.5", "Ruby 2.5", AL1, "2021-07-30", null, "2022-03-31"),
  r("python2.7", "Python 2.7", AL1, "2021-07-15", null, "2022-05-30"),
];

const BY_ID: ReadonlyMap<string, RuntimeInfo> = new Map(RUNTIMES.map((x) => [x.id, x]));

export const runtimeInfo = (runtime: string): RuntimeInfo | undefined => BY_ID.get(runtime);

/** Midnight UTC of an ISO date, as epoch ms. */
export const isoDateToEpoch = (iso: string): EpochMs => Date.parse(`${iso}T00:00:00Z`) as EpochMs;

export type RuntimeStatus = "supported" | "deprecating-soon" | "deprecated" | "unknown";

export interface RuntimeStatusResult {
  status: RuntimeStatus;
  info?: RuntimeInfo;
  /** Whole days from `now` to the deprecation date (negative once past); null when none is announced. */
  daysUntilDeprecation: number | null;
}

const DAY_MS = 86_400_000;

/**
 * Deprecated on or after the deprecation date (AWS: "the date on which the runtime becomes deprecated");
 * deprecating-soon within `warnWithinDays` before it. A runtime missing from the table is "unknown": never
 * flagged as deprecated on a guess.
 */
export function runtimeStatus(runtime: string, now: EpochMs, warnWithinDays = 120): RuntimeStatusResult {
  const info = BY_ID.get(runtime);
  if (!info) return { status: "unknown", daysUntilDeprecation: null };
  if (info.deprecation === null) return { status: "supported", info, daysUntilDeprecation: null };
  const until = isoDateToEpoch(info.deprecation) - now;
  const days = Math.floor(until / DAY_MS);
  if (until <= 0) return { status: "deprecated", info, daysUntilDeprecation: days };
  if (until <= warnWithinDays * DAY_MS)
    return { status: "deprecating-soon", info, daysUntilDeprecation: days };
  return { status: "supported", info, daysUntilDeprecation: days };
}

/** arm64 (Graviton) exists for every Amazon Linux 2 and 2023 runtime, never for Amazon Linux 1 ones. */
export function supportsArm64(runtime: string): boolean {
  const info = BY_ID.get(runtime);
  return info !== undefined && info.os !== AL1;
}

/** The newest supported runtime of the same language family, to recommend on upgrade. */
export function suggestedUpgrade(runtime: string, now: EpochMs): string | undefined {
  const family = runtime.replace(/[\d.]+(x|al2|al2023)?$/, "").replace(/\.$/, "");
  const candidates = RUNTIMES.filter(
    (x) => x.id !== runtime && x.id.startsWith(family) && runtimeStatus(x.id, now).status === "supported",
  );
  // The table lists supported runtimes newest first.
  return candidates[0]?.id;
}
