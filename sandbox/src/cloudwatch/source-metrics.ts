/**
 * The AWS/Lambda metrics of what feeds a function (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html):
 * IteratorAge of stream mappings, the asynchronous-invocation metrics of functions that S3, SNS or EventBridge
 * invoke, and the event source mapping metrics (dimension EventSourceMappingUUID) of mappings whose MetricsConfig
 * asks for EventCount. Derived from the same per-minute buckets as Invocations, plus the triggers of the fleet
 * model; nothing here changes a metric that existed before.
 *
 * Invariants:
 * - Only what a function's triggers imply is published: no stream mapping, no IteratorAge; no push source that
 *   invokes asynchronously, no async metric; no EventCount metrics config (or a Disabled mapping), no mapping
 *   metric. RecursiveInvocationsDropped is never published: no planted loop runs under `Terminate`.
 * - A function's invocations all come from its first Enabled mapping (each function has at most one), or from
 *   its async push sources: one IteratorAge sample per (batch) invocation, one AsyncEventAge sample per invoked
 *   event, so their SampleCount equals Invocations.
 * - Deterministic: every draw comes from a stream seeded by (function seed, minute, part of the minute), never
 *   from the simulator's own streams. A minute is split into parts (one per executed version, per Resource
 *   without one, and the unqualified rest); Resource and ExecutedVersion series are unions of parts, and the
 *   function series the union of all of them, so every level counts the same samples.
 * - Retries are not simulated (the simulator's invocations are what ran): a failed batch counts once in
 *   FailedInvokeEventCount and nothing reaches an on-failure destination; async events are dropped only when
 *   they expire (the model's `asyncDropRate`, on top of the events that ran) or when a failed invocation has no
 *   retry left (MaximumRetryAttempts 0). DeadLetterErrors and DestinationDeliveryFailures are 0 wherever a DLQ
 *   or a destination is configured.
 */
import type { EventSourceMapping, SimFunction, StreamMapping } from "../fleet/model";
import { Rng, hash32, hash4, hashString } from "../sim/random";
import { counter, executedKey, type Dimension, type FunctionMinute, type Scope } from "./lambda-metrics";
import type { Samples } from "./stats";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Tag of this module's random streams (the simulator's own use 1–5). */
const SOURCE_STREAM = 0x50c;

const ASYNC_PRINCIPALS = new Set(["s3.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com"]);

/** Metrics published under FunctionName (and Resource) and merged for the region. */
export const FUNCTION_SOURCE_METRICS: ReadonlySet<string> = new Set([
  "IteratorAge",
  "AsyncEventsReceived",
  "AsyncEventAge",
  "AsyncEventsDropped",
  "DeadLetterErrors",
  "DestinationDeliveryFailures",
]);

/** Metrics published under EventSourceMappingUUID only. */
export const MAPPING_METRICS: ReadonlySet<string> = new Set([
  "PolledEventCount",
  "InvokedEventCount",
  "FilteredOutEventCount",
  "FailedInvokeEventCount",
  "DroppedEventCount",
  "OnFailureDestinationDeliveredEventCount",
]);

/** What a function's triggers make it publish. */
interface SourceProfile {
  /** The Enabled mapping that drives the function's invocations, if any. */
  mapping: EventSourceMapping | null;
  stream: StreamMapping | null;
  async: boolean;
  metrics: string[];
  /** The mapping reporting EventCount metrics, and their names. */
  reporting: { mapping: EventSourceMapping; metrics: string[] } | null;
}

const profiles = new WeakMap<SimFunction, SourceProfile>();

function profileOf(fn: SimFunction): SourceProfile {
  let p = profiles.get(fn);
  if (p) return p;
  const mapping = fn.eventSources?.find((m) => m.state === "Enabled") ?? null;
  const stream = mapping && mapping.kind !== "sqs" ? mapping : null;
  const async = (fn.pushSources ?? []).some((s) => ASYNC_PRINCIPALS.has(s.principal));
  const metrics: string[] = [];
  if (stream) metrics.push("IteratorAge");
  if (async) metrics.push("AsyncEventsReceived", "AsyncEventAge", "AsyncEventsDropped");
  if (async && fn.deadLetterTargetArn) metrics.push("DeadLetterErrors");
  const asyncDestination = async && (fn.asyncConfig?.onSuccess || fn.asyncConfig?.onFailure);
  if (asyncDestination || stream?.onFailureDestination) metrics.push("DestinationDeliveryFailures");
  p = { mapping, stream, async, metrics, reporting: mapping?.metricsEnabled ? reportingOf(mapping) : null };
  profiles.set(fn, p);
  return p;
}

