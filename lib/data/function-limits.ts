/**
 * A function's "Limits used" rows (the model is lib/core/limits.ts). Sizes and settings come from its
 * configuration and need no telemetry (`functionLimits`, part of the cached function detail); the runtime rows
 * measure the page's window from the collector's store (`measuredLimits`): p99 and max duration from REPORT
 * lines against the timeout, max memory used against the memory size, peak ConcurrentExecutions against
 * reserved concurrency or the account's unreserved pool. Whatever the store cannot back is said, with why.
 */
import type { Outcome } from "@/lib/core/errors";
import { formatCount, formatMb, formatSpan } from "@/lib/core/format";
import type { AccountSettings, FunctionConfig } from "@/lib/core/lambda/types";
import {
  configLimitRows,
  runtimeLimitRows,
  type ConcurrencyCeiling,
  type LimitRow,
  type Reading,
  type RuntimeEvidence,
} from "@/lib/core/limits";
import type { SourceCoverage } from "@/lib/core/rollup/coverage";
import type { FunctionLogs, FunctionMetrics, FunctionTelemetry } from "./telemetry/function";

export type { LimitRow } from "@/lib/core/limits";
/** The detail's rows; kept as a name for lib/data/functions.ts. */
export type LimitUsage = LimitRow;

export const functionLimits = configLimitRows;

/** What the rows read of the page's store-backed telemetry. */
type LogsEvidence = Pick<FunctionLogs, "listed" | "sharedWith" | "coverage"> & {
  stats: Pick<
    FunctionLogs["stats"],
    "invocations" | "p99Duration" | "maxDuration" | "maxMemoryUsed" | "memorySize" | "timeouts"
  >;
};
type MetricsEvidence = Pick<FunctionMetrics, "listed" | "coverage" | "concurrency">;

const unavailable = (why: string) => ({ ok: false, why }) as const;
const reading = <T extends number>(v: T | null, why: string): Reading<T> =>
  v === null ? unavailable(why) : { ok: true, value: v };

/** Why the store has nothing to say for this function and window, or null when it has data. */
function notCollected(listed: boolean, coverage: SourceCoverage | undefined, source: string): string | null {
  if (!listed) return "the collector has not listed this function yet";
  if (!coverage || coverage.coveredMs === 0) return `${source} not collected for this range yet`;
  return null;
}

/** "over 2.5 h of 24 h collected" when the store covers only part of the window. */
function partial(coverage: SourceCoverage | undefined): string | undefined {
  if (!coverage) return undefined;
  const span = coverage.window.to - coverage.window.from;
  return coverage.coveredMs < span
    ? `Over the ${formatSpan(coverage.coveredMs)} of ${formatSpan(span)} collected.`
    : undefined;
}

/** A store source that did not load: its own words when it says what is missing, else which failure. */
const failed = (source: string, e: { code: string; message: string }) =>
  e.code === "Unavailable" ? e.message : `${source} failed to load (${e.code}): ${e.message}`;

const joinNotes = (...notes: (string | undefined)[]) => notes.filter(Boolean).join(" ") || undefined;

function fromLogs(
  logs: Outcome<LogsEvidence>,
  config: Pick<FunctionConfig, "memory">,
): Pick<RuntimeEvidence, "p99Duration" | "maxDuration" | "maxMemoryUsed"> & {
  notes: RuntimeEvidence["notes"];
} {
  const none = (why: string) => ({
    p99Duration: unavailable(why),
    maxDuration: unavailable(why),
    maxMemoryUsed: unavailable(why),
    notes: {},
  });
  if (!logs.ok) return none(failed("REPORT-line rollups", logs.error));
  const l = logs.value;
  const coverage = l.coverage[0];
  const missing = notCollected(l.listed, coverage, "REPORT lines");
  if (missing) return none(missing);
  // A shared group's REPORT lines do not name their function: its figures are not this function's.
  if (l.sharedWith.length > 0)
    return none(
      `log group shared with ${l.sharedWith.join(", ")}: its REPORT lines are not this function's alone`,
    );
  const s = l.stats;
  if (s.invocations === 0) return none("no REPORT lines in the collected part of this range");
  const over = partial(coverage);
  const timeouts = s.timeouts > 0 ? `${formatCount(s.timeouts)} timed out in this range.` : undefined;
  const resized =
    s.memorySize !== null && s.memorySize !== config.memory
      ? `REPORT lines say ${formatMb(s.memorySize)}: the memory size changed within this range.`
      : undefined;
  return {
    p99Duration: reading(s.p99Duration, "no duration in the REPORT lines read"),
    maxDuration: reading(s.maxDuration, "no duration in the REPORT lines read"),
    maxMemoryUsed: reading(s.maxMemoryUsed, "no Max Memory Used in the REPORT lines read"),
    notes: {
      "timeout-p99": over,
      "timeout-max": joinNotes(timeouts, over),
      "memory-used": joinNotes(resized, over),
    },
  };
}

function peakConcurrency(metrics: Outcome<MetricsEvidence>): { peak: Reading; note?: string } {
  if (!metrics.ok) return { peak: unavailable(failed("metrics", metrics.error)) };
  const m = metrics.value;
  const coverage = m.coverage[0];
  const missing = notCollected(m.listed, coverage, "metrics");
  if (missing) return { peak: unavailable(missing) };
  let peak: number | null = null;
  for (const p of m.concurrency) if (p.v !== null && (peak === null || p.v > peak)) peak = p.v;
  return {
    // CloudWatch emits no ConcurrentExecutions while a function is idle: missing is not zero.
    peak: reading(peak, "no ConcurrentExecutions datapoint in the collected part of this range"),
    note: partial(coverage),
  };
}

function ceilingOf(reserved: number | null, account: Outcome<AccountSettings>): ConcurrencyCeiling {
  if (reserved !== null) return { kind: "reserved", value: reserved };
  if (!account.ok) return { kind: "unknown", why: `account settings unavailable (${account.error.code})` };
  return { kind: "unreserved-pool", value: account.value.unreservedConcurrentExecutions };
}

export interface MeasuredLimitsInput {
  config: Pick<FunctionConfig, "timeout" | "memory">;
  reservedConcurrency: number | null;
  account: Outcome<AccountSettings>;
  metrics: Outcome<MetricsEvidence>;
  logs: Outcome<LogsEvidence>;
}

export function measuredLimits(input: MeasuredLimitsInput): LimitRow[] {
  const { config } = input;
  const fromReports = fromLogs(input.logs, config);
  const concurrency = peakConcurrency(input.metrics);
  const ceiling = ceilingOf(input.reservedConcurrency, input.account);
  const pooled =
    ceiling.kind === "unreserved-pool"
      ? "The pool is shared by every function without reserved concurrency."
      : undefined;
  return runtimeLimitRows({
    timeout: config.timeout,
    memory: config.memory,
    ...fromReports,
    peakConcurrency: concurrency.peak,
    ceiling,
    notes: { ...fromReports.notes, "concurrency-peak": joinNotes(pooled, concurrency.note) },
  });
}

/** The runtime rows once the page's store-backed telemetry has settled (never rejects: sources are Outcomes). */
export async function loadMeasuredLimits(
  detail: Omit<MeasuredLimitsInput, "metrics" | "logs">,
  telemetry: Pick<FunctionTelemetry, "metrics" | "logs">,
): Promise<LimitRow[]> {
  const [metrics, logs] = await Promise.all([telemetry.metrics, telemetry.logs]);
  return measuredLimits({ ...detail, metrics, logs });
}
