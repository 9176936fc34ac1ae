import { noImpact, flag, int, judgeConfidence, num, pct, projectedMonthlyCost, type Rule } from "../context";

/**
 * Cold starts on more than `warnAbove` of invocations (Datadog: 1%), with their init time and, since INIT is
 * billed (2025-08-01 for managed ZIP runtimes), their monthly cost.
 */
export const coldStarts: Rule = (input, ctx) => {
  const o = input.observed;
  const count = o.coldStarts.count;
  // null: the logs were not read (data-coverage says so), not "no cold starts".
  if (count === null || o.invocations < ctx.thresholds.evidence.minInvocations) return [];
  const rate = count / o.invocations;
  if (rate <= ctx.thresholds.coldStarts.warnAbove) return [];
  const cost = projectedMonthlyCost(input, ctx);
  const java = input.config.runtime?.startsWith("java") ?? false;
  return [
    flag(input, "cold-starts", {
      severity: "warning",
      title: `Cold starts on ${pct(rate)} of invocations${o.coldStarts.avgInitMs === null ? "" : `, init ${int(o.coldStarts.avgInitMs)} ms on average`}`,
      numbers: {
        coldStarts: num(count, "count"),
        coldStartRate: num(rate, "ratio"),
        ...(o.coldStarts.avgInitMs === null ? {} : { avgInitDuration: num(o.coldStarts.avgInitMs, "ms") }),
        ...(o.coldStarts.p99InitMs === null ? {} : { p99InitDuration: num(o.coldStarts.p99InitMs, "ms") }),
        // Where no init distribution is kept (the store), the longest init stands in for p99, named as such.
        ...(o.coldStarts.maxInitMs == null ? {} : { maxInitDuration: num(o.coldStarts.maxInitMs, "ms") }),
      },
      confidence: judgeConfidence(input, ctx, { fromLogs: true }),
      recommendation: {
        text:
          "Shrink init (lazy imports, smaller package)" +
          (java ? ", enable SnapStart" : "") +
          ", or keep environments warm with provisioned concurrency if traffic is steady enough.",
        action: { kind: "investigate" },
      },
      monthlyImpact:
        cost && cost.init > 0
          ? {
              amount: cost.init,
              kind: "cost",
              basis: "billed INIT duration of cold starts, projected to a month",
            }
          : noImpact("INIT not billed for this function, or no init data"),
    }),
  ];
};
