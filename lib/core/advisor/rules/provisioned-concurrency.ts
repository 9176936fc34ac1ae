import { isFleetscopeError } from "@/lib/core/errors";
import {
  type PcPricingInput,
  breakEvenUtilisation,
  provisionedMonthlyCharge,
  rightSizeProvisioned,
} from "@/lib/core/pricing";
import { type MicroUsd, microUsd, ratio } from "@/lib/core/units";
import type { Flag } from "../types";
import { flag, int, noImpact, num, pct, type Rule, type RuleContext } from "../context";
import type { AdvisorInput } from "../types";

function pricing(input: AdvisorInput, ctx: RuleContext): PcPricingInput {
  return {
    region: input.config.region,
    architecture: input.config.architecture,
    unknownRegion: ctx.pricing.unknownRegion,
  };
}

/** Fixed monthly charge difference between two provisioned sizes; null without a price for the region. */
function chargeDelta(input: AdvisorInput, ctx: RuleContext, from: number, to: number): MicroUsd | null {
  try {
    const p = { ...pricing(input, ctx), memory: input.config.memory };
    return microUsd(
      provisionedMonthlyCharge({ ...p, concurrency: from }) -
        provisionedMonthlyCharge({ ...p, concurrency: to }),
    );
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "InvalidInput") return null;
    throw e;
  }
}

function breakEven(input: AdvisorInput, ctx: RuleContext): number | null {
  try {
    return breakEvenUtilisation(pricing(input, ctx));
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "InvalidInput") return null;
    throw e;
  }
}

/**
 * Provisioned concurrency whose peak utilisation stays below `idleBelow` (Datadog 60%, near the break-even) is
 * over-provisioned: right-size to serve the peak at `targetUtilisation`. ProvisionedConcurrencyUtilization is
 * not emitted while idle, so missing datapoints are reported as missing (low confidence), never as 0%.
 */
export const provisionedIdle: Rule = (input, ctx) => {
  const out: Flag[] = [];
  for (const pc of input.provisionedConcurrency) {
    const allocated = pc.allocated || pc.requested;
    if (allocated <= 0) continue;
    const stats = input.observed.provisioned.find((s) => s.qualifier === pc.qualifier);
    const util = stats?.utilisationMax ?? null;
    const be = breakEven(input, ctx);
    if (util === null) {
      out.push(
        flag(input, "provisioned-idle", {
          qualifier: pc.qualifier,
          severity: "info",
          title: `No utilisation data for provisioned concurrency ${allocated} on ${pc.qualifier}`,
          numbers: { provisionedConcurrency: num(allocated, "concurrency") },
          confidence: {
            level: "low",
            why: "ProvisionedConcurrencyUtilization had no datapoints: idle, or not collected",
          },
          recommendation: {
            text: "Check whether this alias receives traffic; utilisation is only emitted while it does.",
            action: { kind: "improve-telemetry" },
          },
          monthlyImpact: noImpact("utilisation unknown"),
        }),
      );
      continue;
    }
    if (util >= ctx.thresholds.provisioned.idleBelow) continue;
    const peak = util * allocated;
    const recommended = rightSizeProvisioned(peak, ratio(ctx.thresholds.provisioned.targetUtilisation));
    if (recommended >= allocated) continue;
    const saving = chargeDelta(input, ctx, allocated, recommended);
    out.push(
      flag(input, "provisioned-idle", {
        qualifier: pc.qualifier,
        severity: "warning",
        title: `Provisioned concurrency ${allocated} on ${pc.qualifier} peaks at ${pct(util)} utilisation`,
        numbers: {
          provisionedConcurrency: num(allocated, "concurrency"),
          utilisationMax: num(util, "ratio"),
          ...(stats?.utilisationAvg == null ? {} : { utilisationAvg: num(stats.utilisationAvg, "ratio") }),
          ...(be === null ? {} : { breakEvenUtilisation: num(be, "ratio") }),
          recommendedConcurrency: num(recommended, "concurrency"),
        },
        confidence:
          input.observed.invocations >= ctx.thresholds.evidence.highConfidenceInvocations
            ? { level: "high", why: "ProvisionedConcurrencyUtilization Maximum over the window" }
            : { level: "medium", why: `${input.observed.invocations} invocations observed` },
        recommendation: {
          text:
            `Lower provisioned concurrency on ${pc.qualifier} to ${recommended} (peak ${peak.toFixed(1)} at ` +
            `${pct(ctx.thresholds.provisioned.targetUtilisation)} target). Below ` +
            `${be === null ? "the break-even" : pct(be)} utilisation, on-demand is cheaper for the same work.`,
          action: { kind: "set-provisioned-concurrency", qualifier: pc.qualifier, concurrency: recommended },
        },
        monthlyImpact:
          saving === null
            ? noImpact("no price for this region")
            : {
                amount: saving,
                kind: "saving",
                basis: "provisioned-concurrency charge, current vs recommended, for a month",
              },
      }),
    );
  }
  return out;
};

/** Spillover invocations mean provisioned concurrency is too small for the peak: those requests start cold. */
export const provisionedSpillover: Rule = (input, ctx) => {
  const out: Flag[] = [];
  for (const pc of input.provisionedConcurrency) {
    const allocated = pc.allocated || pc.requested;
    const stats = input.observed.provisioned.find((s) => s.qualifier === pc.qualifier);
    // null: not attributable to this qualifier (data-coverage says so), never read as "no spillover".
    if (!stats || stats.spilloverInvocations === null || stats.spilloverInvocations === 0) continue;
    const peak = Math.max(input.observed.concurrencyMax ?? 0, stats.concurrencyMax ?? 0, allocated + 1);
    const recommended = rightSizeProvisioned(peak, ratio(ctx.thresholds.provisioned.targetUtilisation));
    const extra = chargeDelta(input, ctx, recommended, allocated);
    out.push(
      flag(input, "provisioned-spillover", {
        qualifier: pc.qualifier,
        severity: "warning",
        title: `${int(stats.spilloverInvocations)} invocations spilled over provisioned concurrency ${int(allocated)} on ${pc.qualifier}`,
        numbers: {
          provisionedConcurrency: num(allocated, "concurrency"),
          spilloverInvocations: num(stats.spilloverInvocations, "count"),
          concurrencyMax: num(peak, "concurrency"),
          recommendedConcurrency: num(recommended, "concurrency"),
        },
        confidence: { level: "high", why: "ProvisionedConcurrencySpilloverInvocations is counted by Lambda" },
        recommendation: {
          text: `Raise provisioned concurrency on ${pc.qualifier} to ${int(recommended)}, or accept cold starts at peaks.`,
          action: { kind: "set-provisioned-concurrency", qualifier: pc.qualifier, concurrency: recommended },
        },
        monthlyImpact:
          extra === null
            ? noImpact("no price for this region")
            : { amount: extra, kind: "cost", basis: "extra provisioned-concurrency charge for a month" },
      }),
    );
  }
  return out;
};
