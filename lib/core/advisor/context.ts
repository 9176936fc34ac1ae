/**
 * Shared helpers for advisor rules: the context every rule receives, the confidence judgement, and pricing of
 * the function's observed usage projected to a month. Rules stay small by building flags through these.
 */
import { isFleetscopeError } from "@/lib/core/errors";
import {
  type CostBreakdown,
  type UnknownRegionPolicy,
  type UsageInput,
  billedMs,
  isInitBilled,
  monthlyCost,
  projectMonthly,
  windowDays,
} from "@/lib/core/pricing";
import { type EpochMs, type Mb, microUsd } from "@/lib/core/units";
import type { Thresholds } from "./thresholds";
import type { AdvisorInput, ConfidenceLevel, EvidenceNumber, EvidenceUnit, Flag, RuleId } from "./types";

export interface PricingContext {
  /** Off by default: the free tier belongs to the account, not to one function. */
  freeTier: boolean;
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
  if (inv < e.minInvocations) return { level: "low", why: `only ${inv} invocations (< ${e.minInvocations})` };
  if (opts.fromLogs && (coverage === null || coverage < e.minReportCoverage)) {
    const seen =
      coverage === null ? "no REPORT lines queried" : `REPORT lines for ${pct(coverage)} of invocations`;
    return { level: "low", why: `log-derived evidence is thin: ${seen}` };
  }
  if (opts.needsLongWindow && days < e.minWindowDays) {
    return { level: "medium", why: `${days.toFixed(1)} days observed (anchors want ≥ ${e.minWindowDays})` };
  }
  if (inv < e.highConfidenceInvocations) return { level: "medium", why: `${inv} invocations observed` };
  return { level: "high", why: `${inv} invocations over ${days.toFixed(1)} days` };
}

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

/**
 * The function's on-demand cost projected to a month from the window, optionally at another memory size or
 * architecture (the same billed duration is assumed). null when there is no duration or no price for the region.
 */
export function projectedMonthlyCost(
  input: AdvisorInput,
  ctx: RuleContext,
  override: { memory?: Mb; architecture?: UsageInput["architecture"] } = {},
): CostBreakdown | null {
  const o = input.observed;
  const avg = o.duration.avg ?? o.duration.p50;
  if (avg === null || !(o.window.end > o.window.start)) return null;
  const monthly = projectMonthly(
    { invocations: o.invocations, coldStarts: o.coldStarts.count ?? 0 },
    o.window,
  );
  try {
    return monthlyCost({
      region: input.config.region,
      architecture: override.architecture ?? input.config.architecture,
      memory: override.memory ?? input.config.memory,
      ephemeralStorage: input.config.ephemeralStorage,
      invocations: monthly.invocations,
      avgBilledDurationMs: billedMs(avg),
      init:
        // Cold starts not counted (logs not read): INIT left out of the price rather than guessed.
        o.coldStarts.avgInitMs === null || o.coldStarts.count === null
          ? undefined
          : {
              coldStarts: monthly.coldStarts,
              avgInitDurationMs: o.coldStarts.avgInitMs,
              billed: isInitBilled(input.config, ctx.now),
            },
      freeTier: ctx.pricing.freeTier,
      unknownRegion: ctx.pricing.unknownRegion,
    });
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "InvalidInput") return null;
    throw e;
  }
}

/** The monthly difference between two projected costs, or "none" when either could not be priced. */
export function costDelta(
  before: CostBreakdown | null,
  after: CostBreakdown | null,
  kind: "saving" | "cost",
  basis: string,
): Flag["monthlyImpact"] {
  if (!before || !after) return noImpact("no duration data or no price for this region");
  const amount = kind === "saving" ? before.total - after.total : after.total - before.total;
  return { amount: microUsd(amount), kind, basis };
}
