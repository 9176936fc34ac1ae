import { flag, int, judgeConfidence, noImpact, num, pct, type Rule } from "../context";

/** Any throttle warns; more than `criticalAbove` of requests (overall or on any day) is critical. */
export const throttles: Rule = (input, ctx) => {
  const o = input.observed;
  if (o.throttles === 0) return [];
  const requests = o.invocations + o.throttles;
  const overall = o.throttles / requests;
  const worstDay = Math.max(
    0,
    ...o.perDay
      .filter((d) => d.invocations + d.throttles > 0)
      .map((d) => d.throttles / (d.invocations + d.throttles)),
  );
  const critical = Math.max(overall, worstDay) > ctx.thresholds.throttles.criticalAbove;
  const reserved = input.reservedConcurrency;
  // Throttled share of demand suggests how much more concurrency the demand wanted (a lower bound in bursts).
  const wanted = reserved === null ? null : Math.ceil(reserved / (1 - Math.max(overall, worstDay)));
  return [
    flag(input, "throttles", {
      severity: critical ? "critical" : "warning",
      title: `${int(o.throttles)} throttled requests (${pct(overall)} of requests)`,
      numbers: {
        throttles: num(o.throttles, "count"),
        throttleRate: num(overall, "ratio"),
        worstDayThrottleRate: num(worstDay, "ratio"),
        ...(reserved === null ? {} : { reservedConcurrency: num(reserved, "concurrency") }),
        ...(o.concurrencyMax === null ? {} : { concurrencyMax: num(o.concurrencyMax, "concurrency") }),
      },
      confidence:
        requests >= ctx.thresholds.evidence.minInvocations
          ? { level: "high", why: `Throttles metric: ${int(o.throttles)} of ${int(requests)} requests` }
          : judgeConfidence(input, ctx),
      recommendation:
        reserved !== null && wanted !== null && wanted > reserved
          ? {
              text: `Reserved concurrency ${int(reserved)} caps this function: raise it to at least ${int(wanted)}, or smooth bursts with a queue.`,
              action: { kind: "set-reserved-concurrency", concurrency: wanted },
            }
          : {
              text: "The account's concurrency pool is exhausted at peaks: reserve concurrency or request a quota increase.",
              action: { kind: "investigate" },
            },
      monthlyImpact: noImpact("throttled requests are not billed; the cost is failed or delayed work"),
    }),
  ];
};
