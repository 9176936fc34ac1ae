import type { AdvisorInput } from "../types";
import { flag, int, noImpact, num, pct, reportCoverage, type Rule } from "../context";

/**
 * What other rules could not judge because their evidence is missing (a null observation), named one by one:
 * a missing number silently read as zero would hide exactly the problems those rules look for.
 */
function couldNotJudge(input: AdvisorInput): string[] {
  const o = input.observed;
  const out: string[] = [];
  // Logs that could not be read are listed as not judged, rule by rule (evidence.ts), not repeated here.
  if (
    input.missing?.logs === undefined &&
    (o.timeouts === null || o.outOfMemory === null || o.coldStarts.count === null)
  )
    out.push(
      "no REPORT lines for this function in the window (not collected yet, or a log group shared by several " +
        "functions): memory sizing, timeouts, OOM kills, cold starts and duration percentiles could not be judged",
    );
  const weighted = input.aliases.filter((a) => a.routing !== null).map((a) => a.name);
  if (o.perVersion === null && weighted.length > 0)
    out.push(
      `no per-version counts: the error rate of each version behind ${weighted.join(", ")} (weighted routing) ` +
        "could not be judged",
    );
  const unattributed = o.provisioned.filter((p) => p.spilloverInvocations === null).map((p) => p.qualifier);
  if (unattributed.length > 0)
    out.push(
      `provisioned-concurrency metrics are function-wide, not split between ${unattributed.join(", ")}: ` +
        "utilisation and spillover per qualifier could not be judged",
    );
  return out;
}

/**
 * Says when the console's own evidence is thin instead of guessing: too few invocations to judge, REPORT lines
 * that don't match the Invocations metric (wrong log group, retention, log filtering), evidence that was not
 * collected at all, tracing off. A custom log group alone is not a problem: it is read through LoggingConfig.
 */
export const dataCoverage: Rule = (input, ctx) => {
  const o = input.observed;
  const reasons: string[] = [];
  // Metrics that could not be read are not "no invocations": the not-judged list says so.
  const metricsRead = input.missing?.metrics === undefined;
  const numbers: Record<string, ReturnType<typeof num>> = metricsRead
    ? { invocations: num(o.invocations, "count") }
    : {};
  if (!metricsRead) reasons.push(...couldNotJudge(input).map((r) => `could not judge: ${r}`));
  else if (o.invocations < ctx.thresholds.evidence.minInvocations) {
    reasons.push(
      o.invocations === 0
        ? "no invocations in the window: nothing to judge"
        : `only ${int(o.invocations)} invocations: too few to judge memory, duration or error rates`,
    );
  } else reasons.push(...couldNotJudge(input).map((r) => `could not judge: ${r}`));
  const coverage = reportCoverage(input);
  if (coverage !== null && metricsRead && o.invocations >= ctx.thresholds.evidence.minInvocations) {
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
