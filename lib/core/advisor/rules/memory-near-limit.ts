import { costDelta, flag, int, judgeConfidence, num, pct, projectedMonthlyCost, type Rule } from "../context";
import { recommendMemory } from "./memory-size";

/** Any invocation above `nearLimitAbove` of configured memory (Datadog: 95%) warns; OOM kills are critical. */
export const memoryNearLimit: Rule = (input, ctx) => {
  const t = ctx.thresholds.memory;
  const o = input.observed;
  const configured = input.config.memory;
  const share = o.memoryUsed.max === null ? null : o.memoryUsed.max / configured;
  const near = share !== null && share > t.nearLimitAbove;
  // null: the logs were not read (data-coverage says so); only a count seen in them is an OOM kill.
  const kills = o.outOfMemory ?? 0;
  if (!near && kills === 0) return [];

  // A function that was killed needed more than it had: size from the configured memory, not the (capped) peak.
  const recommended = recommendMemory(configured, t.headroom, t.stepMb);
  const oom = kills > 0;
  return [
    flag(input, "memory-near-limit", {
      severity: oom ? "critical" : "warning",
      title: oom
        ? `Out-of-memory kills: ${int(kills)} in the window`
        : `Memory near limit: peak use ${pct(share ?? 0)} of ${configured} MB`,
      numbers: {
        configuredMemory: num(configured, "MB"),
        ...(o.memoryUsed.max === null ? {} : { maxMemoryUsed: num(o.memoryUsed.max, "MB") }),
        ...(share === null ? {} : { maxUsedShare: num(share, "ratio") }),
        ...(o.outOfMemory === null ? {} : { outOfMemoryKills: num(o.outOfMemory, "count") }),
        recommendedMemory: num(recommended, "MB"),
      },
      confidence: oom
        ? { level: "high", why: `${int(kills)} OOM kills seen in the logs` }
        : judgeConfidence(input, ctx, { fromLogs: true }),
      recommendation: {
        text: `Raise memory to ${int(recommended)} MB, or find what holds memory (large payloads, caches, leaks).`,
        action: { kind: "set-memory", memory: recommended },
      },
      monthlyImpact: costDelta(
        projectedMonthlyCost(input, ctx),
        projectedMonthlyCost(input, ctx, { memory: recommended }),
        "cost",
        "extra on-demand cost at the recommended size (same duration assumed)",
      ),
    }),
  ];
};
