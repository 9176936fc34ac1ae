import { microUsd } from "@/lib/core/units";
import type { Flag } from "../types";
import {
  boundedBy,
  flag,
  int,
  judgeConfidence,
  noImpact,
  num,
  pct,
  projectedMonthlyCost,
  type Rule,
} from "../context";

/**
 * Error rate above `warnAbove` warns, above `criticalAbove` (overall, or on any day: Trusted Advisor) is
 * critical. When traffic is split across versions (a canary), each version is judged on its own too, so a bad
 * new version is named even while the blended rate looks tolerable.
 */
export const errors: Rule = (input, ctx) => {
  const t = ctx.thresholds.errors;
  const min = ctx.thresholds.evidence.minInvocations;
  const o = input.observed;
  if (o.invocations < min) return [];
  const overall = o.errors / o.invocations;
  const worstDay = Math.max(
    0,
    ...o.perDay.filter((d) => d.invocations >= min).map((d) => d.errors / d.invocations),
  );
  const monthly = projectedMonthlyCost(input, ctx);
  const impact = (rate: number): Flag["monthlyImpact"] =>
    monthly
      ? boundedBy(
          {
            amount: microUsd(Math.round(monthly.total * rate)),
            kind: "cost",
            basis: "share of cost spent on failed invocations",
          },
          [monthly],
        )
      : noImpact("no duration data or no price for this region");

  const out: Flag[] = [];
  if (overall > t.warnAbove || worstDay > t.criticalAbove) {
    const critical = overall > t.criticalAbove || worstDay > t.criticalAbove;
    out.push(
      flag(input, "errors", {
        severity: critical ? "critical" : "warning",
        title: `Error rate ${pct(overall)}${worstDay > overall ? ` (worst day ${pct(worstDay)})` : ""}`,
        numbers: {
          errors: num(o.errors, "count"),
          errorRate: num(overall, "ratio"),
          worstDayErrorRate: num(worstDay, "ratio"),
        },
        confidence: judgeConfidence(input, ctx),
        recommendation: {
          text: "Open the Errors view for this function: its errors grouped by message and by version.",
          action: { kind: "open-errors" },
        },
        monthlyImpact: impact(overall),
      }),
    );
  }
  // null: per-version counts not available; data-coverage names the canary that could not be judged.
  if (o.perVersion === null || o.perVersion.length < 2) return out;
  for (const v of o.perVersion) {
    if (v.invocations < min) continue;
    const rate = v.errors / v.invocations;
    if (rate <= t.warnAbove) continue;
    out.push(
      flag(input, "errors", {
        qualifier: v.version,
        severity: rate > t.criticalAbove ? "critical" : "warning",
        title: `Version ${v.version}: error rate ${pct(rate)} (function ${pct(overall)})`,
        numbers: {
          versionInvocations: num(v.invocations, "count"),
          versionErrors: num(v.errors, "count"),
          versionErrorRate: num(rate, "ratio"),
          functionErrorRate: num(overall, "ratio"),
        },
        confidence:
          v.invocations >= ctx.thresholds.evidence.highConfidenceInvocations
            ? { level: "high", why: `${int(v.invocations)} invocations of version ${v.version}` }
            : { level: "medium", why: `only ${int(v.invocations)} invocations of version ${v.version}` },
        recommendation: {
          text: `If an alias is shifting traffic to version ${v.version}, roll it back and compare with the previous version.`,
          action: { kind: "investigate" },
        },
        monthlyImpact: impact(v.errors / o.invocations || 0),
      }),
    );
  }
  return out;
};
