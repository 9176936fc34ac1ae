import { ONE_VCPU_MEMORY } from "@/lib/core/limits";
import { costDelta, flag, int, judgeConfidence, num, pct, projectedMonthlyCost, type Rule } from "../context";
import { recommendMemory } from "./memory-size";

/**
 * Max memory used (the strictest statistic: the peak, not p99) below `overProvisionedBelow` of configured, with
 * at least `minInvocations` seen. Compute Optimizer refuses > 1,792 MB; we do not.
 */
export const memoryOverProvisioned: Rule = (input, ctx) => {
  const t = ctx.thresholds.memory;
  const o = input.observed;
  const configured = input.config.memory;
  const maxUsed = o.memoryUsed.max;
  if (maxUsed === null || o.invocations < ctx.thresholds.evidence.minInvocations) return [];
  const usedShare = maxUsed / configured;
  if (usedShare >= t.overProvisionedBelow) return [];
  const recommended = recommendMemory(maxUsed, t.headroom, t.stepMb);
  if (recommended >= configured) return [];

  const before = projectedMonthlyCost(input, ctx);
  const after = projectedMonthlyCost(input, ctx, { memory: recommended });
  const vcpu = (m: number) => (m / ONE_VCPU_MEMORY.value).toFixed(2);
  const cpuNote =
    ` CPU scales with memory (${int(ONE_VCPU_MEMORY.value)} MB ≈ 1 vCPU): ${vcpu(configured)} → ${vcpu(recommended)} ` +
    `vCPU, so a CPU-bound function may run longer and save less than estimated.`;
  return [
    flag(input, "memory-over-provisioned", {
      severity: "warning",
      title: `Memory over-provisioned: peak use ${pct(usedShare)} of ${int(configured)} MB`,
      numbers: {
        configuredMemory: num(configured, "MB"),
        maxMemoryUsed: num(maxUsed, "MB"),
        ...(o.memoryUsed.p99 === null ? {} : { p99MemoryUsed: num(o.memoryUsed.p99, "MB") }),
        maxUsedShare: num(usedShare, "ratio"),
        recommendedMemory: num(recommended, "MB"),
      },
      confidence: judgeConfidence(input, ctx, { fromLogs: true, needsLongWindow: true }),
      recommendation: {
        text: `Lower memory to ${int(recommended)} MB (peak ${int(maxUsed)} MB × ${t.headroom} headroom).${cpuNote}`,
        action: { kind: "set-memory", memory: recommended },
      },
      monthlyImpact: costDelta(
        before,
        after,
        "saving",
        "on-demand cost at the observed rate and duration, now vs at the recommended size (same duration assumed)",
      ),
    }),
  ];
};
