/**
 * Guardrails for a progressive shift: the new version is judged against the stable version over the same
 * window, never against a fixed absolute number alone, so a function that always errs a little is not rolled
 * back for being itself.
 *
 * Invariants:
 * - An alarm in ALARM trips at once, whatever the evidence (someone decided that signal is enough).
 * - Error-rate and p99 checks judge only with at least `minInvocations` invocations of the new version;
 *   below that they report "insufficient", and the verdict is "wait" (never "pass" on no evidence).
 * - The verdict is "trip" if any check trips, else "wait" if any is insufficient, else "pass".
 *
 * Why point rates here and Wilson bounds in verdict.ts: a plan is moving production traffic, so it rolls back on
 * suspicion (the observed rate over the allowed increase: what verdict.ts calls "degraded"), with `minInvocations`
 * as its floor against noise; the alias verdict names a canary "failing" only when it is proven, because that word
 * gates a promote. A plan therefore never advances on a canary the banner calls degraded or failing.
 */
import type { Ms, Ratio } from "../units";

export interface VersionStats {
  invocations: number;
  errors: number;
  /** null when there were no invocations (a missing Duration point is a gap, not 0). */
  p99: Ms | null;
}

export interface GuardConfig {
  /** Trip when the new version's error rate exceeds the stable one's by more than this (absolute, 0–1). */
  maxErrorRateIncrease: Ratio;
  /** Trip when the new p99 exceeds the stable p99 times this factor; null disables the latency guard. */
  maxP99Ratio: number | null;
  /** A CloudWatch alarm whose ALARM state trips the guard; null for none. */
  alarmName: string | null;
  /** Evidence needed before a metric guard may pass or trip. */
  minInvocations: number;
}

/** The defaults a plan starts with (inputs.ts), and what an alias without a plan is judged by (verdict.ts). */
export const DEFAULT_GUARDS = {
  maxErrorRateIncreasePercent: 2,
  maxP99Ratio: 1.5,
  minInvocations: 50,
} as const;

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA" | "MISSING";

export type CheckStatus = "pass" | "trip" | "insufficient";
export interface GuardCheck {
  guard: "errorRate" | "p99" | "alarm";
  status: CheckStatus;
  detail: string;
}

export type GuardVerdict = "pass" | "trip" | "wait";
export interface GuardEvaluation {
  verdict: GuardVerdict;
  checks: GuardCheck[];
}

export interface GuardEvidence {
  stable: VersionStats;
  candidate: VersionStats;
  /** null when no alarm is configured. */
  alarm: AlarmState | null;
}

const pct = (r: number) => `${(r * 100).toFixed(2)}%`;
export const errorRate = (s: VersionStats): number => (s.invocations > 0 ? s.errors / s.invocations : 0);

export function evaluateGuards(evidence: GuardEvidence, config: GuardConfig): GuardEvaluation {
  const { stable, candidate } = evidence;
  const checks: GuardCheck[] = [];
  const enough = candidate.invocations >= config.minInvocations;
  const evidenceNote = `${candidate.invocations} of ${config.minInvocations} invocations needed`;

  const newRate = errorRate(candidate);
  const oldRate = errorRate(stable);
  checks.push(
    !enough
      ? { guard: "errorRate", status: "insufficient", detail: evidenceNote }
      : {
          guard: "errorRate",
          status: newRate - oldRate > config.maxErrorRateIncrease ? "trip" : "pass",
          detail: `new ${pct(newRate)} (${candidate.errors}/${candidate.invocations}) vs stable ${pct(oldRate)} (${stable.errors}/${stable.invocations}), allowed +${pct(config.maxErrorRateIncrease)}`,
        },
  );

  if (config.maxP99Ratio !== null) {
    if (!enough || candidate.p99 === null) {
      checks.push({ guard: "p99", status: "insufficient", detail: evidenceNote });
    } else if (stable.p99 === null) {
      // No stable baseline in the window: nothing to compare with, so the latency guard cannot object.
      checks.push({ guard: "p99", status: "pass", detail: "no stable p99 in the window to compare with" });
    } else {
      const limit = stable.p99 * config.maxP99Ratio;
      checks.push({
        guard: "p99",
        status: candidate.p99 > limit ? "trip" : "pass",
        detail: `new p99 ${candidate.p99.toFixed(0)} ms vs stable ${stable.p99.toFixed(0)} ms, allowed ×${config.maxP99Ratio}`,
      });
    }
  }

  if (config.alarmName !== null) {
    const state = evidence.alarm ?? "MISSING";
    checks.push({
      guard: "alarm",
      status: state === "ALARM" ? "trip" : "pass",
      detail: `alarm ${config.alarmName} is ${state}`,
    });
  }

  const verdict: GuardVerdict = checks.some((c) => c.status === "trip")
    ? "trip"
    : checks.some((c) => c.status === "insufficient")
      ? "wait"
      : "pass";
  return { verdict, checks };
}
