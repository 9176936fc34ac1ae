import { supportsArm64 } from "@/lib/core/runtimes";
import { usdToMicro } from "@/lib/core/units";
import { costDelta, flag, judgeConfidence, num, projectedMonthlyCost, type Rule } from "../context";

/**
 * x86_64 ZIP function on a runtime that has arm64: duration is ~20% cheaper there. Info only, and only when the
 * projected saving reaches `minMonthlySavingUsd` (native dependencies must be rebuilt; not every workload moves).
 */
export const arm64Move: Rule = (input, ctx) => {
  const t = ctx.thresholds.arm64;
  const c = input.config;
  if (!t.enabled || c.architecture !== "x86_64" || c.packageType !== "Zip" || c.runtime === null) return [];
  if (!supportsArm64(c.runtime)) return [];
  const before = projectedMonthlyCost(input, ctx);
  const after = projectedMonthlyCost(input, ctx, { architecture: "arm64" });
  const impact = costDelta(
    before,
    after,
    "saving",
    "on-demand cost on x86_64 vs arm64 at the observed usage",
  );
  if (impact.kind === "none" || impact.amount < usdToMicro(t.minMonthlySavingUsd)) return [];
  return [
    flag(input, "arm64-move", {
      severity: "info",
      title: `Moving to arm64 would save about ${before ? Math.round((impact.amount / before.total) * 100) : 20}%`,
      numbers: {
        monthlyCostX86: num((before?.total ?? 0) / 1e6, "usd"),
        monthlyCostArm64: num((after?.total ?? 0) / 1e6, "usd"),
      },
      confidence: judgeConfidence(input, ctx, { needsLongWindow: true }),
      recommendation: {
        text: `${c.runtime} runs on arm64 (Graviton): rebuild native dependencies for arm64 and switch the architecture.`,
        action: { kind: "switch-architecture", to: "arm64" },
      },
      monthlyImpact: impact,
    }),
  ];
};
