/**
 * The advisor's contract: what the data layer collects for one function (AdvisorInput), and what a rule says
 * about it (Flag). Every observed number names its source so collection can be planned once per fleet:
 * [metric Stat] = CloudWatch AWS/Lambda metric with that statistic over the window,
 * [logs] = Logs Insights over the function's log group (LoggingConfig, never assumed) on REPORT lines /
 * platform.report records. `null` means "not collected / no datapoints", which is never read as zero.
 */
import type { AccountSettings, Alias, FunctionConfig, ProvisionedConcurrency } from "@/lib/core/lambda/types";
import type { AsyncConfig, EventSourceMapping } from "@/lib/core/triggers/types";
import type { Bytes, EpochMs, MicroUsd, Mb, Ms, Ratio, Seconds } from "@/lib/core/units";
import type { Window } from "@/lib/core/pricing/cost";
import type { MissingEvidence } from "./evidence";

export type { Window };

export interface DurationStats {
  /** [metric Duration p50/p99/p99.9/Maximum/Average], dimension FunctionName. Excludes INIT. */
  p50: Ms | null;
  p99: Ms | null;
  p999: Ms | null;
  max: Ms | null;
  avg: Ms | null;
}

export interface DayStats {
  /**
   * Start of the day: live, the window's start + k·24 h (the metrics' daily datapoints); from the store, a UTC
   * midnight (the first and last days may be partial).
   */
  day: EpochMs;
  /** [metric Invocations Sum], [metric Errors Sum], [metric Throttles Sum], period 1 day. */
  invocations: number;
  errors: number;
  throttles: number;
  /**
   * [logs] REPORT / platform.report records with status timeout, counted per hour and added up into the day;
   * null: unknown (logs not read, or the hourly counts could not be read whole).
   */
  timeouts: number | null;
}

export interface VersionStats {
  /** [metric Invocations/Errors Sum] with dimensions FunctionName + Resource + ExecutedVersion. */
  version: string;
  invocations: number;
  errors: number;
}

export interface ProvisionedStats {
  qualifier: string;
  /** [metric ProvisionedConcurrencyUtilization Maximum / Average], FunctionName + Resource. Not emitted while idle. */
  utilisationMax: Ratio | null;
  utilisationAvg: Ratio | null;
  /** [metric ProvisionedConcurrencySpilloverInvocations Sum], FunctionName + Resource; null: not attributable. */
  spilloverInvocations: number | null;
  /** [metric ProvisionedConcurrentExecutions Maximum], FunctionName + Resource. */
  concurrencyMax: number | null;
}

export interface FunctionObservations {
  window: Window;
  /** [metric Invocations Sum] */
  invocations: number;
  /** [metric Errors Sum] (timeouts and OOM kills are errors too) */
  errors: number;
  /** [metric Throttles Sum] */
  throttles: number;
  duration: DurationStats;
  /** [logs] `stats max(@maxMemoryUsed), pct(@maxMemoryUsed, 99)` (bytes in Logs Insights; convert to MB). */
  memoryUsed: { max: Mb | null; p99: Mb | null };
  /** [logs] count of "Task timed out after" lines (or platform.report status "timeout"); null: logs not read. */
  timeouts: number | null;
  /** [logs] `filter @duration >= 0.9 * timeout` count; null if not collected (then p99/p99.9 stand in). */
  nearTimeoutInvocations: number | null;
  /** [logs] "Runtime exited with error: signal: killed" / "Runtime.OutOfMemory" count; null: logs not read. */
  outOfMemory: number | null;
  /**
   * [logs] `filter ispresent(@initDuration) | stats count(), avg(@initDuration), pct(@initDuration, 99)`; count
   * null: logs not read. The store keeps no init distribution: it gives the max instead of p99.
   */
  coldStarts: { count: number | null; avgInitMs: Ms | null; p99InitMs: Ms | null; maxInitMs?: Ms | null };
  /** [metric ConcurrentExecutions Maximum], dimension FunctionName. */
  concurrencyMax: number | null;
  /** [metric UnreservedConcurrentExecutions Maximum], no dimension (account, region). */
  accountUnreservedConcurrencyMax: number | null;
  provisioned: ProvisionedStats[];
  /** [metric IteratorAge Maximum] (stream sources only; null otherwise). */
  iteratorAgeMaxMs: Ms | null;
  /**
   * [metric IteratorAge Maximum] per hour, oldest first; an hour without a datapoint is left out (a gap, not 0).
   * Absent or null: not read (the function has no stream mapping, or the series could not be read).
   */
  iteratorAgeHourly?: IteratorAgePoint[] | null;
  /** [metric AsyncEventsDropped Sum] */
  asyncEventsDropped: number;
  /** [metric DestinationDeliveryFailures Sum]; absent or null: not read, never 0. */
  destinationDeliveryFailures?: number | null;
  /** [metric DeadLetterErrors Sum]; absent or null: not read, never 0. */
  deadLetterErrors?: number | null;
  /** [metric RecursiveInvocationsDropped Sum] */
  recursiveInvocationsDropped: number;
  /** [logs] count of REPORT lines / platform.report records: compared with Invocations for coverage. null = not run. */
  reportCount: number | null;
  perDay: DayStats[];
  /** null: per-version counts were not available (the store keeps none), so canaries cannot be judged. */
  perVersion: VersionStats[] | null;
  /** Unzipped code + layers, when known (the Lambda API does not report it; a build manifest might). */
  unzippedCodeSize: Bytes | null;
}

