/**
 * Stream consumer falling behind: the IteratorAge hourly maxima RISE over a run of hours, not merely peak.
 *
 * Invariants:
 * - The run judged is the trailing stretch of hourly maxima (at least `streamLag.minHours` long) whose
 *   least-squares line fits best (the highest slope / standard error, lib/core/triggers/source-health.ts); it is
 *   flagged only when that slope is at least `minGrowthMsPerHour` and SLOPE_T_MIN standard errors above zero, so
 *   a one-off spike or a steady lag is never a trend; both halves of the run must rise (`sustained`).
 * - The projection to the stream's retention is the fitted slope extended from the newest age; retention is
 *   assumed at `retentionHours` (Kinesis's default, DynamoDB Streams' fixed 24 h) and said so.
 * - The recommended parallelization factor follows from the slope: an age growing g hours per hour means the
 *   consumer reads 1 − g of what arrives, so it needs 1 / (1 − g) times its throughput (plus 25 % to drain).
 * Sources: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (IteratorAge),
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (ParallelizationFactor 1–10, BatchSize ≤ 10,000).
 */
import { formatDuration } from "@/lib/core/format";
import { iteratorAgeTrend, SLOPE_T_MIN } from "@/lib/core/triggers/source-health";
import { sourceName } from "@/lib/core/triggers/source";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import { ms } from "@/lib/core/units";
import type { Rule } from "../context";
import { flag, noImpact, num } from "../context";
import type { EvidenceNumber, IteratorAgePoint, Recommendation } from "../types";

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Kinesis and DynamoDB Streams: ParallelizationFactor 1–10; BatchSize up to 10,000. */
export const MAX_PARALLELIZATION = 10;
export const MAX_STREAM_BATCH = 10_000;
/** Headroom on the throughput needed, so the backlog drains instead of holding. */
const DRAIN_HEADROOM = 1.25;
/** iteratorAgeTrend needs this many points for a line. */
const MIN_POINTS = 5;

export interface GrowthRun {
  from: IteratorAgePoint;
  to: IteratorAgePoint;
  points: number;
  slopeMsPerHour: number;
}

/**
 * Both halves of the run rise by at least half the growth asked: a jump at its end (flat, flat, flat, up, up)
 * tilts a line but is not hours of growth.
 */
function sustained(run: readonly IteratorAgePoint[], minGrowthMsPerHour: number): boolean {
  const first = run[0]!;
  const last = run[run.length - 1]!;
  const mid = run[Math.floor((run.length - 1) / 2)]!;
  const rose = (a: IteratorAgePoint, b: IteratorAgePoint) =>
    b.maxMs - a.maxMs >= 0.5 * minGrowthMsPerHour * ((b.t - a.t) / HOUR_MS);
  return rose(first, mid) && rose(mid, last);
}

/** The trailing run of at least `minHours` whose line fits best, if it rises clearly; else null. Pure. */
export function growthRun(
  series: readonly IteratorAgePoint[],
  minHours: number,
  minGrowthMsPerHour: number,
): GrowthRun | null {
  const points = [...series].sort((a, b) => a.t - b.t);
  const last = points.at(-1);
  if (last === undefined) return null;
  let best: GrowthRun | null = null;
  let bestT = -Infinity;
  for (let s = 0; s + MIN_POINTS <= points.length; s++) {
    const from = points[s]!;
    if (last.t - from.t < minHours * HOUR_MS) break;
    const trend = iteratorAgeTrend(points.slice(s).map((p) => ({ t: p.t, ageMs: p.maxMs })));
    if (trend === null) continue;
    const slopeMsPerHour = trend.slopeMinPerHour * MINUTE_MS;
    if (slopeMsPerHour < minGrowthMsPerHour || trend.t < SLOPE_T_MIN) continue;
    if (!sustained(points.slice(s), minGrowthMsPerHour)) continue;
    // Strictly better only: among equally good fits (a perfect line) the longest run is kept.
    if (trend.t > bestT) {
      best = { from, to: last, points: points.length - s, slopeMsPerHour };
      bestT = trend.t;
    }
  }
  return best;
}

const isStream = (m: EventSourceMapping) => m.kind === "kinesis" || m.kind === "dynamodb";

