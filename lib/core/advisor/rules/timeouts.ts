import { billedMs, monthlyCost, projectMonthly } from "@/lib/core/pricing";
import { isFleetscopeError } from "@/lib/core/errors";
import { secondsToMs } from "@/lib/core/units";
import { flag, int, judgeConfidence, noImpact, num, pct, type Rule } from "../context";

/**
 * Timeouts observed warn; more than `dailyRateCritical` of a day's invocations timing out (Trusted Advisor:
 * 10% on any day of the last 7) is critical. The money at stake is the compute billed for runs that then failed.
 */
export const timeouts: Rule = (input, ctx) => {
  const o = input.observed;
  const n = o.timeouts;
  // null: the logs were not read, which data-coverage reports; never judged as "no timeouts".
  if (n === null || n === 0) return [];
  const t = ctx.thresholds.timeout;
  const overall = o.invocations > 0 ? n / o.invocations : 1;
  const worstDay = o.perDay
    .filter((d) => d.invocations > 0 && d.timeouts !== null)
    .reduce<{ rate: number; day: number } | null>((worst, d) => {
      const rate = (d.timeouts ?? 0) / d.invocations;
      return worst === null || rate > worst.rate ? { rate, day: d.day } : worst;
    }, null);
  const peakRate = Math.max(overall, worstDay?.rate ?? 0);
  const critical = peakRate > t.dailyRateCritical;
  const timeoutMs = secondsToMs(input.config.timeout);

  let monthlyImpact = noImpact("no price for this region");
  try {
    const lost = monthlyCost({
      region: input.config.region,
      architecture: input.config.architecture,
      memory: input.config.memory,
      invocations: projectMonthly({ n }, o.window).n,
      avgBilledDurationMs: billedMs(timeoutMs),
      unknownRegion: ctx.pricing.unknownRegion,
    });
    monthlyImpact = {
      amount: lost.total,
      kind: "cost",
      basis: "compute billed for invocations that timed out",
    };
  } catch (e) {
    if (!(isFleetscopeError(e) && e.code === "InvalidInput")) throw e;
  }

  return [
    flag(input, "timeouts", {
      severity: critical ? "critical" : "warning",
      title: `${int(n)} invocations timed out (${pct(overall)}${worstDay ? `, worst day ${pct(worstDay.rate)}` : ""})`,
      numbers: {
        timeouts: num(n, "count"),
        timeoutRate: num(overall, "ratio"),
        ...(worstDay ? { worstDayTimeoutRate: num(worstDay.rate, "ratio") } : {}),
        timeout: num(input.config.timeout, "s"),
      },
      confidence: judgeConfidence(input, ctx, { fromLogs: true }),
      recommendation: {
        text: critical
          ? "Find what hangs (downstream calls without their own timeouts, retries) before raising the timeout."
          : "Check the slowest invocations' traces for the downstream call that runs long.",
        action: { kind: "investigate" },
      },
      monthlyImpact,
    }),
  ];
};
