/**
 * Did a plan's alias changes and its audit log agree? Compares what LANDED at the sandbox (UpdateAlias calls the
 * counting proxy saw answered 2xx, _aws-proxy.ts) with the plan's audited steps, for one plan on one alias.
 *
 * - A plan's steps have pairwise different routings (weights strictly increase, then one promote or one
 *   rollback), so two landings with the same routing are one step applied twice: `doubled`.
 * - A routing that landed but that no audited step names is a step `lost` (the alias moved, the plan and the
 *   audit do not know it); an audited step that never landed is `phantom`.
 * - Landings are ordered by their revision chain (each UpdateAlias is based on the revision before it, AWS
 *   refuses any other), from the revision the plan started on: the order in which the alias really moved.
 */
import type { LandedAliasUpdate } from "./_aws-proxy";

/** A routing as the audit log writes it (lib/core/traffic/routing.ts RoutingTarget). */
export interface Routing {
  primaryVersion: string;
  routing: { additionalVersion: string; weight: number } | null;
}

/** The parts of an audit entry (GET /api/traffic/audit) this check reads. */
export interface AuditRow {
  action: string;
  outcome: string;
  after: Routing | null;
  detail: string;
}

/** The audit actions by which a plan changes its alias. */
const STEP_ACTIONS = new Set(["plan.step", "plan.promote", "plan.rollback", "plan.abort"]);

export const routingKey = (r: Routing): string =>
  r.routing && r.routing.weight > 0
    ? `${r.primaryVersion}+${r.routing.additionalVersion}@${r.routing.weight}`
    : r.primaryVersion;

export const landedRouting = (u: Pick<LandedAliasUpdate, "primaryVersion" | "weights">): Routing => {
  const [extra] = Object.entries(u.weights);
  return {
    primaryVersion: u.primaryVersion,
    routing: extra ? { additionalVersion: extra[0], weight: extra[1] } : null,
  };
};

/** The alias's landings from `fromRevision` on, in chain order, stopping before `untilRevision` (next plan's start). */
export function chainFrom(
  updates: readonly LandedAliasUpdate[],
  fromRevision: string,
  untilRevision: string | null = null,
): LandedAliasUpdate[] {
  const next = new Map(updates.map((u) => [u.basedOnRevisionId, u]));
  const chain: LandedAliasUpdate[] = [];
  for (let rev = fromRevision; rev !== untilRevision;) {
    const u = next.get(rev);
    if (!u) break;
    chain.push(u);
    rev = u.revisionId;
  }
  return chain;
}

/** An audit entry that records one of the plan's alias changes (applied, or adopted after a takeover). */
export const isAuditedStep = (e: AuditRow): boolean =>
  STEP_ACTIONS.has(e.action) && e.after !== null && (e.outcome === "applied" || /adopted/i.test(e.detail));

export interface StepCheck {
  /** Routings in the order the alias took them. */
  landed: string[];
  /** Routings in the order the audit log recorded them (oldest first). */
  audited: string[];
  lost: number;
  /** Extra landings of a routing that had already landed in this plan (the step applied again). */
  doubled: number;
  /** Extra audit entries for a routing already audited (the step recorded twice). */
  auditedTwice: number;
  phantom: number;
  /** Audited steps recorded by the plan's next driver (the change landed, its sender died before recording). */
  adopted: number;
  /** The audit tells the alias's moves in the same order (after removing doubles). */
  sameOrder: boolean;
}

/** `audit` oldest first; `landed` in chain order (chainFrom). */
export function checkPlanSteps(landed: readonly LandedAliasUpdate[], audit: readonly AuditRow[]): StepCheck {
  const moves = landed.map((u) => routingKey(landedRouting(u)));
  const audited = audit.filter(isAuditedStep).map((e) => routingKey(e.after as Routing));
  const distinctMoves = [...new Set(moves)];
  const auditedSet = new Set(audited);
  const movedSet = new Set(moves);
  return {
    landed: moves,
    audited,
    lost: distinctMoves.filter((m) => !auditedSet.has(m)).length,
    doubled: moves.length - distinctMoves.length,
    auditedTwice: audited.length - auditedSet.size,
    phantom: [...auditedSet].filter((a) => !movedSet.has(a)).length,
    adopted: audit.filter((e) => isAuditedStep(e) && /adopted/i.test(e.detail)).length,
    sameOrder: JSON.stringify(distinctMoves) === JSON.stringify([...auditedSet]),
  };
}
