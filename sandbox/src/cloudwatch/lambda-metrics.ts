/**
 * What AWS/Lambda publishes, derived from the simulator's MinuteRecords (the ground truth).
 *
 * Invariants:
 * - One MinuteRecord is summarised once (`summariseMinute`) into buckets per dimension set; every metric is read
 *   from those buckets, so Invocations, Errors and Duration of one series always count the same invocations.
 * - Per invocation Lambda emits Invocations = 1 and Errors = 0 or 1 (so Errors Average is the error rate and
 *   Errors SampleCount equals Invocations), and Duration = the handler duration (init excluded). Outcomes error,
 *   timeout and oom all count as Errors. Throttled requests emit Throttles = 1 and no Invocation; Throttles also
 *   gets a 0 per invocation, so a busy minute without throttles reads 0, an idle one has no datapoint.
 * - Dimension sets: {} (region), {FunctionName}, {FunctionName, Resource}, {FunctionName, Resource,
 *   ExecutedVersion}. Resource is `name:alias` for alias invocations and `name:version` for version invocations
 *   (as AWS writes it); unqualified ($LATEST) invocations appear only at function and region level.
 *   ExecutedVersion exists only for alias invocations.
 * - The simulator reports throttles and concurrency per function, so Throttles and ConcurrentExecutions exist at
 *   function and region level only; provisioned-concurrency metrics exist at function level and, when the function
 *   has exactly one provisioned qualifier, for that Resource. They are not emitted while idle (missing ≠ zero).
 * - What feeds a function (IteratorAge, the Async* metrics, DeadLetterErrors, DestinationDeliveryFailures, and the
 *   EventSourceMappingUUID metrics) is derived from these same buckets in source-metrics.ts, only for functions
 *   whose triggers imply it. RecursiveInvocationsDropped and unknown names have no datapoints.
 */
import type { SimFunction } from "../fleet/model";
import type { MinuteRecord, MinuteSummary } from "../sim/types";
import type { Samples } from "./stats";

export const LAMBDA_NAMESPACE = "AWS/Lambda";

export const METRIC_UNITS: Readonly<Record<string, string>> = {
  Invocations: "Count",
  Errors: "Count",
  Throttles: "Count",
  Duration: "Milliseconds",
  ConcurrentExecutions: "Count",
  UnreservedConcurrentExecutions: "Count",
  ClaimedAccountConcurrency: "Count",
  ProvisionedConcurrencyUtilization: "None",
  ProvisionedConcurrencySpilloverInvocations: "Count",
  ProvisionedConcurrentExecutions: "Count",
  IteratorAge: "Milliseconds",
  AsyncEventAge: "Milliseconds",
  AsyncEventsReceived: "Count",
  AsyncEventsDropped: "Count",
  DeadLetterErrors: "Count",
  DestinationDeliveryFailures: "Count",
  RecursiveInvocationsDropped: "Count",
  PolledEventCount: "Count",
  InvokedEventCount: "Count",
  FilteredOutEventCount: "Count",
  FailedInvokeEventCount: "Count",
  DroppedEventCount: "Count",
  OnFailureDestinationDeliveredEventCount: "Count",
};

export interface Dimension {
  Name: string;
  Value: string;
}

export type Scope =
  | { level: "region" }
  | { level: "function"; functionName: string }
  | { level: "resource"; functionName: string; resource: string }
  | { level: "executed"; functionName: string; resource: string; executedVersion: string };

/** The series a dimension set names, or null when Lambda publishes nothing under that set of names. */
export function scopeOf(dimensions: readonly Dimension[]): Scope | null {
  const byName = new Map<string, string>();
  for (const d of dimensions) {
    if (byName.has(d.Name)) return null;
    byName.set(d.Name, d.Value);
  }
  const fn = byName.get("FunctionName");
  const resource = byName.get("Resource");
  const executed = byName.get("ExecutedVersion");
  if (byName.size === 0) return { level: "region" };
  if (fn === undefined) return null;
  if (byName.size === 1) return { level: "function", functionName: fn };
  if (resource === undefined) return null;
  if (byName.size === 2) return { level: "resource", functionName: fn, resource };
  if (executed !== undefined && byName.size === 3) {
    return { level: "executed", functionName: fn, resource, executedVersion: executed };
  }
  return null;
}

/** One series' invocations in one minute. Built once and read by every query (and request) after that. */
export interface Bucket {
  invocations: number;
  errors: number;
  /** The Duration samples (values sorted once, sum added in start order); undefined without invocations. */
  duration: Samples | undefined;
}