/** One hour's IteratorAge Maximum: `t` is the hour's start. */
export interface IteratorAgePoint {
  t: EpochMs;
  maxMs: Ms;
}

/**
 * How the function is invoked (issue 13), read for the trigger rules. A part that could not be read is named in
 * `AdvisorInput.missing` (sources "triggers", "async", "queues"), so its rules are listed as not judged.
 */
export interface TriggerSources {
  /** The event source mappings that invoke the function (any qualifier), from ListEventSourceMappings. */
  mappings: EventSourceMapping[];
  /**
   * Asynchronous delivery: the event invoke config (null: none, AWS's defaults apply; undefined: its read failed,
   * `missing.async` says why) and the dead-letter target from the function's configuration (null: none).
   * null: not read — it is read only for functions whose async metrics show activity.
   */
  async: { config?: AsyncConfig | null; deadLetterTarget: string | null } | null;
  /** Per SQS queue ARN a mapping reads: its visibility timeout (GetQueueAttributes); null: not read. */
  queues: Record<string, { visibilityTimeout: Seconds } | null>;
}

export interface AdvisorInput {
  /** $LATEST configuration. */
  config: FunctionConfig;
  /** Published versions' configurations (runtime deprecation is checked per version). */
  versions: FunctionConfig[];
  aliases: Alias[];
  provisionedConcurrency: ProvisionedConcurrency[];
  /** GetFunctionConcurrency: null when unreserved. */
  reservedConcurrency: number | null;
  account: AccountSettings | null;
  observed: FunctionObservations;
  /** Event sources and async delivery; absent: not read (the trigger rules are then not judged). */
  sources?: TriggerSources;
  /** Sources that could not be read for this function, with why: the rules needing them are not judged. */
  missing?: MissingEvidence;
  /** Why the observations cover less than the window asked; telemetry flags are then never "high". */
  partial?: string | null;
}

export type Severity = "critical" | "warning" | "info";
export type ConfidenceLevel = "high" | "medium" | "low";

/** `date`: epoch ms (e.g. a runtime's deprecation day); `ms/h`: growth of a duration per hour (a lag's slope). */
export type EvidenceUnit =
  | "ms"
  | "s"
  | "MB"
  | "bytes"
  | "count"
  | "ratio"
  | "usd"
  | "days"
  | "hours"
  | "ms/h"
  | "concurrency"
  | "date";

export interface EvidenceNumber {
  value: number;
  unit: EvidenceUnit;
}

export type Recommendation =
  | { kind: "set-memory"; memory: Mb }
  | { kind: "set-timeout"; timeout: Seconds }
  | { kind: "set-provisioned-concurrency"; qualifier: string; concurrency: number }
  | { kind: "set-reserved-concurrency"; concurrency: number }
  | { kind: "upgrade-runtime"; from: string; to: string | null }
  | { kind: "switch-architecture"; to: "arm64" }
  | { kind: "shrink-package" }
  | { kind: "set-parallelization-factor"; mappingUuid: string; factor: number }
  | { kind: "set-batch-size"; mappingUuid: string; batchSize: number }
  | { kind: "set-visibility-timeout"; queueArn: string; timeout: Seconds }
  | { kind: "add-failure-destination" }
  | { kind: "investigate" }
  /** Open the Errors view narrowed to the flag's function (and region): the UI renders it as a link. */
  | { kind: "open-errors" }
  | { kind: "improve-telemetry" };

export type RuleId =
  | "memory-over-provisioned"
  | "memory-near-limit"
  | "timeout-near"
  | "timeouts"
  | "timeout-over-generous"
  | "errors"
  | "throttles"
  | "concurrency-near-limit"
  | "cold-starts"
  | "provisioned-idle"
  | "provisioned-spillover"
  | "deprecated-runtime"
  | "code-size"
  | "env-vars-size"
  | "account-code-storage"
  | "iterator-age"
  | "stream-falling-behind"
  | "async-delivery"
  | "sqs-visibility-timeout"
  | "sqs-batch-timeout"
  | "event-source-mapping-state"
  | "recursive-invocations-dropped"
  | "arm64-move"
  | "data-coverage";

export interface Flag {
  ruleId: RuleId;
  /** null for account-wide flags (code storage). */
  functionName: string | null;
  region: string;
  qualifier?: string;
  severity: Severity;
  title: string;
  evidence: { window: Window; numbers: Record<string, EvidenceNumber>; invocationsSeen: number };
  confidence: { level: ConfidenceLevel; why: string };
  recommendation: { text: string; action: Recommendation };
  /**
   * Saving (positive) or cost/risk at stake per month, and what the figure rests on. `lowerBound`: the cost it
   * is built on leaves out the parts named in `missing` ("init: …"), so the true figure is at least `amount`.
   */
  monthlyImpact: {
    amount: MicroUsd;
    kind: "saving" | "cost" | "at-risk" | "none";
    basis: string;
    lowerBound?: true;
    missing?: string[];
  };
  /** Rules about the same concern folded into this flag (merge.ts): one recommendation for them all. */
  merged?: RuleId[];
}
