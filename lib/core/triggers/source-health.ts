/**
 * The health of one source of a function's invocations — an event source mapping, or its asynchronous
 * invocation — from its configuration and the collector's per-bucket series over a range. Pure.
 *
 * Invariants:
 * - State first: a mapping Lambda itself disabled, or one reporting a PROBLEM, is "failed"; one a user disabled is
 *   "disabled". Neither needs metrics.
 * - "falling behind" needs a trend, not a peak: the least-squares slope of IteratorAge over the range is clearly
 *   positive (at least MIN_SLOPE_MIN_PER_HOUR and SLOPE_T_MIN standard errors above zero) AND the latest age is
 *   high (HIGH_AGE_MS). A steady or spiky lag is not falling behind; its evidence still says the numbers.
 * - "dropping events": AsyncEventsDropped summed over the range is above zero, whatever the destinations.
 * - "failing to deliver": DestinationDeliveryFailures + DeadLetterErrors above zero — events Lambda tried to keep
 *   (on-failure destination, dead-letter queue) and lost. Not reported (null in every bucket) is not zero: the
 *   evidence says the count is unknown.
 * - No bucket for the function in the range → "unknown" (not collected): never "ok" on no evidence.
 * - TROUBLE_RANK orders the health values, worst first; `compareTrouble` breaks ties by how bad the numbers are.
 * Sources: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (IteratorAge,
 * AsyncEventsDropped), https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html.
 */
import { formatDuration } from "../format";
import { ms, type Ms } from "../units";
import { sourceName } from "./source";
import type { EventSourceMapping } from "./types";

export type SourceHealth =
  "failed" | "falling behind" | "disabled" | "dropping events" | "failing to deliver" | "unknown" | "ok";

/** Worst first: sorting by this puts the troubles a person must act on at the top. */
export const TROUBLE_RANK: Readonly<Record<SourceHealth, number>> = {
  failed: 0,
  "falling behind": 1,
  disabled: 2,
  "dropping events": 3,
  "failing to deliver": 4,
  unknown: 5,
  ok: 6,
};

export const SOURCE_HEALTHS = Object.keys(TROUBLE_RANK) as SourceHealth[];

/** One stored bucket of the function: its IteratorAge maximum (null: none reported) and its async drops. */
export interface SourceBucket {
  /** Bucket start, epoch ms. */
  t: number;
  iteratorAgeMaxMs: number | null;
  asyncDropped: number;
  /** DestinationDeliveryFailures + DeadLetterErrors; null: neither reported in the bucket. */
  deliveryFailures?: number | null;
}

export interface SourceJudgement {
  health: SourceHealth;
  /** One sentence with the numbers that decided it. */
  evidence: string;
  /** The newest IteratorAge in the range; null for queues and async sources, or without data. */
  latestIteratorAgeMs: Ms | null;
  /** Least-squares IteratorAge slope over the range in minutes per hour; null without enough points. */
  slopeMinPerHour: number | null;
  /** AsyncEventsDropped over the range; null without data or for a mapping. */
  dropped: number | null;
}

/** The lag must grow at least a minute per hour to be called growing (noise on a healthy stream is ms). */
export const MIN_SLOPE_MIN_PER_HOUR = 1;
/** …and be this many standard errors above zero, so one spike cannot tilt the line. */
export const SLOPE_T_MIN = 3;
/** …and the newest age must be high: five minutes behind and growing is a backlog, not jitter. */
export const HIGH_AGE_MS = 5 * 60_000;
/** Fewer points than this cannot show a trend. */
const MIN_POINTS = 5;

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

interface Trend {
  slopeMinPerHour: number;
  /** slope / its standard error; Infinity for a perfect line. */
  t: number;
}

/** Ordinary least squares of age (minutes) on time (hours). */
export function iteratorAgeTrend(points: readonly { t: number; ageMs: number }[]): Trend | null {
  const n = points.length;
  if (n < MIN_POINTS) return null;
  const xs = points.map((p) => (p.t - points[0]!.t) / HOUR_MS);
  const ys = points.map((p) => p.ageMs / MINUTE_MS);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - (my + slope * (xs[i]! - mx))) ** 2;
  const se = Math.sqrt(sse / (n - 2) / sxx);
  return { slopeMinPerHour: slope, t: se === 0 ? (slope === 0 ? 0 : Infinity) : slope / se };
}

const perHour = (minPerHour: number) => `${formatDuration(ms(Math.abs(minPerHour) * MINUTE_MS))}/hour`;

