import type { Rule } from "../context";
import { flag, int, noImpact, num } from "../context";

/**
 * A stream consumer far behind: IteratorAge Maximum above `warnAboveMs` (default 2 h). Its trend is judged by
 * stream-falling-behind.ts; merge.ts folds the two into one recommendation.
 */
export const iteratorAge: Rule = (input, ctx) => {
  const age = input.observed.iteratorAgeMaxMs;
  const limit = ctx.thresholds.iteratorAge.warnAboveMs;
  if (age === null || age <= limit) return [];
  return [
    flag(input, "iterator-age", {
      severity: "warning",
      title: `Stream records wait up to ${(age / 3_600_000).toFixed(1)} h before processing`,
      numbers: { iteratorAgeMax: num(age, "ms"), threshold: num(limit, "ms") },
      confidence: { level: "high", why: "IteratorAge Maximum" },
      recommendation: {
        text: "Raise batch size or parallelization factor, or fix slow/failing batches; records expire with the stream's retention.",
        action: { kind: "investigate" },
      },
      monthlyImpact: noImpact("risk of losing records at stream retention"),
    }),
  ];
};

/** Lambda's recursive-loop detection stopped invocations (e.g. a function writing to the queue it reads). */
export const recursiveInvocationsDropped: Rule = (input) => {
  const n = input.observed.recursiveInvocationsDropped;
  if (n === 0) return [];
  return [
    flag(input, "recursive-invocations-dropped", {
      severity: "warning",
      title: `${int(n)} recursive invocations stopped by loop detection`,
      numbers: { recursiveInvocationsDropped: num(n, "count") },
      confidence: { level: "high", why: "RecursiveInvocationsDropped Sum" },
      recommendation: {
        text: "Break the loop between this function and its event source/target.",
        action: { kind: "investigate" },
      },
      monthlyImpact: noImpact("the loop is already stopped; its events are lost"),
    }),
  ];
};