export interface FunctionMinute {
  minuteMs: number;
  all: Bucket;
  byResource: Map<string, Bucket>;
  /** Keyed by `executedKey(resource, version)`. */
  byExecuted: Map<string, Bucket>;
  throttles: number;
  concurrency: number;
  provisionedConcurrency: number;
  provisionedSpillover: number;
}

export const executedKey = (resource: string, version: string) => `${resource}\n${version}`;

/** `durations` in start order; `sum` their sum in that order (so Average matches a sum over invocations). */
function bucket(invocations: number, errors: number, durations: ArrayLike<number>, sum: number): Bucket {
  if (invocations === 0) return { invocations, errors, duration: undefined };
  const values = Float64Array.from(durations).sort();
  const max = values[values.length - 1] as number;
  return {
    invocations,
    errors,
    duration: { count: invocations, sum, min: values[0] as number, max, values },
  };
}

const EMPTY_BUCKET: Bucket = { invocations: 0, errors: 0, duration: undefined };

interface Acc {
  invocations: number;
  errors: number;
  durations: number[];
  sum: number;
}

function add(acc: Acc, isError: boolean, durationMs: number): void {
  acc.invocations++;
  if (isError) acc.errors++;
  acc.durations.push(durationMs);
  acc.sum += durationMs;
}

const seal = (a: Acc): Bucket => bucket(a.invocations, a.errors, a.durations, a.sum);

/** The buckets of one simulated minute, read from its invocations (any Simulator, test doubles included). */
export function summariseMinute(rec: MinuteRecord): FunctionMinute {
  const all: Acc = { invocations: 0, errors: 0, durations: [], sum: 0 };
  const byResource = new Map<string, Acc>();
  const byExecuted = new Map<string, Acc>();
  const acc = (m: Map<string, Acc>, key: string): Acc => {
    let a = m.get(key);
    if (!a) m.set(key, (a = { invocations: 0, errors: 0, durations: [], sum: 0 }));
    return a;
  };
  for (const inv of rec.invocations) {
    const isError = inv.outcome !== "success";
    add(all, isError, inv.durationMs);
    const qualifier = inv.alias ?? (inv.version === "$LATEST" ? null : inv.version);
    if (qualifier === null) continue;
    const resource = `${inv.functionName}:${qualifier}`;
    add(acc(byResource, resource), isError, inv.durationMs);
    if (inv.alias === null) continue;
    add(acc(byExecuted, executedKey(resource, inv.version)), isError, inv.durationMs);
  }
  const sealAll = (m: Map<string, Acc>) => new Map([...m].map(([k, a]) => [k, seal(a)]));
  return {
    minuteMs: rec.minuteMs,
    all: seal(all),
    byResource: sealAll(byResource),
    byExecuted: sealAll(byExecuted),
    throttles: rec.throttles,
    concurrency: rec.concurrency,
    provisionedConcurrency: rec.provisionedConcurrency,
    provisionedSpillover: rec.provisionedSpillover,
  };
}

/**
 * The same buckets from the simulator's metric-only summary: one alias (or none) per minute, so the Resource
 * bucket is the whole minute and ExecutedVersion buckets are the versions that ran.
 */
export function summaryMinute(fn: SimFunction, s: MinuteSummary): FunctionMinute {
  let invocations = 0;
  let errors = 0;
  for (const v of s.versions) {
    invocations += v.invocations;
    errors += v.errors;
  }
  const single = s.versions.length === 1;
  const byExecuted = new Map<string, Bucket>();
  let all = EMPTY_BUCKET;
  if (invocations > 0) {
    const durations = single ? s.versions[0]!.durationsMs : s.versions.flatMap((v) => v.durationsMs);
    all = bucket(invocations, errors, durations, s.durationSumMs);
  }
  const byResource = new Map<string, Bucket>();
  // Without an alias the simulator runs $LATEST unqualified, which has no Resource series.
  if (s.alias !== null && invocations > 0) {
    const resource = `${fn.name}:${s.alias}`;
    byResource.set(resource, all);
    for (const v of s.versions) {
      if (v.invocations === 0) continue;
      const b = single ? all : bucket(v.invocations, v.errors, v.durationsMs, sumOf(v.durationsMs));
      byExecuted.set(executedKey(resource, v.version), b);
    }
  }
  return {
    minuteMs: s.minuteMs,
    all,
    byResource,
    byExecuted,
    throttles: s.throttles,
    concurrency: s.concurrency,
    provisionedConcurrency: s.provisionedConcurrency,
    provisionedSpillover: s.provisionedSpillover,
  };
}