function judgeLag(buckets: readonly SourceBucket[]): SourceJudgement {
  const points = [...buckets]
    .filter((b) => b.iteratorAgeMaxMs !== null)
    .sort((a, b) => a.t - b.t)
    .map((b) => ({ t: b.t, ageMs: b.iteratorAgeMaxMs! }));
  const base = { dropped: null };
  const latest = points.at(-1);
  if (latest === undefined)
    return {
      ...base,
      health: "ok",
      evidence: "Enabled; no IteratorAge reported in the range (no records read).",
      latestIteratorAgeMs: null,
      slopeMinPerHour: null,
    };
  const trend = iteratorAgeTrend(points);
  const slope = trend?.slopeMinPerHour ?? null;
  const latestMs = ms(latest.ageMs);
  const growing = trend !== null && trend.slopeMinPerHour >= MIN_SLOPE_MIN_PER_HOUR && trend.t >= SLOPE_T_MIN;
  if (growing && latest.ageMs >= HIGH_AGE_MS)
    return {
      ...base,
      health: "falling behind",
      evidence: `Iterator age rising ${perHour(trend.slopeMinPerHour)} over the range (${points.length} points), now ${formatDuration(latestMs)} behind.`,
      latestIteratorAgeMs: latestMs,
      slopeMinPerHour: slope,
    };
  const peak = Math.max(...points.map((p) => p.ageMs));
  const trendText =
    slope === null ? "too few points for a trend" : `trend ${slope >= 0 ? "+" : "−"}${perHour(slope)}`;
  return {
    ...base,
    health: "ok",
    evidence: `Iterator age now ${formatDuration(latestMs)}, peak ${formatDuration(ms(peak))}, ${trendText}: not growing.`,
    latestIteratorAgeMs: latestMs,
    slopeMinPerHour: slope,
  };
}

const hasLag = (m: EventSourceMapping) => m.kind === "kinesis" || m.kind === "dynamodb" || m.kind === "kafka";

/** A mapping's health over the range; `buckets` are its function's stored buckets in the range. */
export function judgeMapping(m: EventSourceMapping, buckets: readonly SourceBucket[]): SourceJudgement {
  const none = { latestIteratorAgeMs: null, slopeMinPerHour: null, dropped: null };
  const name = sourceName(m.sourceArn);
  if (m.lastProcessingResult?.startsWith("PROBLEM"))
    return { ...none, health: "failed", evidence: `${m.state}: ${m.lastProcessingResult}.` };
  if (m.state === "Disabled" && m.stateReason !== "" && m.stateReason !== "USER_INITIATED")
    return { ...none, health: "failed", evidence: `Lambda disabled the mapping: ${m.stateReason}.` };
  if (m.state === "Disabled" || m.state === "Disabling")
    return {
      ...none,
      health: "disabled",
      evidence: `${m.state} (${m.stateReason || "no reason given"}): nothing is read from ${name}.`,
    };
  if (buckets.length === 0)
    return { ...none, health: "unknown", evidence: "Not collected: the store holds no data for the range." };
  if (hasLag(m)) return judgeLag(buckets);
  return { ...none, health: "ok", evidence: `${m.state}; a queue reports no lag metric.` };
}

export interface AsyncFacts {
  /** The function's dead-letter queue or topic; null: none; undefined: not known. */
  deadLetterTarget?: string | null;
}

/** A function's asynchronous invocation over the range, from AsyncEventsDropped. */
export function judgeAsync(facts: AsyncFacts, buckets: readonly SourceBucket[]): SourceJudgement {
  const none = { latestIteratorAgeMs: null, slopeMinPerHour: null };
  if (buckets.length === 0)
    return {
      ...none,
      dropped: null,
      health: "unknown",
      evidence: "Not collected: the store holds no data for the range.",
    };
  const dropped = buckets.reduce((sum, b) => sum + b.asyncDropped, 0);
  const reported = buckets.filter((b) => b.deliveryFailures != null);
  const failures =
    reported.length === 0 ? null : reported.reduce((sum, b) => sum + (b.deliveryFailures ?? 0), 0);
  const lost =
    failures === null
      ? ""
      : failures > 0
        ? `; ${failures.toLocaleString("en-US")} failed to reach the destination or dead-letter queue`
        : "";
  const dlq =
    facts.deadLetterTarget === undefined
      ? ""
      : facts.deadLetterTarget === null
        ? "; no dead-letter queue"
        : `; dead-letter queue ${facts.deadLetterTarget}`;
  if (dropped > 0)
    return {
      ...none,
      dropped,
      health: "dropping events",
      evidence: `${dropped.toLocaleString("en-US")} async events dropped in the range${dlq}${lost}.`,
    };
  if (failures !== null && failures > 0)
    return {
      ...none,
      dropped,
      health: "failing to deliver",
      evidence: `${failures.toLocaleString("en-US")} async events failed to reach the on-failure destination or dead-letter queue in the range${dlq}.`,
    };
  return { ...none, dropped, health: "ok", evidence: `No async events dropped in the range${dlq}.` };
}

/** Worst first: by health, then the faster-growing lag, the older latest age, the more drops. */
export function compareTrouble(a: SourceJudgement, b: SourceJudgement): number {
  return (
    TROUBLE_RANK[a.health] - TROUBLE_RANK[b.health] ||
    (b.slopeMinPerHour ?? 0) - (a.slopeMinPerHour ?? 0) ||
    (b.latestIteratorAgeMs ?? 0) - (a.latestIteratorAgeMs ?? 0) ||
    (b.dropped ?? 0) - (a.dropped ?? 0)
  );
}
