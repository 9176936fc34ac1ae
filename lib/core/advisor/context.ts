/**
 * Shared helpers for advisor rules: the context every rule receives, the confidence judgement, and pricing of
 * the function's observed usage projected to a month. Rules stay small by building flags through these.
 */
import { isFleetscopeError } from "@/lib/core/errors";
import type { Architecture } from "@/lib/core/lambda/types";
import {
  type CostBreakdown,
  type CostEstimate,
  type UnknownRegionPolicy,
  aliasVersionCount,
  billedMs,
  estimateCost,
  provisionedConfigs,
  windowDays,
} from "@/lib/core/pricing";
import { type EpochMs, type Mb, microUsd } from "@/lib/core/units";
import type { Thresholds } from "./thresholds";
import type { AdvisorInput, ConfidenceLevel, EvidenceNumber, EvidenceUnit, Flag, RuleId } from "./types";

/** The free tier is never applied: it belongs to the account, not to one function. */
export interface PricingContext {
  unknownRegion: UnknownRegionPolicy;
}

export interface RuleContext {
  thresholds: Thresholds;
  now: EpochMs;
  pricing: PricingContext;
}

export type Rule = (input: AdvisorInput, ctx: RuleContext) => Flag[];

export const num = (value: number, unit: EvidenceUnit): EvidenceNumber => ({ value, unit });

/** REPORT lines seen per Invocations counted; null when logs were not queried or there were no invocations. */
export function reportCoverage(input: AdvisorInput): number | null {
  const { reportCount, invocations } = input.observed;
  if (reportCount === null || invocations === 0) return null;
  return reportCount / invocations;
}

/**
 * How sure a flag is. Low: too few invocations, or (for log-derived evidence) REPORT lines missing.
 * Medium: a window shorter than the anchors' 7 days, or fewer invocations than `highConfidenceInvocations`.
 * High otherwise. The reason names the weakest point.
 */
export function judgeConfidence(
  input: AdvisorInput,
  ctx: RuleContext,
  opts: { fromLogs?: boolean; needsLongWindow?: boolean } = {},
): { level: ConfidenceLevel; why: string } {
  const e = ctx.thresholds.evidence;
  const inv = input.observed.invocations;
  const days = windowDays(input.observed.window);
  const coverage = reportCoverage(input);
  if (inv < e.minInvocations)
    return { level: "low", why: `only ${int(inv)} invocations (< ${int(e.minInvocations)})` };
  if (opts.fromLogs && (coverage === null || coverage < e.minReportCoverage)) {
    const seen =
      coverage === null ? "no REPORT lines queried" : `REPORT lines for ${pct(coverage)} of invocations`;
    return { level: "low", why: `log-derived evidence is thin: ${seen}` };
  }
  if (opts.needsLongWindow && days < e.minWindowDays) {
    return { level: "medium", why: `${days.toFixed(1)} days observed (anchors want ≥ ${e.minWindowDays})` };
  }
  if (inv < e.highConfidenceInvocations) return { level: "medium", why: `${int(inv)} invocations observed` };
  return { level: "high", why: `${int(inv)} invocations over ${days.toFixed(1)} days` };
}

/** Whole numbers in titles and texts with thousands separators: "373,499 invocations". */
export const int = (n: number): string => Math.round(n).toLocaleString("en-US");

export const pct = (r: number): string => `${(r * 100).toFixed(r < 0.1 ? 1 : 0)}%`;

export function flag(
  input: AdvisorInput,
  ruleId: RuleId,
  rest: Omit<Flag, "ruleId" | "functionName" | "region" | "evidence"> & {
    numbers: Flag["evidence"]["numbers"];
  },
): Flag {
  const { numbers, ...others } = rest;
  return {
    ruleId,
    functionName: input.config.name,
    region: input.config.region,
    ...others,
    evidence: { window: input.observed.window, numbers, invocationsSeen: input.observed.invocations },
  };
}

export const noImpact = (basis: string): Flag["monthlyImpact"] => ({
  amount: microUsd(0),
  kind: "none",
  basis,
});

/** A month's cost at the observed usage; `lowerBound` with the parts it leaves out (`missing`). */
export type ProjectedCost = CostBreakdown & Pick<CostEstimate, "lowerBound" | "missing">;

/**
 * The function's cost projected to a month from the window (estimate.ts: provisioned concurrency and SnapStart's
 * cache included), optionally at another memory size or architecture (the same billed duration is assumed).
 * What cannot be priced (INIT with cold starts or init unread, provisioned concurrency unread, SnapStart
 * restores) is left out and named: the total is then a lower bound. null when there is no duration or no price
 * for the region.
 */
export function projectedMonthlyCost(
  input: AdvisorInput,
  ctx: RuleContext,
  override: { memory?: Mb; architecture?: Architecture } = {},
): ProjectedCost | null {
  const o = input.observed;
  const avg = o.duration.avg ?? o.duration.p50;
  if (avg === null || !(o.window.end > o.window.start)) return null;
  const span = o.window.end - o.window.start;
  const { count, avgInitMs } = o.coldStarts;
  const spills = o.provisioned.map((p) => p.spilloverInvocations);
  try {
    const e = estimateCost({
      config: {
        ...input.config,
        memory: override.memory ?? input.config.memory,
        architecture: override.architecture ?? input.config.architecture,
      },
      now: ctx.now,
      invocations: o.invocations,
      metricsMs: span,
      avgBilled: billedMs(avg),
      coldStarts:
        count === null
          ? { unknown: input.missing?.logs ?? "cold starts not counted" }
          : count > 0 && avgInitMs === null
            ? { unknown: "init duration not read" }
            : { count, avgInit: avgInitMs, spanMs: span },
      provisioned:
        input.missing?.settings === undefined
          ? provisionedConfigs(input.provisionedConcurrency)
          : { unknown: input.missing.settings },
      spillover:
        spills.length === 0 || spills.includes(null)
          ? null
          : spills.reduce<number>((a, b) => a + (b ?? 0), 0),
      snapStartVersions: Math.max(aliasVersionCount(input.aliases), input.versions.length),
      unknownRegion: ctx.pricing.unknownRegion,
    });
    return { ...e.parts, lowerBound: e.lowerBound, missing: e.missing };
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "InvalidInput") return null;
    throw e;
  }
}

/** Marks an impact built on a lower-bound cost as one, naming what the cost leaves out. */
export function boundedBy(
  impact: Flag["monthlyImpact"],
  costs: readonly (ProjectedCost | null)[],
): Flag["monthlyImpact"] {
  const missing = [...new Set(costs.flatMap((c) => (c?.lowerBound ? c.missing : [])))];
  if (impact.kind === "none" || missing.length === 0) return impact;
  return { ...impact, lowerBound: true, missing };
}

/**
 * The monthly difference between two projected costs, or "none" when either could not be priced. A part left
 * out of both (INIT, provisioned concurrency, SnapStart restores) grows and shrinks with memory and
 * architecture like the rest, so the difference of two lower bounds is itself a lower bound, and said so.
 */
export function costDelta(
  before: ProjectedCost | null,
  after: ProjectedCost | null,
  kind: "saving" | "cost",
  basis: string,
): Flag["monthlyImpact"] {
  if (!before || !after) return noImpact("no duration data or no price for this region");
  const amount = kind === "saving" ? before.total - after.total : after.total - before.total;
  return boundedBy({ amount: microUsd(amount), kind, basis }, [before, after]);
}