function reportingOf(mapping: EventSourceMapping): { mapping: EventSourceMapping; metrics: string[] } {
  const metrics = ["PolledEventCount", "InvokedEventCount", "FailedInvokeEventCount", "DroppedEventCount"];
  if (mapping.filterPatterns.length > 0) metrics.push("FilteredOutEventCount");
  if (mapping.kind !== "sqs" && mapping.onFailureDestination)
    metrics.push("OnFailureDestinationDeliveredEventCount");
  return { mapping, metrics: metrics.sort() };
}

/** The function-level source metrics `fn` publishes (when invoked). */
export const sourceMetricsOf = (fn: SimFunction): readonly string[] => profileOf(fn).metrics;

/** The mapping that reports EventCount metrics for `fn`, with the metric names it reports; null when none. */
export const reportingMapping = (fn: SimFunction) => profileOf(fn).reporting;

/** The UUID a dimension set names when it is exactly {EventSourceMappingUUID}; else null. */
export function mappingUuidOf(dimensions: readonly Dimension[]): string | null {
  const [only] = dimensions;
  return dimensions.length === 1 && only?.Name === "EventSourceMappingUUID" ? only.Value : null;
}

/** One slice of a minute's invocations that every series level either wholly includes or excludes. */
interface Part {
  key: string;
  resource: string | null;
  version: string | null;
  invocations: number;
  errors: number;
}

/** What one part's invocations drew: per-invocation values in start order, and the part's drops. */
interface PartDraws {
  part: Part;
  iteratorAge: number[];
  eventAge: number[];
  /** Records each invocation was invoked with, and those its filter removed from the same poll. */
  batch: number[];
  filtered: number[];
  expired: number;
}

function partsOf(fm: FunctionMinute): Part[] {
  const parts: Part[] = [];
  const covered = new Set<string>();
  let attributed = 0;
  let attributedErrors = 0;
  const push = (p: Part) => {
    parts.push(p);
    attributed += p.invocations;
    attributedErrors += p.errors;
  };
  for (const [key, b] of fm.byExecuted) {
    const [resource, version] = key.split("\n") as [string, string];
    covered.add(resource);
    push({ key, resource, version, invocations: b.invocations, errors: b.errors });
  }
  for (const [resource, b] of fm.byResource) {
    if (!covered.has(resource))
      push({ key: resource, resource, version: null, invocations: b.invocations, errors: b.errors });
  }
  const rest = fm.all.invocations - attributed;
  if (rest > 0)
    push({
      key: "",
      resource: null,
      version: null,
      invocations: rest,
      errors: fm.all.errors - attributedErrors,
    });
  // Key order, not map order: the summary and the full-record paths must sum in the same order.
  return parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A healthy consumer's iterator age, ms: a few hundred ms, plus half its batching window. */
function healthyIteratorAgeMs(fn: SimFunction, stream: StreamMapping): number {
  return 150 + (hash32(fn.seed, 0x17e4) % 600) + stream.maximumBatchingWindowInSeconds * 500;
}

/** Median time an async event waits in Lambda's queue before its invocation, ms. */
const eventAgeMedianMs = (fn: SimFunction) => 20 + (hash32(fn.seed, 0xa5e7) % 60);

/** Age of the oldest unprocessed record at `t` beyond the healthy lag: zero until the consumer falls behind. */
function lagMs(stream: StreamMapping, t: number): number {
  const g = stream.iteratorAgeGrowth;
  return g && t >= g.sinceMs ? (g.perHourMs * (t - g.sinceMs)) / HOUR_MS : 0;
}

function drawPart(fn: SimFunction, p: SourceProfile, minuteMs: number, part: Part): PartDraws {
  const rng = new Rng(hash4(fn.seed, minuteMs / MINUTE_MS, SOURCE_STREAM, hashString(part.key)));
  const out: PartDraws = { part, iteratorAge: [], eventAge: [], batch: [], filtered: [], expired: 0 };
  const n = part.invocations;
  const { mapping, stream } = p;
  const ageBase = stream ? healthyIteratorAgeMs(fn, stream) : 0;
  const eventAgeMedian = eventAgeMedianMs(fn);
  for (let k = 0; k < n; k++) {
    // Invocations spread evenly over the minute: the lag is read at each one's moment.
    const t = minuteMs + ((k + 0.5) * MINUTE_MS) / n;
    if (stream) {
      const lag = lagMs(stream, t);
      out.iteratorAge.push(Math.round(ageBase * Math.exp(0.35 * rng.normal()) + lag));
    }
    if (mapping) {
      // Behind, every poll returns a full batch; otherwise the batch holds what arrived since the last one.
      const full = stream !== null && lagMs(stream, t) > 0;
      const size = full ? mapping.batchSize : 1 + Math.floor(rng.next() * 0.6 * mapping.batchSize);
      out.batch.push(size);
      out.filtered.push(mapping.filterPatterns.length > 0 ? rng.poisson(size * 0.15) : 0);
    }
    if (p.async) out.eventAge.push(Math.round(eventAgeMedian * Math.exp(0.6 * rng.normal())));
  }
  const rate = fn.asyncDropRate ?? 0;
  if (p.async && rate > 0 && rate < 1) out.expired = rng.poisson((n * rate) / (1 - rate));
  return out;
}

const draws = new WeakMap<FunctionMinute, PartDraws[]>();

function drawsOf(fn: SimFunction, p: SourceProfile, fm: FunctionMinute): PartDraws[] {
  let d = draws.get(fm);
  if (!d) {
    d = partsOf(fm).map((part) => drawPart(fn, p, fm.minuteMs, part));
    draws.set(fm, d);
  }
  return d;
}

/** Samples from per-invocation values (undefined when there are none); sum in the given order. */
function valueSamples(values: readonly number[]): Samples | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  for (const v of values) sum += v;
  const sorted = Float64Array.from(values).sort();
  return {
    count: values.length,
    sum,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    values: sorted,
  };
}

