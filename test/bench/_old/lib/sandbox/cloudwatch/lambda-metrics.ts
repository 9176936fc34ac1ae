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
 * - Metrics this fleet never emits (IteratorAge, AsyncEventAge, …) and unknown names have no datapoints.
 */
import type { SimFunction } from "../fleet/model";
import type { MinuteRecord } from "../sim/types";
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

export interface Bucket {
  invocations: number;
  errors: number;
  durations: number[];
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

const emptyBucket = (): Bucket => ({ invocations: 0, errors: 0, durations: [] });

function add(bucket: Bucket, isError: boolean, durationMs: number): void {
  bucket.invocations++;
  if (isError) bucket.errors++;
  bucket.durations.push(durationMs);
}

export function summariseMinute(rec: MinuteRecord): FunctionMinute {
  const fm: FunctionMinute = {
    minuteMs: rec.minuteMs,
    all: emptyBucket(),
    byResource: new Map(),
    byExecuted: new Map(),
    throttles: rec.throttles,
    concurrency: rec.concurrency,
    provisionedConcurrency: rec.provisionedConcurrency,
    provisionedSpillover: rec.provisionedSpillover,
  };
  for (const inv of rec.invocations) {
    const isError = inv.outcome !== "success";
    add(fm.all, isError, inv.durationMs);
    const qualifier = inv.alias ?? (inv.version === "$LATEST" ? null : inv.version);
    if (qualifier === null) continue;
    const resource = `${inv.functionName}:${qualifier}`;
    let r = fm.byResource.get(resource);
    if (!r) fm.byResource.set(resource, (r = emptyBucket()));
    add(r, isError, inv.durationMs);
    if (inv.alias === null) continue;
    const key = executedKey(resource, inv.version);
    let e = fm.byExecuted.get(key);
    if (!e) fm.byExecuted.set(key, (e = emptyBucket()));
    add(e, isError, inv.durationMs);
  }
  return fm;
}

/** n samples of which `ones` are 1 and the rest 0; undefined when there are none. */
export function counter(n: number, ones: number): Samples | undefined {
  if (n === 0) return undefined;
  return { count: n, sum: ones, min: ones < n ? 0 : 1, max: ones > 0 ? 1 : 0 };
}

export const gauge = (v: number): Samples => ({ count: 1, sum: v, min: v, max: v });

function durationSamples(b: Bucket): Samples | undefined {
  if (b.invocations === 0) return undefined;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const d of b.durations) {
    sum += d;
    if (d < min) min = d;
    if (d > max) max = d;
  }
  return { count: b.invocations, sum, min, max, values: b.durations };
}

function bucketMetric(metric: string, b: Bucket | undefined): Samples | undefined {
  if (!b) return undefined;
  switch (metric) {
    case "Invocations":
      return counter(b.invocations, b.invocations);
    case "Errors":
      return counter(b.invocations, b.errors);
    case "Duration":
      return durationSamples(b);
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
