/**
 * The one path by which the console changes an alias (manual or planned): validate against AWS's rules with
 * fresh facts, call UpdateAlias with the caller's RevisionId, record the outcome. A stale RevisionId comes back
 * from AWS as PreconditionFailed → Conflict; we then read the alias again so the error carries the current
 * routing, and nothing is overwritten.
 */
import { FleetscopeError, invalidInput, isFleetscopeError } from "@/lib/core/errors";
import type { Alias } from "@/lib/core/lambda/types";
import type { AuditAction } from "@/lib/core/traffic/audit";
import { describeRouting, validateRouting, type RoutingTarget } from "@/lib/core/traffic/routing";
import { epochMs } from "@/lib/core/units";
import type { TrafficDeps } from "./deps";

export interface ApplyRequest {
  actor: string;
  region: string;
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

export async function applyRouting(deps: TrafficDeps, req: ApplyRequest): Promise<Alias> {
  const lambda = deps.lambda(req.region);
  const audit = (
    outcome: "applied" | "conflict" | "rejected" | "failed",
    after: RoutingTarget | null,
    detail: string,
  ) =>
    deps.store.audit.record({
      at: epochMs(deps.now()),
      actor: req.actor,
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
    audit("rejected", req.target, message);
    throw invalidInput(message, { problems });
  }

  try {
    const updated = await lambda.updateAlias({
      functionName: req.functionName,
      alias: req.alias,
      functionVersion: req.target.primaryVersion,
      routing: req.target.routing,
      revisionId: req.revisionId,
    });
    audit(
      "applied",
      targetOf(updated),
      `revision ${req.revisionId} → ${updated.revisionId}${req.note ? `; ${req.note}` : ""}`,
    );
    // Pages listing aliases read the stored inventory: keep it current with what we just changed.
    deps.store.inventory.putAlias(req.region, req.functionName, updated);
    return updated;
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "Conflict") {
      const current = await lambda.getAlias(req.functionName, req.alias).catch(() => null);
      if (current) deps.store.inventory.putAlias(req.region, req.functionName, current);
      const now = current ? describeRouting(targetOf(current)) : "unknown";
      audit("conflict", null, `stale revision ${req.revisionId}; alias is now ${now}`);
      throw new FleetscopeError(
        "Conflict",
        `${req.functionName}:${req.alias} was changed by someone else (it is now ${now}). Nothing was overwritten; review the current routing and apply again.`,
        { current: current ? { ...targetOf(current), revisionId: current.revisionId } : null },
      );
    }
    audit("failed", null, e instanceof Error ? e.message : String(e));
    throw e;
  }
}