/** Events dropped in a part: the expired ones, plus failed invocations when no retry is left. */
const droppedIn = (fn: SimFunction, d: PartDraws) =>
  d.expired + (fn.asyncConfig?.maximumRetryAttempts === 0 ? d.part.errors : 0);

function samplesOver(metric: string, fn: SimFunction, selected: readonly PartDraws[]): Samples | undefined {
  const invoked = selected.reduce((s, d) => s + d.part.invocations, 0);
  const received = selected.reduce((s, d) => s + d.part.invocations + d.expired, 0);
  switch (metric) {
    case "IteratorAge":
      return valueSamples(selected.flatMap((d) => d.iteratorAge));
    case "AsyncEventAge":
      return valueSamples(selected.flatMap((d) => d.eventAge));
    case "AsyncEventsReceived":
      return counter(received, received);
    case "AsyncEventsDropped":
      return counter(
        received,
        selected.reduce((s, d) => s + droppedIn(fn, d), 0),
      );
    case "DeadLetterErrors":
      return counter(received, 0);
    case "DestinationDeliveryFailures":
      return counter(profileOf(fn).async ? received : invoked, 0);
    case "InvokedEventCount":
      return valueSamples(selected.flatMap((d) => d.batch));
    case "FilteredOutEventCount":
      return valueSamples(selected.flatMap((d) => d.filtered));
    case "PolledEventCount":
      return valueSamples(selected.flatMap((d) => d.batch.map((b, k) => b + (d.filtered[k] as number))));
    case "FailedInvokeEventCount":
      // Which invocations failed is not in the buckets: the part's first `errors` carry its failures.
      return valueSamples(selected.flatMap((d) => d.batch.map((b, k) => (k < d.part.errors ? b : 0))));
    case "DroppedEventCount":
    case "OnFailureDestinationDeliveredEventCount":
      return counter(invoked, 0);
    default:
      return undefined;
  }
}

/** One function-scoped series' samples of a source metric for one minute (undefined: no datapoint). */
export function sourceSamples(
  metric: string,
  scope: Exclude<Scope, { level: "region" }>,
  fn: SimFunction,
  fm: FunctionMinute,
): Samples | undefined {
  const p = profileOf(fn);
  if (!p.metrics.includes(metric) || fm.all.invocations === 0) return undefined;
  const all = drawsOf(fn, p, fm);
  switch (scope.level) {
    case "function":
      return samplesOver(metric, fn, all);
    case "resource":
      return samplesOver(
        metric,
        fn,
        all.filter((d) => d.part.resource === scope.resource),
      );
    case "executed":
      // Async events that never ran have no executed version: only IteratorAge is published per version.
      if (metric !== "IteratorAge") return undefined;
      return samplesOver(
        metric,
        fn,
        all.filter((d) => d.part.key === executedKey(scope.resource, scope.executedVersion)),
      );
  }
}

/** The samples of one mapping's EventCount metric for one minute of the function it invokes. */
export function mappingSamples(
  metric: string,
  uuid: string,
  fn: SimFunction,
  fm: FunctionMinute,
): Samples | undefined {
  const reporting = reportingMapping(fn);
  if (!reporting || reporting.mapping.uuid !== uuid || !reporting.metrics.includes(metric)) return undefined;
  if (fm.all.invocations === 0) return undefined;
  return samplesOver(metric, fn, drawsOf(fn, profileOf(fn), fm));
}
