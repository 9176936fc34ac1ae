/**
 * SQS source whose queue hides a received batch for less time than the function may take with it: the batch
 * becomes visible again while still being processed, and is processed twice (or sent to the DLQ early).
 *
 * Invariants: AWS's guidance is a visibility timeout of at least `sqs.visibilityFactor` (6) × the function
 * timeout + MaximumBatchingWindowInSeconds; each Enabled SQS mapping whose queue was read is judged (a disabled
 * mapping reads nothing), the shortest one against its minimum leads the one flag per function.
 * Source: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html (queue visibility timeout).
 */
import { sourceName } from "@/lib/core/triggers/source";
import { seconds } from "@/lib/core/units";
import type { Rule } from "../context";
import { flag, noImpact, num } from "../context";

export const sqsVisibilityTimeout: Rule = (input, ctx) => {
  const sources = input.sources;
  if (!sources) return [];
  const factor = ctx.thresholds.sqs.visibilityFactor;
  const timeout = input.config.timeout;
  const short = sources.mappings.flatMap((m) => {
    if (m.kind !== "sqs" || m.state !== "Enabled" || m.sourceArn === null) return [];
    const q = sources.queues[m.sourceArn];
    if (!q) return [];
    const window = m.batchingWindowSeconds ?? 0;
    const required = factor * timeout + window;
    return q.visibilityTimeout < required
      ? [{ m, queueArn: m.sourceArn, visibility: q.visibilityTimeout, window, required }]
      : [];
  });
  if (short.length === 0) return [];
  const worst = short.reduce((a, b) => (b.visibility / b.required < a.visibility / a.required ? b : a));
  const queue = sourceName(worst.queueArn);
  const others =
    short.length > 1 ? ` (and ${short.length - 1} more queue${short.length > 2 ? "s" : ""})` : "";
  return [
    flag(input, "sqs-visibility-timeout", {
      severity: "warning",
      title: `Queue ${queue}${others}: visibility timeout ${worst.visibility} s is under ${factor} × the ${timeout} s function timeout${worst.window > 0 ? ` + ${worst.window} s batching window` : ""}`,
      numbers: {
        visibilityTimeout: num(worst.visibility, "s"),
        functionTimeout: num(timeout, "s"),
        batchingWindow: num(worst.window, "s"),
        recommendedVisibilityTimeout: num(worst.required, "s"),
      },
      confidence: {
        level: "high",
        why: "the queue's VisibilityTimeout (GetQueueAttributes) and the mapping",
      },
      recommendation: {
        text: `Set ${queue}'s VisibilityTimeout to at least ${worst.required} s (AWS: ${factor} × the function timeout + MaximumBatchingWindowInSeconds), or lower the function timeout: otherwise a slow batch reappears while it is still being processed and runs twice.`,
        action: {
          kind: "set-visibility-timeout",
          queueArn: worst.queueArn,
          timeout: seconds(worst.required),
        },
      },
      monthlyImpact: noImpact("a reliability risk: messages processed twice, not a list-price cost"),
    }),
  ];
};
