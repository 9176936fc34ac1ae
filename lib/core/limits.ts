/**
 * Lambda quotas the advisor measures functions against.
 * Source: "Lambda quotas", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (checked
 * 2026-11-23). Sizes are binary (1 MB = 1024 KB = 1,048,576 bytes), as Lambda counts them.
 */
import type { AccountSettings, FunctionConfig } from "@/lib/core/lambda/types";
import {
  type Bytes,
  type Mb,
  type Ms,
  type Seconds,
  bytes,
  mb,
  seconds,
  secondsToMs,
} from "@/lib/core/units";

export interface Limit<T> {
  value: T;
  cite: string;
}

const QUOTAS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";
const MiB = 1024 * 1024;

export const LIMITS = {
  memoryMin: { value: mb(128), cite: `${QUOTAS} (Function memory allocation: 128 MB to 10,240 MB)` },
  memoryMax: { value: mb(10_240), cite: `${QUOTAS} (Function memory allocation: 128 MB to 10,240 MB)` },
  timeoutMax: { value: seconds(900), cite: `${QUOTAS} (Function timeout: 900 seconds (15 minutes))` },
  envVarsSize: { value: bytes(4 * 1024), cite: `${QUOTAS} (Function environment variables: 4 KB, total)` },
  zippedPackage: {
    value: bytes(50 * MiB),
    cite: `${QUOTAS} (Deployment package (.zip file archive) size: 50 MB zipped, for direct upload)`,
  },
  unzippedPackage: {
    value: bytes(250 * MiB),
    cite: `${QUOTAS} (250 MB unzipped: the maximum size of the contents of a deployment package, including layers)`,
  },
  ephemeralMin: { value: mb(512), cite: `${QUOTAS} (/tmp directory storage: between 512 MB and 10,240 MB)` },
  ephemeralMax: {
    value: mb(10_240),
    cite: `${QUOTAS} (/tmp directory storage: between 512 MB and 10,240 MB)`,
  },
  codeStorage: {
    value: bytes(75 * 1024 * MiB),
    cite: `${QUOTAS} (Storage for uploaded functions (.zip file archives) and layers: 75 GB per Region)`,
  },
  accountConcurrency: {
    value: 1_000,
    cite: `${QUOTAS} (Concurrent executions: 1,000 by default per Region; GetAccountSettings reports the actual)`,
  },
  /** Lambda keeps at least this much of the account pool unreserved. */
  unreservedMinimum: {
    value: 100,
    cite: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html (100 units stay unreserved)",
  },
} as const satisfies Record<string, Limit<Mb | Seconds | Bytes | number>>;

/** The memory size at which a function gets the equivalent of one full vCPU; CPU scales linearly with memory. */
export const ONE_VCPU_MEMORY: Limit<Mb> = {
  value: mb(1_769),
  cite: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html (1,769 MB = one vCPU)",
};

/**
 * The "Limits used" rows of a function page: each says what is measured against what, so a number is never read
 * against the wrong limit (a 30 s timeout is not "3.3 % used" because Lambda allows 900 s).
 *
 * Invariants:
 * - `runtime` rows measure the function where its limits bite, over the page's window: duration against its own
 *   timeout, memory used against its own memory size, peak concurrency against what throttles it.
 * - `quota` rows measure a size against AWS's hard quota; `setting` rows compare a configured value with the
 *   largest Lambda allows, and are labelled as such, never as "used".
 * - A figure the console cannot back is `unavailable` with the reason, never 0 %.
 * - `ratio` is used / limit, not clamped: above 1 means over the limit.
 */
export type LimitUnit = "ms" | "seconds" | "mb" | "bytes" | "count";
export type LimitGroup = "runtime" | "quota" | "setting";

interface LimitRowBase {
  id: string;
  group: LimitGroup;
  /** What is measured ("Duration p99"). */
  measured: string;
  /** What it is measured against ("configured timeout"). */
  against: string;
  unit: LimitUnit;
  note?: string;
}

export type LimitRow = LimitRowBase &
  (
    | { status: "measured"; used: number; limit: number; ratio: number }
    | { status: "unavailable"; why: string }
  );

/** A figure the console has, or why it has none. */
export type Reading<T extends number = number> = { ok: true; value: T } | { ok: false; why: string };

const row = (base: LimitRowBase, used: Reading, limit: Reading): LimitRow => {
  if (!used.ok) return { ...base, status: "unavailable", why: used.why };
  if (!limit.ok) return { ...base, status: "unavailable", why: limit.why };
  // A zero limit cannot be "used" by a share: say what it means instead of dividing.
  if (!(limit.value > 0)) return { ...base, status: "unavailable", why: `the ${base.against} is 0` };
  return {
    ...base,
    status: "measured",
    used: used.value,
    limit: limit.value,
    ratio: used.value / limit.value,
  };
};

const known = <T extends number>(value: T): Reading<T> => ({ ok: true, value });

/** What throttles a function: its reserved concurrency, or the account's unreserved pool it shares. */
export type ConcurrencyCeiling =
  | { kind: "reserved"; value: number }
  | { kind: "unreserved-pool"; value: number }
  | { kind: "unknown"; why: string };

