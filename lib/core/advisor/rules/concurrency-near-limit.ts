import { flag, int, noImpact, num, pct, type Rule } from "../context";

/** Peak concurrency at or above `nearAbove` of the function's reserved concurrency, or of the account's unreserved pool. */
export const concurrencyNearLimit: Rule = (input, ctx) => {
  const peak = input.observed.concurrencyMax;
  if (peak === null) return [];
  const near = ctx.thresholds.concurrency.nearAbove;
  const reserved = input.reservedConcurrency;
  const limit = reserved ?? input.account?.unreservedConcurrentExecutions ?? null;
  if (limit === null || limit <= 0 || peak < near * limit) return [];
  const what = reserved === null ? "the account's unreserved pool" : "its reserved concurrency";
  return [
    flag(input, "concurrency-near-limit", {
      severity: "warning",
      title: `Peak concurrency ${int(peak)} is ${pct(peak / limit)} of ${what} (${int(limit)})`,
      numbers: {
        concurrencyMax: num(peak, "concurrency"),
        concurrencyLimit: num(limit, "concurrency"),
        concurrencyShare: num(peak / limit, "ratio"),
      },
      confidence: { level: "high", why: "ConcurrentExecutions Maximum over the window" },
      recommendation:
        reserved === null
          ? {
              text: "Reserve concurrency for this function or raise the account quota.",
              action: { kind: "investigate" },
            }
          : {
              text: `Raise reserved concurrency to at least ${int(Math.ceil(peak / near))}, or smooth the bursts.`,
              action: { kind: "set-reserved-concurrency", concurrency: Math.ceil(peak / near) },
            },
      monthlyImpact: noImpact("concurrency is not billed; at the limit, requests are throttled"),
    }),
  ];
};
