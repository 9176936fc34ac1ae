/**
 * The health of an alias that splits traffic: is its additional (canary) version worse than its primary (stable)
 * one? Judged on the same thresholds as the plan guards (guards.ts), but with the uncertainty of each error rate
 * made explicit by a 95 % Wilson score interval, so a few unlucky requests are not called a failure and a few
 * lucky ones are not called healthy.
 *
 * Invariants:
 * - "failing" only when the canary's LOWER bound exceeds the stable's UPPER bound + the allowed increase: the
 *   canary is worse beyond reasonable doubt, whatever the counts.
 * - "healthy" only with at least `minInvocations` canary invocations, its UPPER bound ≤ the stable's rate + the
 *   allowed increase, and no p99 breach (never "healthy" on no evidence).
 * - "degraded" when the canary's observed rate exceeds the stable's + the allowed increase (not yet proven), or its
 *   p99 exceeds the stable's × the allowed ratio (a point statistic: it can make a verdict degraded, never failing).
 * - "insufficient" otherwise: too little traffic to tell either way; the summary says how much was seen.
 */
import { ratio, type Ms, type Ratio } from "../units";
import { DEFAULT_GUARDS, type GuardConfig } from "./guards";
import { wilsonInterval } from "./observed-split";

export type AliasHealth = "healthy" | "degraded" | "failing" | "insufficient";

export const HEALTH_LABEL: Record<AliasHealth, string> = {
  healthy: "healthy",
  degraded: "degraded",
  failing: "failing",
  insufficient: "not enough traffic to judge",
};

export interface VersionSample {
  version: string;
  invocations: number;
  errors: number;
  /** null when unknown (no invocations, or a source without percentiles). */
  p99: Ms | null;
}

export interface SideJudged extends VersionSample {
  rate: Ratio;
  /** 95 % Wilson score interval of the error rate. */
  low: Ratio;
  high: Ratio;
}

export type VerdictThresholds = Pick<GuardConfig, "maxErrorRateIncrease" | "maxP99Ratio" | "minInvocations">;

/** What an alias no plan drives is judged by: a plan's default guards. */
export const DEFAULT_VERDICT_THRESHOLDS: VerdictThresholds = {
  maxErrorRateIncrease: ratio(DEFAULT_GUARDS.maxErrorRateIncreasePercent / 100),
  maxP99Ratio: DEFAULT_GUARDS.maxP99Ratio,
  minInvocations: DEFAULT_GUARDS.minInvocations,
};

export interface AliasVerdict {
  health: AliasHealth;
  stable: SideJudged;
  canary: SideJudged;
  thresholds: VerdictThresholds;
  /** One line: the canary's rate and interval against the stable's, and the health. */
  summary: string;
  /** The comparison that decided it. */
  because: string;
}

/** "13.9 %" (two decimals below 1 %, where one would round 0.04 % to nothing). */
export function formatRate(r: number): string {
  const p = r * 100;
  return `${p < 1 && p > 0 ? p.toFixed(2) : p.toFixed(1)} %`;
}

function judge(s: VersionSample): SideJudged {
  const invocations = Math.max(0, s.invocations);
  const errors = Math.min(Math.max(0, s.errors), invocations);
  const { low, high } = wilsonInterval(errors, invocations);
  return {
    ...s,
    invocations,
    errors,
    rate: ratio(invocations > 0 ? errors / invocations : 0),
    low: ratio(low),
    high: ratio(high),
  };
}

const interval = (s: SideJudged) =>
  s.invocations > 0 ? `95 % CI ${formatRate(s.low)}–${formatRate(s.high)}` : "no invocations";

export function aliasVerdict(
  stableSample: VersionSample,
  canarySample: VersionSample,
  thresholds: VerdictThresholds,
): AliasVerdict {
  const stable = judge(stableSample);
  const canary = judge(canarySample);
  const allowed = thresholds.maxErrorRateIncrease;
  const enough = canary.invocations >= thresholds.minInvocations;
  const p99Limit =
    thresholds.maxP99Ratio !== null && stable.p99 !== null ? stable.p99 * thresholds.maxP99Ratio : null;
  const p99Breach = enough && p99Limit !== null && canary.p99 !== null && canary.p99 > p99Limit;
  const p99Note = p99Breach
    ? `; p99 ${canary.p99?.toFixed(0)} ms > v${stable.version}'s ${stable.p99?.toFixed(0)} ms × ${thresholds.maxP99Ratio}`
    : "";
  const counts = `${canary.errors}/${canary.invocations} vs ${stable.errors}/${stable.invocations} invocations`;

  let health: AliasHealth;
  let because: string;
  if (canary.invocations > 0 && canary.low > stable.high + allowed) {
    health = "failing";
    because = `v${canary.version}'s lower bound ${formatRate(canary.low)} > v${stable.version}'s upper bound ${formatRate(stable.high)} + ${formatRate(allowed)} allowed (${counts})`;
  } else if (enough && canary.high <= stable.rate + allowed && !p99Breach) {
    health = "healthy";
    because = `v${canary.version}'s upper bound ${formatRate(canary.high)} ≤ v${stable.version}'s ${formatRate(stable.rate)} + ${formatRate(allowed)} allowed (${counts})`;
  } else if (canary.invocations > 0 && (canary.rate > stable.rate + allowed || p99Breach)) {
    health = "degraded";
    because =
      canary.rate > stable.rate + allowed
        ? `v${canary.version}'s ${formatRate(canary.rate)} > v${stable.version}'s ${formatRate(stable.rate)} + ${formatRate(allowed)} allowed, not yet beyond doubt (${counts})${p99Note}`
        : `error rate within bounds (${counts})${p99Note}`;
  } else {
    health = "insufficient";
    because = enough
      ? `v${canary.version}'s upper bound ${formatRate(canary.high)} is above v${stable.version}'s ${formatRate(stable.rate)} + ${formatRate(allowed)}: more traffic is needed to tell (${counts})`
      : `${canary.invocations} of ${thresholds.minInvocations} canary invocations needed (${counts})`;
  }
  const summary =
    `v${canary.version} ${formatRate(canary.rate)} errors (${interval(canary)}) vs ` +
    `v${stable.version} ${formatRate(stable.rate)} (${interval(stable)}): ${HEALTH_LABEL[health]}`;
  return { health, stable, canary, thresholds, summary, because };
}