function sumOf(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum;
}

/** n samples of which `ones` are 1 and the rest 0; undefined when there are none. */
export function counter(n: number, ones: number): Samples | undefined {
  if (n === 0) return undefined;
  return { count: n, sum: ones, min: ones < n ? 0 : 1, max: ones > 0 ? 1 : 0 };
}

export const gauge = (v: number): Samples => ({ count: 1, sum: v, min: v, max: v });

function bucketMetric(metric: string, b: Bucket | undefined): Samples | undefined {
  if (!b) return undefined;
  switch (metric) {
    case "Invocations":
      return counter(b.invocations, b.invocations);
    case "Errors":
      return counter(b.invocations, b.errors);
    case "Duration":
      return b.duration;
    default:
      return undefined;
  }
}

/** The qualifier provisioned concurrency is attributed to at Resource level (only when unambiguous). */
export function provisionedResource(fn: SimFunction): string | null {
  const only = fn.provisioned.length === 1 ? fn.provisioned[0] : undefined;
  return only ? `${fn.name}:${only.qualifier}` : null;
}

function provisionedMetric(metric: string, fm: FunctionMinute): Samples | undefined {
  const n = fm.all.invocations;
  if (fm.provisionedConcurrency <= 0 || n === 0) return undefined;
  const inUse = Math.min(fm.concurrency, fm.provisionedConcurrency);
  switch (metric) {
    case "ProvisionedConcurrentExecutions":
      return gauge(inUse);
    case "ProvisionedConcurrencyUtilization":
      return gauge(inUse / fm.provisionedConcurrency);
    case "ProvisionedConcurrencySpilloverInvocations":
      return counter(n, Math.min(n, fm.provisionedSpillover));
    default:
      return undefined;
  }
}

const active = (fm: FunctionMinute) => fm.all.invocations > 0 || fm.throttles > 0;

/** One function-scoped series' samples for one minute (scope is not "region"). */
export function functionSamples(
  metric: string,
  scope: Exclude<Scope, { level: "region" }>,
  fn: SimFunction,
  fm: FunctionMinute,
): Samples | undefined {
  if (metric.startsWith("Provisioned")) {
    if (scope.level === "function") return provisionedMetric(metric, fm);
    if (scope.level === "resource" && scope.resource === provisionedResource(fn)) {
      return provisionedMetric(metric, fm);
    }
    return undefined;
  }
  switch (scope.level) {
    case "function":
      if (metric === "Throttles") return counter(fm.all.invocations + fm.throttles, fm.throttles);
      if (metric === "ConcurrentExecutions") return active(fm) ? gauge(fm.concurrency) : undefined;
      return bucketMetric(metric, fm.all);
    case "resource":
      return bucketMetric(metric, fm.byResource.get(scope.resource));
    case "executed":
      return bucketMetric(metric, fm.byExecuted.get(executedKey(scope.resource, scope.executedVersion)));
  }
}

/** Region-level (no dimensions) samples for one minute across the region's functions. */
export function regionSamples(
  metric: string,
  minute: readonly { fn: SimFunction; fm: FunctionMinute }[],
): Samples | undefined {
  const live = minute.filter((m) => active(m.fm));
  if (live.length === 0) return undefined;
  switch (metric) {
    case "ConcurrentExecutions":
      return gauge(live.reduce((s, m) => s + m.fm.concurrency, 0));
    case "UnreservedConcurrentExecutions":
      return gauge(
        live.filter((m) => m.fn.reservedConcurrency === null).reduce((s, m) => s + m.fm.concurrency, 0),
      );
    case "ClaimedAccountConcurrency":
      return gauge(claimed(minute));
    case "Invocations":
    case "Errors":
    case "Duration":
    case "Throttles":
      return undefined; // merged from function-level samples by the caller
    default:
      return undefined;
  }
}

/**
 * Unreserved executions plus allocated concurrency (reserved, or provisioned where nothing is reserved): what
 * AWS documents as ClaimedAccountConcurrency.
 */
function claimed(minute: readonly { fn: SimFunction; fm: FunctionMinute }[]): number {
  let total = 0;
  for (const { fn, fm } of minute) {
    if (fn.reservedConcurrency !== null) total += fn.reservedConcurrency;
    else total += Math.max(fm.provisionedConcurrency, active(fm) ? fm.concurrency : 0);
  }
  return total;
}

/** Metrics whose region-level series is the merge of every function's function-level samples. */
export const REGION_MERGED = new Set(["Invocations", "Errors", "Duration", "Throttles"]);
