import { gbOf } from "@/lib/core/pricing";
import { ratesFor } from "@/lib/core/pricing/rates";
import { isFleetscopeError } from "@/lib/core/errors";
import { microUsd, seconds, secondsToMs, usdToMicro } from "@/lib/core/units";
import { flag, judgeConfidence, num, type Rule } from "../context";

/**
 * A large timeout (> `largeSeconds`) more than `overGenerousFactor` × p99.9: a runaway invocation (hung
 * connection, retry loop) burns up to the whole timeout. Recommended: 3 × p99.9, never below the longest run seen.
 */
export const timeoutOverGenerous: Rule = (input, ctx) => {
  const t = ctx.thresholds.timeout;
  const o = input.observed;
  const p999 = o.duration.p999;
  if (p999 === null || o.invocations < ctx.thresholds.evidence.minInvocations) return [];
  if (input.config.timeout <= t.largeSeconds) return [];
  const timeoutMs = secondsToMs(input.config.timeout);
  if (p999 * t.overGenerousFactor >= timeoutMs) return [];
  const longest = Math.max(p999 * 3, (o.duration.max ?? 0) * 1.2);
  const recommended = seconds(Math.max(1, Math.ceil(longest / 1000)));
  if (recommended >= input.config.timeout) return [];

  let perRunaway = microUsd(0);
  try {
    const rate = ratesFor(input.config.region, ctx.pricing.unknownRegion).rates.architectures[
      input.config.architecture
    ].duration[0]?.usdPerGbSecond;
    perRunaway = usdToMicro((input.config.timeout - recommended) * gbOf(input.config.memory) * (rate ?? 0));
  } catch (e) {
    if (!(isFleetscopeError(e) && e.code === "InvalidInput")) throw e;
  }
  return [
    flag(input, "timeout-over-generous", {
      severity: "info",
      title: `Timeout ${input.config.timeout} s is ${Math.round(timeoutMs / p999)}× the p99.9 duration`,
      numbers: {
        timeout: num(input.config.timeout, "s"),
        p999Duration: num(p999, "ms"),
        ...(o.duration.max === null ? {} : { maxDuration: num(o.duration.max, "ms") }),
        recommendedTimeout: num(recommended, "s"),
      },
      confidence: judgeConfidence(input, ctx, { needsLongWindow: true }),
      recommendation: {
        text: `Lower the timeout to ${recommended} s so a runaway invocation fails fast and costs less.`,
        action: { kind: "set-timeout", timeout: recommended },
      },
      monthlyImpact: {
        amount: perRunaway,
        kind: "at-risk",
        basis: "extra cost of each runaway invocation at the current timeout vs the recommended one",
      },
    }),
  ];
};