/** The parallelization factor (or, at 10 already, the batch size) that would outpace the growth. */
function tuning(
  m: EventSourceMapping | undefined,
  slopeMsPerHour: number,
): { action: Recommendation; text: string } {
  const behindShare = slopeMsPerHour / HOUR_MS;
  const needed = behindShare < 1 ? (1 / (1 - behindShare)) * DRAIN_HEADROOM : Infinity;
  const fix =
    "If the function is slow or failing batches (check its errors), fix that first: more parallelism only multiplies a poison batch's retries.";
  if (m === undefined || m.parallelizationFactor === null)
    return {
      action: { kind: "investigate" },
      text: `Raise the mapping's ParallelizationFactor (up to ${MAX_PARALLELIZATION}) or BatchSize, or add shards. ${fix}`,
    };
  const factor = m.parallelizationFactor;
  if (factor < MAX_PARALLELIZATION) {
    const target = Math.min(MAX_PARALLELIZATION, Math.max(factor + 1, Math.ceil(factor * needed)));
    const enough = Number.isFinite(needed) && factor * needed <= MAX_PARALLELIZATION;
    return {
      action: { kind: "set-parallelization-factor", mappingUuid: m.uuid, factor: target },
      text:
        `Raise ParallelizationFactor from ${factor} to ${target} (concurrent batches per shard, max ${MAX_PARALLELIZATION})` +
        (enough
          ? ": enough to outpace the growth and drain the backlog."
          : ", and BatchSize or shards: even 10 may not outpace this growth.") +
        ` ${fix}`,
    };
  }
  const batch = m.batchSize ?? 100;
  const target = Math.min(MAX_STREAM_BATCH, Math.ceil(batch * (Number.isFinite(needed) ? needed : 2)));
  return {
    action: { kind: "set-batch-size", mappingUuid: m.uuid, batchSize: target },
    text: `ParallelizationFactor is already ${MAX_PARALLELIZATION}: raise BatchSize from ${batch} to ${target} (if the function's duration does not grow with it) or add shards. ${fix}`,
  };
}

export const streamFallingBehind: Rule = (input, ctx) => {
  const series = input.observed.iteratorAgeHourly;
  const t = ctx.thresholds.streamLag;
  if (!series || series.length === 0) return [];
  const run = growthRun(series, t.minHours, t.minGrowthMsPerHour);
  if (run === null) return [];
  const mappings = input.sources?.mappings ?? [];
  const m = mappings.find((x) => isStream(x) && x.state === "Enabled") ?? mappings.find(isStream);
  const retentionMs = t.retentionHours * HOUR_MS;
  const hoursToRetention = Math.max(0, (retentionMs - run.to.maxMs) / run.slopeMsPerHour);
  const runHours = (run.to.t - run.from.t) / HOUR_MS;
  const { action, text } = tuning(m, run.slopeMsPerHour);
  const { avg, p99 } = input.observed.duration;
  const numbers: Record<string, EvidenceNumber> = {
    iteratorAgeGrowth: num(Math.round(run.slopeMsPerHour), "ms/h"),
    growingFor: num(Math.round(runHours * 10) / 10, "hours"),
    iteratorAgeFirst: num(run.from.maxMs, "ms"),
    iteratorAgeLast: num(run.to.maxMs, "ms"),
    hoursToRetention: num(Math.round(hoursToRetention * 10) / 10, "hours"),
    assumedRetention: num(t.retentionHours, "hours"),
  };
  if (m?.batchSize != null) numbers.batchSize = num(m.batchSize, "count");
  if (m?.parallelizationFactor != null) numbers.parallelizationFactor = num(m.parallelizationFactor, "count");
  if (avg !== null) numbers.avgDuration = num(avg, "ms");
  if (p99 !== null) numbers.p99Duration = num(p99, "ms");
  const source = m ? ` reading ${sourceName(m.sourceArn)}` : "";
  const expires =
    hoursToRetention === 0
      ? "records are already older than the stream's retention: they are expiring unread"
      : `at this rate records reach the ${t.retentionHours} h retention in about ${hoursToRetention.toFixed(1)} h and are lost`;
  return [
    flag(input, "stream-falling-behind", {
      severity: hoursToRetention <= t.criticalWithinHours ? "critical" : "warning",
      title: `Stream consumer${source} falling behind: iterator age rising ${formatDuration(ms(run.slopeMsPerHour))} per hour for ${runHours.toFixed(0)} h (now ${formatDuration(run.to.maxMs)})`,
      numbers,
      confidence:
        m === undefined
          ? {
              level: "medium",
              why: `IteratorAge trend over ${run.points} hourly maxima; the mapping was not read`,
            }
          : {
              level: "high",
              why: `IteratorAge trend over ${run.points} hourly maxima and the mapping's settings`,
            },
      recommendation: {
        text: `${text} (${expires}; retention assumed ${t.retentionHours} h unless raised.)`,
        action,
      },
      monthlyImpact: noImpact("a reliability risk: records expire unread at the stream's retention"),
    }),
  ];
};
