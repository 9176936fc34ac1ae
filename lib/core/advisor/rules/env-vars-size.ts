import { LIMITS } from "@/lib/core/limits";
import { flag, int, noImpact, num, pct, type Rule } from "../context";

/** Environment variables against Lambda's 4 KB total. */
export const envVarsSize: Rule = (input, ctx) => {
  const size = input.config.envVarsSize;
  const share = size / LIMITS.envVarsSize.value;
  if (share < ctx.thresholds.limits.envVarsNearAbove) return [];
  return [
    flag(input, "env-vars-size", {
      severity: "warning",
      title: `Environment variables use ${int(size)} bytes, ${pct(share)} of the 4 KB limit`,
      numbers: { envVarsSize: num(size, "bytes"), share: num(share, "ratio") },
      confidence: { level: "high", why: LIMITS.envVarsSize.cite },
      recommendation: {
        text: "Move large values to SSM Parameter Store or Secrets Manager and read them at init.",
        action: { kind: "investigate" },
      },
      monthlyImpact: noImpact("a configuration update over the limit fails"),
    }),
  ];
};
