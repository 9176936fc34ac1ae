/**
 * The one path by which the console changes an alias (manual or planned): validate against AWS's rules with
 * fresh facts, call UpdateAlias with the caller's RevisionId, record the outcome. A stale RevisionId comes back
 * from AWS as PreconditionFailed → Conflict; we then read the alias again so the error carries the current
 * routing, and nothing is overwritten.
 *
 * Two layers: `sendRouting` makes the AWS calls and writes nothing, returning the audit entry its outcome
 * deserves; `applyRouting` (manual changes) records that entry at once. The plan runner records it itself,
 * in the same fenced transaction as the plan state it belongs to (runner.ts), so the audit is complete exactly
 * when the plan advanced.
 */
import type { Scope } from "@/lib/core/accounts/scope";
import { FleetscopeError, invalidInput, isFleetscopeError } from "@/lib/core/errors";
import type { Alias } from "@/lib/core/lambda/types";
import type { AuditAction } from "@/lib/core/traffic/audit";
import { describeRouting, validateRouting, type RoutingTarget } from "@/lib/core/traffic/routing";
import { epochMs } from "@/lib/core/units";
import type { Store } from "@/lib/store";
import type { NewAuditEntry } from "@/lib/store/audit-log";
import { auditAccount } from "./accounts";
import type { TrafficDeps } from "./deps";

/** The alias's account and region (a Scope): its Lambda calls go through that account's credentials. */
export interface ApplyRequest extends Scope {
  actor: string;
  functionName: string;
  alias: string;
  /** What the caller believed the alias was (for the audit's "before"). */
  before: RoutingTarget | null;
  target: RoutingTarget;
  revisionId: string;
  action: AuditAction;
  reason: string;
  planId?: string | null;
  /** Appended to the audit detail (e.g. the canary verdict a promote was judged on). */
  note?: string;
}

export const targetOf = (a: Alias): RoutingTarget => ({
  primaryVersion: a.functionVersion,
  routing: a.routing,
});

/** What one UpdateAlias attempt came to, with the audit entry to record and the alias as AWS last showed it. */
export type RoutingOutcome =
  | { ok: true; updated: Alias; entry: NewAuditEntry }
  | {
      ok: false;
      /** Coded: InvalidInput (refused before the call), Conflict (stale RevisionId), or the call's own error. */
      error: unknown;
      entry: NewAuditEntry;
      /** After a Conflict: the alias read again (null when that read failed too); undefined otherwise. */
      current?: Alias | null;
    };

/** Validates and calls UpdateAlias; writes nothing (the caller records `entry`). */
export async function sendRouting(
  deps: Pick<TrafficDeps, "lambda" | "now" | "accounts">,
  req: ApplyRequest,
): Promise<RoutingOutcome> {
  const lambda = deps.lambda({ account: req.account, region: req.region });
  const where = auditAccount(deps, req.account);
  const entry = (
    outcome: "applied" | "conflict" | "rejected" | "failed",
    after: RoutingTarget | null,
    detail: string,
  ): NewAuditEntry => ({
    at: epochMs(deps.now()),
    actor: req.actor,
    ...where,
    region: req.region,
    functionName: req.functionName,
    alias: req.alias,
    action: req.action,
    before: req.before,
    after,
    reason: req.reason,
    outcome,
    detail,
    planId: req.planId ?? null,
  });

  const [versions, provisioned] = await Promise.all([
    lambda.listVersions(req.functionName),
    lambda.listProvisionedConcurrency(req.functionName),
  ]);
  const problems = validateRouting(req.target, {
    publishedVersions: versions.map((v) => v.version),
    aliasHasProvisionedConcurrency: provisioned.some((p) => p.qualifier === req.alias),
  });
  if (problems.length > 0) {
    const message = problems.map((p) => p.message).join(" ");
    return {
      ok: false,
      error: invalidInput(message, { problems }),
      entry: entry("rejected", req.target, message),
    };
  }

  try {
    const updated = await lambda.updateAlias({
      functionName: req.functionName,
      alias: req.alias,
      functionVersion: req.target.primaryVersion,
      routing: req.target.routing,
      revisionId: req.revisionId,
    });
    const detail = `revision ${req.revisionId} → ${updated.revisionId}${req.note ? `; ${req.note}` : ""}`;
    return { ok: true, updated, entry: entry("applied", targetOf(updated), detail) };
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "Conflict") {
      const current = await lambda.getAlias(req.functionName, req.alias).catch(() => null);
      const now = current ? describeRouting(targetOf(current)) : "unknown";
      return {
        ok: false,
        error: new FleetscopeError(
          "Conflict",
          `${req.functionName}:${req.alias} was changed by someone else (it is now ${now}). Nothing was overwritten; review the current routing and apply again.`,
          { current: current ? { ...targetOf(current), revisionId: current.revisionId } : null },
        ),
        entry: entry("conflict", null, `stale revision ${req.revisionId}; alias is now ${now}`),
        current,
      };
    }
    return { ok: false, error: e, entry: entry("failed", null, e instanceof Error ? e.message : String(e)) };
  }
}

/**
 * Records an outcome in `store` (a transaction's, for the runner): the audit entry, and the alias as AWS now
 * has it in the inventory, which the alias lists read (so they show our change at once).
 */
export async function recordRouting(store: Store, scope: Scope, functionName: string, r: RoutingOutcome) {
  await store.audit.record(r.entry);
  const alias = r.ok ? r.updated : r.current;
  if (alias) await store.inventory.putAlias(scope, functionName, alias);
}

/** A change made on behalf of a person: sent, recorded, and its error (if any) thrown. */
export async function applyRouting(deps: TrafficDeps, req: ApplyRequest): Promise<Alias> {
  const r = await sendRouting(deps, req);
  await recordRouting(deps.store, { account: req.account, region: req.region }, req.functionName, r);
  if (!r.ok) throw r.error;
  return r.updated;
}
