/**
 * Alias routing rules, checked before any UpdateAlias call (AWS Lambda API reference, UpdateAlias and
 * AliasRoutingConfiguration; "Implement Lambda canary deployments using a weighted alias").
 *
 * Invariants:
 * - Both versions are published (numeric): `$LATEST` may not take part in weighted routing.
 * - At most one additional version, different from the primary.
 * - The weight is in [0, 1] and carries at most WEIGHT_DECIMALS decimals (0.01 % steps in the UI), so what the
 *   operator previews is exactly what is sent.
 * - Provisioned concurrency cannot sit on an alias with weights: AWS rejects it, so we refuse first.
 * - `validateRouting` is total: it returns every problem (empty list = valid), never throws.
 */
import type { AliasRouting } from "../lambda/types";
import { ratio, type Ratio } from "../units";

/** Weights are sent with 4 decimals: 12.34 % is 0.1234. */
export const WEIGHT_DECIMALS = 4;

export interface RoutingTarget {
  primaryVersion: string;
  /** null sends everything to the primary version. */
  routing: AliasRouting | null;
}

export interface RoutingContext {
  /** Published version numbers of the function ("1", "2", …); `$LATEST` is ignored if present. */
  publishedVersions: readonly string[];
  /** Provisioned concurrency configured on this alias. */
  aliasHasProvisionedConcurrency: boolean;
}

export type RoutingField = "primaryVersion" | "additionalVersion" | "weight";
export interface RoutingProblem {
  field: RoutingField;
  message: string;
}

const PUBLISHED = /^[1-9]\d*$/;
export const isPublishedVersion = (v: string) => PUBLISHED.test(v);

/** Round to the precision we send, so 0.1 + 0.2 style noise never reaches AWS. */
export const roundWeight = (w: number): Ratio => ratio(Number(w.toFixed(WEIGHT_DECIMALS)));

/** A percentage typed by a person (0–100) → the weight AWS takes (0–1); NaN stays NaN for the validator. */
export const percentToWeight = (percent: number): Ratio =>
  Number.isFinite(percent) ? roundWeight(percent / 100) : ratio(Number.NaN);

export const weightToPercent = (w: Ratio): number => Number((w * 100).toFixed(WEIGHT_DECIMALS - 2));

export function validateRouting(target: RoutingTarget, ctx: RoutingContext): RoutingProblem[] {
  const problems: RoutingProblem[] = [];
  const published = new Set(ctx.publishedVersions.filter(isPublishedVersion));
  const { primaryVersion, routing } = target;

  if (!isPublishedVersion(primaryVersion) && routing !== null) {
    problems.push({
      field: "primaryVersion",
      message: `Weighted routing needs a published primary version, not "${primaryVersion}".`,
    });
  } else if (isPublishedVersion(primaryVersion) && !published.has(primaryVersion)) {
    problems.push({ field: "primaryVersion", message: `Version ${primaryVersion} is not published.` });
  } else if (!isPublishedVersion(primaryVersion) && primaryVersion !== "$LATEST") {
    problems.push({ field: "primaryVersion", message: `"${primaryVersion}" is not a version.` });
  }

  if (routing === null) return problems;

  const extra = routing.additionalVersion;
  if (!isPublishedVersion(extra)) {
    problems.push({
      field: "additionalVersion",
      message: `The additional version must be a published version, not "${extra}".`,
    });
  } else if (!published.has(extra)) {
    problems.push({ field: "additionalVersion", message: `Version ${extra} is not published.` });
  } else if (extra === primaryVersion) {
    problems.push({
      field: "additionalVersion",
      message: "The additional version must differ from the primary version.",
    });
  }

  const w = routing.weight;
  if (!Number.isFinite(w) || w < 0 || w > 1) {
    problems.push({ field: "weight", message: "The weight must be between 0 % and 100 %." });
  } else if (roundWeight(w) !== w) {
    problems.push({
      field: "weight",
      message: `The weight has more precision than ${WEIGHT_DECIMALS - 2} decimals of a percent.`,
    });
  }

  if (ctx.aliasHasProvisionedConcurrency) {
    problems.push({
      field: "weight",
      message: "This alias has provisioned concurrency, which AWS does not allow on a weighted alias.",
    });
  }
  return problems;
}

export const sameRouting = (a: RoutingTarget, b: RoutingTarget): boolean =>
  a.primaryVersion === b.primaryVersion &&
  (a.routing === null || b.routing === null
    ? a.routing === b.routing
    : a.routing.additionalVersion === b.routing.additionalVersion && a.routing.weight === b.routing.weight);

/** "v7 70 % / v8 30 %": the one human wording of a routing, used by the UI preview and the audit log. */
export function describeRouting(t: RoutingTarget): string {
  if (t.routing === null || t.routing.weight === 0) {
    const tail = t.routing ? ` (v${t.routing.additionalVersion} 0%)` : "";
    return `v${t.primaryVersion} 100%${tail}`;
  }
  const extra = weightToPercent(t.routing.weight);
  return `v${t.primaryVersion} ${Number((100 - extra).toFixed(2))}% / v${t.routing.additionalVersion} ${extra}%`;
}

/** Promote: the additional version becomes the primary and takes all traffic. */
export function promoteTarget(current: RoutingTarget): RoutingTarget | null {
  if (!current.routing) return null;
  return { primaryVersion: current.routing.additionalVersion, routing: null };
}

/** Roll back: all traffic to the primary (stable) version. */
export function rollbackTarget(current: RoutingTarget): RoutingTarget | null {
  if (!current.routing) return null;
  return { primaryVersion: current.primaryVersion, routing: null };
}