export interface RuntimeEvidence {
  timeout: Seconds;
  memory: Mb;
  /** Over the page's window, from REPORT lines. */
  p99Duration: Reading<Ms>;
  maxDuration: Reading<Ms>;
  maxMemoryUsed: Reading<Mb>;
  /** The largest ConcurrentExecutions (Maximum) over the window. */
  peakConcurrency: Reading;
  ceiling: ConcurrencyCeiling;
  /** Optional per-row remarks (e.g. timeouts observed, partial coverage), by row id. */
  notes?: Partial<Record<"timeout-p99" | "timeout-max" | "memory-used" | "concurrency-peak", string>>;
}

export function runtimeLimitRows(e: RuntimeEvidence): LimitRow[] {
  const timeout = known(secondsToMs(e.timeout));
  const ceiling: Reading =
    e.ceiling.kind === "unknown" ? { ok: false, why: e.ceiling.why } : known(e.ceiling.value);
  const base = (
    id: keyof NonNullable<RuntimeEvidence["notes"]>,
    b: Omit<LimitRowBase, "id" | "group" | "note">,
  ): LimitRowBase => ({ id, group: "runtime", ...b, ...(e.notes?.[id] ? { note: e.notes[id] } : {}) });
  return [
    row(
      base("timeout-p99", { measured: "Duration p99", against: "configured timeout", unit: "ms" }),
      e.p99Duration,
      timeout,
    ),
    row(
      base("timeout-max", { measured: "Duration max", against: "configured timeout", unit: "ms" }),
      e.maxDuration,
      timeout,
    ),
    row(
      base("memory-used", { measured: "Max memory used", against: "configured memory", unit: "mb" }),
      e.maxMemoryUsed,
      known(e.memory),
    ),
    row(
      base("concurrency-peak", {
        measured: "Peak concurrency",
        against: e.ceiling.kind === "reserved" ? "reserved concurrency" : "account's unreserved pool",
        unit: "count",
      }),
      e.peakConcurrency,
      ceiling,
    ),
  ];
}

/** Sizes against AWS's quotas, and settings against Lambda's maximums: no telemetry needed. */
export function configLimitRows(
  config: FunctionConfig,
  reservedConcurrency: number | null,
  account: AccountSettings | null,
): LimitRow[] {
  const quota = (b: Omit<LimitRowBase, "group">, used: number, limit: number) =>
    row({ ...b, group: "quota" }, known(used), known(limit));
  const setting = (b: Omit<LimitRowBase, "group">, used: number, limit: number) =>
    row({ ...b, group: "setting" }, known(used), known(limit));
  const rows: LimitRow[] = [];
  if (config.packageType === "Zip") {
    const layersBytes = config.layers.reduce((sum, l) => sum + l.codeSize, 0);
    rows.push(
      quota(
        {
          id: "package-zipped",
          measured: "Deployment package (zipped)",
          against: "50 MB quota",
          unit: "bytes",
        },
        config.codeSize,
        LIMITS.zippedPackage.value,
      ),
      quota(
        {
          id: "code-and-layers",
          measured: "Code + layers (zipped)",
          against: "250 MB unzipped quota",
          unit: "bytes",
          // The API reports zipped sizes only: a lower bound of the unzipped size, said rather than guessed.
          note: "Zipped sizes against the unzipped limit: the real unzipped size is larger.",
        },
        config.codeSize + layersBytes,
        LIMITS.unzippedPackage.value,
      ),
    );
  }
  rows.push(
    quota(
      { id: "env-vars", measured: "Environment variables", against: "4 KB quota", unit: "bytes" },
      config.envVarsSize,
      LIMITS.envVarsSize.value,
    ),
  );
  if (account && account.codeSizeLimit > 0)
    rows.push(
      quota(
        {
          id: "account-code-storage",
          measured: "Account code storage",
          against: "region quota",
          unit: "bytes",
        },
        account.totalCodeSize,
        account.codeSizeLimit,
      ),
    );
  rows.push(
    setting(
      { id: "timeout-setting", measured: "Timeout setting", against: "900 s maximum", unit: "seconds" },
      config.timeout,
      LIMITS.timeoutMax.value,
    ),
    setting(
      { id: "memory-setting", measured: "Memory setting", against: "10,240 MB maximum", unit: "mb" },
      config.memory,
      LIMITS.memoryMax.value,
    ),
    setting(
      {
        id: "ephemeral-setting",
        measured: "Ephemeral storage (/tmp)",
        against: "10,240 MB maximum",
        unit: "mb",
      },
      config.ephemeralStorage,
      LIMITS.ephemeralMax.value,
    ),
  );
  if (reservedConcurrency !== null && account && account.concurrentExecutions > 0)
    rows.push(
      setting(
        {
          id: "reserved-concurrency",
          measured: "Reserved concurrency",
          against: "account concurrency limit",
          unit: "count",
        },
        reservedConcurrency,
        account.concurrentExecutions,
      ),
    );
  return rows;
}
