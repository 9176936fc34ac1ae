/**
 * Observed vs configured split: the share of an alias's invocations the additional version actually served
 * (from the ExecutedVersion dimension), with a 95 % Wilson score interval, so a handful of invocations is shown
 * as "too few to tell" instead of as a precise-looking percentage.
 *
 * Invariants: the interval is within [0, 1] and contains the observed share; with no invocations there is no
 * share and confidence is "none"; `consistent` is true exactly when the configured weight lies in the interval.
 */
import { ratio, type Ratio } from "../units";

export type SplitConfidence = "none" | "low" | "medium" | "high";

export interface ObservedSplit {
  total: number;
  additional: number;
  /** null when nothing was invoked. */
  share: Ratio | null;
  low: Ratio;
  high: Ratio;
  confidence: SplitConfidence;
  /** The configured weight is plausible given what was observed. */
  consistent: boolean;
}

const Z95 = 1.959964;

export function wilsonInterval(successes: number, total: number, z = Z95): { low: number; high: number } {
  if (total <= 0) return { low: 0, high: 1 };
  const p = successes / total;
  const z2 = z * z;
  const denom = 1 + z2 / total;
  const centre = (p + z2 / (2 * total)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Half-width of the interval → how much the observed share says (±10 points or worse is "low"). */
function confidenceOf(total: number, low: number, high: number): SplitConfidence {
  if (total === 0) return "none";
  const half = (high - low) / 2;
  if (half > 0.1) return "low";
  if (half > 0.03) return "medium";
  return "high";
}

export function observedSplit(
  primaryInvocations: number,
  additionalInvocations: number,
  configuredWeight: Ratio,
): ObservedSplit {
  const additional = Math.max(0, additionalInvocations);
  const total = Math.max(0, primaryInvocations) + additional;
  const { low, high } = wilsonInterval(additional, total);
  return {
    total,
    additional,
    share: total > 0 ? ratio(additional / total) : null,
    low: ratio(low),
    high: ratio(high),
    confidence: confidenceOf(total, low, high),
    consistent: configuredWeight >= low - 1e-9 && configuredWeight <= high + 1e-9,
  };
}
