/**
 * The simulator's output: the ground truth every sandbox service renders from. CloudWatch aggregates these
 * records into metrics, CloudWatch Logs renders them as START/END/REPORT and application lines, X-Ray renders
 * them as segment documents. Because all three read the same records, the signals agree by construction.
 *
 * Invariants:
 * - Deterministic: the same (account seed, function, minute, alias history) always yields the same records.
 * - A minute's records depend only on that minute and earlier state (alias history, environment warmth),
 *   so history is stable as the clock moves forward.
 * - Throttled requests produce no Invocation (as on AWS: throttles are not counted in Invocations and write no
 *   REPORT line); they are counted in MinuteRecord.throttles.
 */
import type { SimFunction } from "../fleet/model";

export type Outcome = "success" | "error" | "timeout" | "oom";

export interface DownstreamSpan {
  kind: "dynamodb" | "s3" | "sqs" | "http";
  resource: string;
  operation: string;
  /** Offset from the invocation start (after init), ms. */
  offsetMs: number;
  durationMs: number;
  outcome: "ok" | "error" | "fault" | "throttle";
  httpStatus: number;
}

export interface Invocation {
  requestId: string; // uuid v4 shape
  /** X-Ray trace id, `1-<8 hex epoch seconds>-<24 hex>`. */
  traceId: string;
  /** 16 hex chars: the function segment id, also printed as SegmentId on the REPORT line. */
  segmentId: string;
  sampled: boolean;
  functionName: string;
  region: string;
  /** The version that executed ("$LATEST" or "N"). */
  version: string;
  /** The alias the request was invoked through, or null for unqualified/$LATEST. */
  alias: string | null;
  /** When the request arrived (epoch ms). Init, if any, starts here; the handler starts after init. */
  startMs: number;
  initDurationMs: number | null; // set only on cold starts (null on a SnapStart restore)
  /** SnapStart (absent = none): a cold start of a published version restores a snapshot instead (Restore Duration, ms). */
  restoreDurationMs?: number | null;
  /** Billed Restore Duration: whole ms, the runtime load and after-restore hooks (not the snapshot load). */
  billedRestoreDurationMs?: number | null;
  durationMs: number; // handler duration, 2 decimals, excludes init (as the Duration metric does)
  billedDurationMs: number; // ceil(duration), or ceil(duration + init) on a cold start where INIT is billed
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  outcome: Outcome;
  errorType: string | null;
  errorMessage: string | null;
  /** Execution environment id (32 hex); the log stream is `YYYY/MM/DD/[version]<environmentId>`. */
  environmentId: string;
  logStreamName: string;
  downstream: DownstreamSpan[];
}

export interface MinuteRecord {
  minuteMs: number; // start of the minute, epoch ms, aligned to 60 000
  invocations: Invocation[]; // ordered by startMs
  throttles: number;
  /** Peak concurrent executions during the minute. */
  concurrency: number;
  /** Provisioned concurrency in force (sum over qualifiers), and how many invocations spilled over it. */
  provisionedConcurrency: number;
  provisionedSpillover: number;
}

/** One executed version's share of a minute, for metrics: what `minute()` would give, without building strings. */
export interface VersionMinuteSummary {
  version: string;
  invocations: number;
  /** Function errors, timeouts and OOM kills (what the Errors metric counts). */
  errors: number;
  /** Handler durations, ms, in start order. */
  durationsMs: number[];
  provisionedSpillover: number;
}

export interface MinuteSummary {
  minuteMs: number;
  /** The alias the traffic went through (null when unqualified). */
  alias: string | null;
  versions: VersionMinuteSummary[];
  /** All versions' handler durations summed in start order, so it equals a sum over the invocations bit for bit. */
  durationSumMs: number;
  throttles: number;
  concurrency: number;
  provisionedConcurrency: number;
  provisionedSpillover: number;
}

export interface Simulator {
  /** One minute of one function. `minuteMs` must be aligned to 60 000 and not in the future. */
  minute(fn: SimFunction, minuteMs: number): MinuteRecord;
  /** All minutes overlapping [fromMs, toMs), oldest first, capped at the simulator's "now". */
  minutes(fn: SimFunction, fromMs: number, toMs: number): MinuteRecord[];
  /**
   * Metric-only view of `minute()` (same counts, durations, throttles, concurrency and spillover), far cheaper:
   * no ids, cold starts or strings. Complete minutes are cached and the same object is returned while valid:
   * treat it as read-only (consumers may key their own derived data on its identity). Optional so test
   * doubles need not implement it; createSimulator does.
   */
  summary?(fn: SimFunction, minuteMs: number): MinuteSummary;
}
