/**
 * The health of one source of a function's invocations — an event source mapping, or its asynchronous
 * invocation — from its configuration and the collector's per-bucket series over a range. Pure.
 *
 * Invariants:
 * - State first: a mapping Lambda itself disabled, or one reporting a PROBLEM, is "failed"; one a user disabled
 *   (isUserInitiated: USER_INITIATED on queues, "User action" on streams) is "disabled". Neither needs metrics.
 * - "falling behind" is lag.ts's judgement with LAG_DEFAULTS — the Advisor's stream-falling-behind thresholds —
 *   so both say the same of the same series: a trailing run rising clearly for hours and a high latest age. A
 *   steady or spiky lag is not falling behind; its evidence still says the numbers.
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
import { formatLagGrowth, judgeLag, LAG_DEFAULTS } from "./lag";
import { isStream, isUserInitiated } from "./mapping";
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
  /**
   * Least-squares IteratorAge slope in minutes per hour: the falling-behind run's, else the whole range's; null
   * without enough points.
   */
  slopeMinPerHour: number | null;
  /** AsyncEventsDropped over the range; null without data or for a mapping. */
  dropped: number | null;
}

const MINUTE_MS = 60_000;

function judgeLagBuckets(buckets: readonly SourceBucket[]): SourceJudgement {
  const points = buckets.flatMap((b) =>
    b.iteratorAgeMaxMs === null ? [] : [{ t: b.t, maxMs: b.iteratorAgeMaxMs }],
  );
  const base = { dropped: null };
  const lag = judgeLag(points, LAG_DEFAULTS);
  if (lag.latest === null)
    return {
      ...base,
      health: "ok",
      evidence: "Enabled; no IteratorAge reported in the range (no records read).",
      latestIteratorAgeMs: null,
      slopeMinPerHour: null,
    };
  const latestMs = ms(lag.latest.maxMs);
  const { run } = lag;
  if (run !== null)
    return {
      ...base,
      health: "falling behind",
      evidence: `Iterator age rising ${formatLagGrowth(run.slopeMsPerHour)} over the last ${formatDuration(ms(run.to.t - run.from.t))} (${run.points} points), now ${formatDuration(latestMs)} behind.`,
      latestIteratorAgeMs: latestMs,
      slopeMinPerHour: run.slopeMsPerHour / MINUTE_MS,
    };
  const slope = lag.overallSlopeMsPerHour;
  const trendText =
    slope === null
      ? "too few points for a trend"
      : lag.spanHours < LAG_DEFAULTS.minHours
        ? `trend ${formatLagGrowth(slope, true)} over ${formatDuration(ms(lag.spanHours * 3_600_000))}, too short to judge (${LAG_DEFAULTS.minHours} h needed)`
        : `trend ${formatLagGrowth(slope, true)}`;
  return {
    ...base,
    health: "ok",
    evidence: `Iterator age now ${formatDuration(latestMs)}, peak ${formatDuration(ms(lag.peakMs ?? latestMs))}, ${trendText}: not falling behind.`,
    latestIteratorAgeMs: latestMs,
    slopeMinPerHour: slope === null ? null : slope / MINUTE_MS,
  };
}

/** A mapping's health over the range; `buckets` are its function's stored buckets in the range. */
export function judgeMapping(m: EventSourceMapping, buckets: readonly SourceBucket[]): SourceJudgement {
  const none = { latestIteratorAgeMs: null, slopeMinPerHour: null, dropped: null };
  const name = sourceName(m.sourceArn);
  if (m.lastProcessingResult?.startsWith("PROBLEM"))
    return { ...none, health: "failed", evidence: `${m.state}: ${m.lastProcessingResult}.` };
  if (m.state === "Disabled" && !isUserInitiated(m.stateReason))
    return { ...none, health: "failed", evidence: `Lambda disabled the mapping: ${m.stateReason}.` };
  if (m.state === "Disabled" || m.state === "Disabling")
    return {
      ...none,
      health: "disabled",
      evidence: `${m.state} (${m.stateReason || "no reason given"}): nothing is read from ${name}.`,
    };
  if (buckets.length === 0)
    return { ...none, health: "unknown", evidence: "Not collected: the store holds no data for the range." };
  if (isStream(m)) return judgeLagBuckets(buckets);
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
