/**
 * Manual traffic changes: shift (set a weight), promote and roll back, each one UpdateAlias through
 * applyRouting. Inputs are re-validated here whatever the form checked; an alias a plan is driving is refused
 * (abort the plan first) so a person and the runner never fight over it.
 */
import type { Scope } from "@/lib/core/accounts/scope";
import { conflict, FleetscopeError, invalidInput } from "@/lib/core/errors";
import type { Alias } from "@/lib/core/lambda/types";
import {
  oneClickInputSchema,
  promoteInputSchema,
  shiftInputSchema,
  type PromoteInput,
  type ShiftInput,
} from "@/lib/core/traffic/inputs";
import { epochMs } from "@/lib/core/units";
import {
  percentToWeight,
  promoteTarget,
  rollbackTarget,
  type RoutingTarget,
} from "@/lib/core/traffic/routing";
import type { Principal } from "@/lib/auth/principal";
import { authorizeChange } from "@/lib/auth/principal";
import { parseConfiguredRegion } from "../validate";
import { auditAccount, trafficScope } from "./accounts";
import { liveVerdict } from "./alias-verdict";
import { applyRouting, targetOf } from "./apply-routing";
import type { TrafficDeps } from "./deps";

function parse<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  raw: unknown,
): T {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`);
    throw invalidInput(`Invalid request: ${problems.join("; ")}`, { problems });
  }
  return r.data;
}

async function refuseIfPlanned(deps: TrafficDeps, scope: Scope, fn: string, alias: string) {
  const plan = await deps.store.plans.runningFor(scope, fn, alias);
  if (plan) {
    throw conflict(
      `A ${plan.spec.shape.kind} plan is driving ${fn}:${alias}; abort it before changing the alias by hand.`,
      {
        planId: plan.id,
      },
    );
  }
}

/**
 * The alias as AWS has it now, read before a change. A read that fails (the account's role refused, AWS down) is
 * an attempted change too: audited as failed, with its account and role, then thrown.
 */
async function readBefore(
  deps: TrafficDeps,
  actor: string,
  scope: Scope,
  input: { functionName: string; alias: string; reason: string },
  action: "shift" | "promote" | "rollback",
): Promise<Alias> {
  try {
    return await deps.lambda(scope).getAlias(input.functionName, input.alias);
  } catch (e) {
    // The read's error is the answer; a store that cannot record it as well must not replace it.
    await deps.store.audit
      .record({
        at: epochMs(deps.now()),
        actor,
        ...auditAccount(deps, scope.account),
        region: scope.region,
        functionName: input.functionName,
        alias: input.alias,
        action,
        before: null,
        after: null,
        reason: input.reason,
        outcome: "failed",
        detail: `reading the alias: ${e instanceof Error ? e.message : String(e)}`,
        planId: null,
      })
      .catch((w: unknown) =>
        console.error(`[fleetscope] traffic: a failed read could not be audited: ${String(w)}`),
      );
    throw e;
  }
}

export async function shiftAliasTraffic(
  deps: TrafficDeps,
  principal: Principal | null,
  raw: unknown,
): Promise<Alias> {
  const who = authorizeChange(principal, deps.readOnly);
  const input: ShiftInput = parse(shiftInputSchema, raw);
  // Before any call: the deps may reach a removed region for a plan's rollback, a person may not change it.
  parseConfiguredRegion(input.region, deps.regions);
  const scope = trafficScope(deps, input.account, input.region);
  await refuseIfPlanned(deps, scope, input.functionName, input.alias);
  const weight = percentToWeight(input.weightPercent);
  const target: RoutingTarget = {
    primaryVersion: input.primaryVersion,
    routing: input.additionalVersion === null ? null : { additionalVersion: input.additionalVersion, weight },
  };
  const before = await readBefore(deps, who.name, scope, input, "shift");
  return applyRouting(deps, {
    actor: who.name,
    ...scope,
    functionName: input.functionName,
    alias: input.alias,
    before: targetOf(before),
    target,
    // The revision the operator saw, not the one just read: that is what makes a concurrent change a conflict.
    revisionId: input.revisionId,
    action: "shift",
    reason: input.reason,
  });
}

async function oneClick(
  deps: TrafficDeps,
  principal: Principal | null,
  raw: unknown,
  kind: "promote" | "rollback",
): Promise<Alias> {
  const who = authorizeChange(principal, deps.readOnly);
  const input: PromoteInput =
    kind === "promote"
      ? parse(promoteInputSchema, raw)
      : { override: false, ...parse(oneClickInputSchema, raw) };
  parseConfiguredRegion(input.region, deps.regions);
  const scope = trafficScope(deps, input.account, input.region);
  await refuseIfPlanned(deps, scope, input.functionName, input.alias);
  const current = await readBefore(deps, who.name, scope, input, kind);
  if (current.revisionId !== input.revisionId) {
    // Promote/rollback derive the target from the alias; derive it from what the operator saw, or refuse.
    throw new FleetscopeError(
      "Conflict",
      `${input.functionName}:${input.alias} changed since you loaded it. Nothing was changed; reload and try again.`,
      {
        current: { ...targetOf(current), revisionId: current.revisionId },
      },
    );
  }
  const target = kind === "promote" ? promoteTarget(targetOf(current)) : rollbackTarget(targetOf(current));
  if (!target)
    throw invalidInput(
      `${input.functionName}:${input.alias} has no additional version to ${kind === "promote" ? "promote" : "roll back"}.`,
    );
  const note =
    kind === "promote" ? await promoteVerdictNote(deps, who.name, scope, input, current) : undefined;
  return applyRouting(deps, {
    actor: who.name,
    ...scope,
    functionName: input.functionName,
    alias: input.alias,
    before: targetOf(current),
    target,
    revisionId: input.revisionId,
    action: kind,
    reason: input.reason,
    note,
  });
}

/**
 * Judges the canary again now (not what the page showed minutes ago): a failing one is promoted only with the
 * override ticked and a reason; the refusal and the override are both audited. A verdict that cannot be read
 * (CloudWatch down) does not block a promote, but the audit says it was not judged.
 */
async function promoteVerdictNote(
  deps: TrafficDeps,
  actor: string,
  scope: Scope,
  input: PromoteInput,
  current: Alias,
): Promise<string> {
  let verdict;
  try {
    verdict = await liveVerdict(deps, scope, input.functionName, current);
  } catch (e) {
    return `verdict not judged: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (verdict?.health !== "failing") return verdict ? `verdict: ${verdict.summary}` : "";
  if (!input.override) {
    await deps.store.audit.record({
      at: epochMs(deps.now()),
      actor,
      ...auditAccount(deps, scope.account),
      region: scope.region,
      functionName: input.functionName,
      alias: input.alias,
      action: "promote",
      before: targetOf(current),
      after: promoteTarget(targetOf(current)),
      reason: input.reason,
      outcome: "rejected",
      detail: `refused without override: ${verdict.summary}`,
      planId: null,
    });
    throw conflict(
      `v${verdict.canary.version} is failing (${verdict.summary}; ${verdict.because}). Nothing was changed: ` +
        `to promote it anyway, tick the override and give a reason.`,
      { verdict: { health: verdict.health, summary: verdict.summary, because: verdict.because } },
    );
  }
  return `OVERRIDE of a failing verdict: ${verdict.summary}`;
}

export const promoteAlias = (deps: TrafficDeps, p: Principal | null, raw: unknown) =>
  oneClick(deps, p, raw, "promote");
export const rollbackAlias = (deps: TrafficDeps, p: Principal | null, raw: unknown) =>
  oneClick(deps, p, raw, "rollback");
export { parse as parseInput };
