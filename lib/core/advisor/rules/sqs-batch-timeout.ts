/**
 * SQS batches that can outrun the function timeout (issue 13: "batch settings that can exceed the timeout"). A
 * batch is one invocation: when it runs past the timeout, the whole batch fails and returns to the queue, and
 * the messages already handled run again.
 *
 * Invariants:
 * - Judged for each Enabled SQS mapping with BatchSize > 1 (one message cannot be split further), from the
 *   function's longest observed duration (p99.9 when the maximum was not read) reaching `timeout.nearAbove`
 *   (90 %) of the timeout, or from timeouts counted in the window. No duration and no timeout count: nothing is
 *   said (evidence.ts lists the rule as not judged when the metrics were not read).
 * - ReportBatchItemFailures does not save a timed-out batch: a timed-out invocation returns no response, so
 *   Lambda retries the whole batch anyway; it narrows only the failures the function reports itself.
 * - The recommended BatchSize keeps a batch at about half the timeout, assuming its time grows with its size;
 *   the alternative timeout is twice the longest run (at most 900 s), with the queue's visibility timeout to
 *   follow (`sqs.visibilityFactor` × the timeout). Merged with sqs-visibility-timeout as one concern (merge.ts).
 * Sources: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html (batch size, visibility timeout).
 */
import { sourceName } from "@/lib/core/triggers/source";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import { secondsToMs } from "@/lib/core/units";
import type { Rule } from "../context";
import { flag, int, judgeConfidence, noImpact, num, pct } from "../context";
import type { EvidenceNumber } from "../types";

/** Lambda's largest timeout, in seconds. */
const MAX_TIMEOUT_S = 900;
/** A recommended batch should take about this share of the timeout. */
const TARGET_SHARE = 0.5;

const judged = (m: EventSourceMapping) =>
  m.kind === "sqs" && m.state === "Enabled" && m.sourceArn !== null && (m.batchSize ?? 1) > 1;

export const sqsBatchTimeout: Rule = (input, ctx) => {
  const mappings = (input.sources?.mappings ?? []).filter(judged);
  if (mappings.length === 0) return [];
  const o = input.observed;
  const longest = o.duration.max ?? o.duration.p999;
  const longestKey = o.duration.max !== null ? "maxDuration" : "p999Duration";
  const timedOut = o.timeouts ?? 0;
  const timeoutMs = secondsToMs(input.config.timeout);
  const near = longest !== null && longest >= ctx.thresholds.timeout.nearAbove * timeoutMs;
  if (!near && timedOut === 0) return [];

  // The largest batch is the one most at risk; the others (if any) are said in the title.
  const m = mappings.reduce((a, b) => ((b.batchSize ?? 1) > (a.batchSize ?? 1) ? b : a));
  const batch = m.batchSize!;
  const queue = sourceName(m.sourceArn);
  const runMs = Math.max(longest ?? 0, timedOut > 0 ? timeoutMs : 0);
  const smaller = Math.max(1, Math.min(batch - 1, Math.floor((batch * TARGET_SHARE * timeoutMs) / runMs)));
  const longerS = Math.min(MAX_TIMEOUT_S, Math.ceil(runMs / TARGET_SHARE / 1000));

  const numbers: Record<string, EvidenceNumber> = {
    batchSize: num(batch, "count"),
    functionTimeout: num(input.config.timeout, "s"),
  };
  if (longest !== null) numbers[longestKey] = num(longest, "ms");
  if (o.timeouts !== null) numbers.timeouts = num(o.timeouts, "count");
  numbers.recommendedBatchSize = num(smaller, "count");
  if (longerS > input.config.timeout) numbers.recommendedTimeout = num(longerS, "s");

  const seen =
    timedOut > 0
      ? `${int(timedOut)} invocations timed out`
      : `${o.duration.max !== null ? "the longest run" : "p99.9"} took ${pct(longest! / timeoutMs)} of it`;
  const others =
    mappings.length > 1 ? ` (and ${mappings.length - 1} more queue${mappings.length > 2 ? "s" : ""})` : "";
  const retried = m.reportBatchItemFailures
    ? "ReportBatchItemFailures does not help here: a timed-out invocation returns no response, so Lambda retries the whole batch anyway (partial batch responses only narrow the failures the function reports itself)."
    : "A timed-out batch is retried whole: its messages return to the queue, and the ones already handled run again.";
  const longer =
    longerS > input.config.timeout
      ? ` or raise the timeout to ${longerS} s (and the queue's visibility timeout to at least ${ctx.thresholds.sqs.visibilityFactor} × that)`
      : "";
  return [
    flag(input, "sqs-batch-timeout", {
      severity: "warning",
      title: `Queue ${queue}${others}: a batch of ${batch} can outrun the ${input.config.timeout} s timeout (${seen})`,
      numbers,
      confidence: judgeConfidence(input, ctx, { fromLogs: o.timeouts !== null && timedOut > 0 }),
      recommendation: {
        text: `${retried} Lower ${queue}'s BatchSize from ${batch} to ${smaller}${longer}, so a batch finishes well within the timeout.`,
        action: { kind: "set-batch-size", mappingUuid: m.uuid, batchSize: smaller },
      },
      monthlyImpact: noImpact("a reliability risk: messages processed again, not a list-price cost"),
    }),
  ];
};
