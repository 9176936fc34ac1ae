/**
 * Stream consumer falling behind: the IteratorAge hourly maxima RISE over a run of hours, not merely peak.
 *
 * Invariants:
 * - Whether it falls behind is lib/core/triggers/lag.ts's `judgeLag` over the hourly maxima with `streamLag`'s
 *   thresholds (whose defaults are LAG_DEFAULTS, what /sources uses): the best-fitting trailing run of at least
 *   `minHours`, rising at least `minGrowthMsPerHour` and clearly (a one-off spike or a steady lag is never a
 *   trend), in both halves, to a high latest age. This rule adds severity, the projection and the tuning.
 * - The projection to the stream's retention is the fitted slope extended from the newest age; retention is
 *   assumed at `retentionHours` (Kinesis's default, DynamoDB Streams' fixed 24 h) and said so.
 * - The recommended parallelization factor follows from the slope: an age growing g hours per hour means the
 *   consumer reads 1 − g of what arrives, so it needs 1 / (1 − g) times its throughput (plus 25 % to drain).
 * Sources: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (IteratorAge),
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (ParallelizationFactor 1–10, BatchSize ≤ 10,000).
 */
import { formatDuration } from "@/lib/core/format";
import { formatLagGrowth, judgeLag } from "@/lib/core/triggers/lag";
import { isStream } from "@/lib/core/triggers/mapping";
import { sourceName } from "@/lib/core/triggers/source";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import type { Rule } from "../context";
import { flag, noImpact, num } from "../context";
import type { EvidenceNumber, Recommendation } from "../types";

const HOUR_MS = 3_600_000;
/** Kinesis and DynamoDB Streams: ParallelizationFactor 1–10; BatchSize up to 10,000. */
export const MAX_PARALLELIZATION = 10;
export const MAX_STREAM_BATCH = 10_000;
/** Headroom on the throughput needed, so the backlog drains instead of holding. */
const DRAIN_HEADROOM = 1.25;

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
  // The same judgement /sources makes (lib/core/triggers/lag.ts); the Advisor adds the projection and tuning.
  const { run } = judgeLag(series, t);
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
      title: `Stream consumer${source} falling behind: iterator age rising ${formatLagGrowth(run.slopeMsPerHour)} for ${runHours.toFixed(0)} h (now ${formatDuration(run.to.maxMs)})`,
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
