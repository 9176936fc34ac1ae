import { secondsToMs } from "@/lib/core/units";
import { flag, judgeConfidence, noImpact, num, pct, type Rule } from "../context";

/**
 * Invocations running past `nearAbove` of the timeout (Serverless Dashboard 90%, Datadog 95%: the stricter 90%).
 * Judged from the count when collected, else from p99 / p99.9: a percentile above the mark means at least 1% /
 * 0.1% of invocations were there. A single slow outlier (max only) is not enough.
 */
export const timeoutNear: Rule = (input, ctx) => {
  const o = input.observed;
  if (o.invocations < ctx.thresholds.evidence.minInvocations) return [];
  const timeoutMs = secondsToMs(input.config.timeout);
  const mark = ctx.thresholds.timeout.nearAbove * timeoutMs;
  const { p99, p999 } = o.duration;
  const share = o.nearTimeoutInvocations === null ? null : o.nearTimeoutInvocations / o.invocations;
  const byPercentile = (p99 !== null && p99 >= mark) || (p999 !== null && p999 >= mark);
  const byCount = share !== null && share >= 0.001;
  if (!byPercentile && !byCount) return [];
  return [
    flag(input, "timeout-near", {
      severity: "warning",
      title:
        p99 !== null && p99 >= mark
          ? `p99 duration ${(p99 / 1000).toFixed(1)} s is ${pct(p99 / timeoutMs)} of the ${input.config.timeout} s timeout`
          : `Invocations run past ${pct(ctx.thresholds.timeout.nearAbove)} of the ${input.config.timeout} s timeout`,
      numbers: {
        timeout: num(input.config.timeout, "s"),
        ...(p99 === null ? {} : { p99Duration: num(p99, "ms") }),
        ...(p999 === null ? {} : { p999Duration: num(p999, "ms") }),
        ...(o.duration.max === null ? {} : { maxDuration: num(o.duration.max, "ms") }),
        ...(share === null ? {} : { nearTimeoutShare: num(share, "ratio") }),
      },
      confidence: judgeConfidence(input, ctx, { fromLogs: o.nearTimeoutInvocations !== null }),
      recommendation: {
        text: "Find the slow path (traces of the slowest invocations) or raise the timeout with margin.",
        action: { kind: "investigate" },
      },
      monthlyImpact: noImpact("risk of failures, not a list-price cost"),
    }),
  ];
};
