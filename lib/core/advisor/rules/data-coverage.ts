import { flag, noImpact, num, pct, reportCoverage, type Rule } from "../context";

/**
 * Says when the console's own evidence is thin instead of guessing: too few invocations to judge, REPORT lines
 * that don't match the Invocations metric (wrong log group, retention, log filtering), tracing off.
 * A custom log group alone is not a problem: it is read through LoggingConfig.
 */
export const dataCoverage: Rule = (input, ctx) => {
  const o = input.observed;
  const reasons: string[] = [];
  const numbers: Record<string, ReturnType<typeof num>> = { invocations: num(o.invocations, "count") };
  if (o.invocations < ctx.thresholds.evidence.minInvocations) {
    reasons.push(
      o.invocations === 0
        ? "no invocations in the window: nothing to judge"
        : `only ${o.invocations} invocations: too few to judge memory, duration or error rates`,
    );
  }
  const coverage = reportCoverage(input);
  if (coverage !== null && o.invocations >= ctx.thresholds.evidence.minInvocations) {
    numbers.reportCount = num(o.reportCount ?? 0, "count");
    numbers.reportCoverage = num(coverage, "ratio");
    if (Math.abs(1 - coverage) > ctx.thresholds.coverage.reportMismatchAbove) {
      reasons.push(`REPORT lines cover ${pct(coverage)} of invocations in ${input.config.logGroup}`);
    }
  }
  if (input.config.tracing !== "Active")
    reasons.push("X-Ray tracing is off: no traces for slow or failed requests");
  if (reasons.length === 0) return [];
  return [
    flag(input, "data-coverage", {
      severity: "info",
      title: `Thin evidence: ${reasons[0]}`,
      numbers,
      confidence: { level: "high", why: reasons.join("; ") },
      recommendation: {
        text: reasons.join("; ") + ".",
        action: { kind: "improve-telemetry" },
      },
      monthlyImpact: noImpact("about the evidence, not the function"),
    }),
  ];
};
