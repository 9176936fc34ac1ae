/**
 * Starting and aborting progressive shifts. Starting only validates and stores the plan: the runner applies
 * its first weight on its next tick (kicked at once), so every alias change of a plan goes through one loop.
 */
import { conflict, invalidInput, isFleetscopeError, notFound } from "@/lib/core/errors";
import { authorizeChange, type Principal } from "@/lib/auth/principal";
import { planInputSchema } from "@/lib/core/traffic/inputs";
import { initialPlanState, type PlanSpec, type PlanState } from "@/lib/core/traffic/plan";
import {
  describeRouting,
  isPublishedVersion,
  sameRouting,
  type RoutingTarget,
} from "@/lib/core/traffic/routing";
import { epochMs } from "@/lib/core/units";
import type { StoredPlan } from "@/lib/store/plans";
import { applyRouting, targetOf } from "./apply-routing";
import { parseConfiguredRegion } from "../validate";
import { auditAccount, trafficScope } from "./accounts";
import { parseInput } from "./changes";
import type { TrafficDeps } from "./deps";
import { settleStep } from "./runner";

/** Evidence may take up to this many step durations to arrive before a plan gives up and rolls back. */
export const MAX_WAIT_FACTOR = 3;

export async function startPlan(
  deps: TrafficDeps,
  principal: Principal | null,
  raw: unknown,
): Promise<StoredPlan> {
  const who = authorizeChange(principal, deps.readOnly);
  const input = parseInput(planInputSchema, raw);
  // Before any call: the deps may still reach a removed region for a running plan's rollback, never a new plan.
  parseConfiguredRegion(input.region, deps.regions);
  const scope = trafficScope(deps, input.account, input.region);
  const lambda = deps.lambda(scope);
  const [alias, versions, provisioned] = await Promise.all([
    lambda.getAlias(input.functionName, input.alias),
    lambda.listVersions(input.functionName),
    lambda.listProvisionedConcurrency(input.functionName),
  ]);
  if (input.revisionId !== undefined && input.revisionId !== alias.revisionId) {
    throw conflict(
      `The alias changed since you confirmed (now ${describeRouting(targetOf(alias))}, revision ${alias.revisionId}); review it and start again.`,
      { revisionId: alias.revisionId },
    );
  }
  const stable = alias.functionVersion;
  const published = new Set(versions.map((v) => v.version).filter(isPublishedVersion));
  if (!isPublishedVersion(stable))
    throw invalidInput(`The alias points at ${stable}; a plan needs a published stable version.`);
  if (!published.has(input.newVersion)) throw invalidInput(`Version ${input.newVersion} is not published.`);
  if (input.newVersion === stable)
    throw invalidInput(`Version ${stable} is already the alias's primary version.`);
  if (provisioned.some((p) => p.qualifier === input.alias)) {
    throw invalidInput(
      "This alias has provisioned concurrency, which AWS does not allow on a weighted alias.",
    );
  }
  if (input.alarmName) {
    const state = (await deps.alarms(scope).alarmStates([input.alarmName])).get(input.alarmName);
    if (state === "MISSING")
      throw invalidInput(
        `No CloudWatch alarm named "${input.alarmName}" in account ${scope.account}, ${scope.region}.`,
      );
  }
  if (await deps.store.plans.runningFor(scope, input.functionName, input.alias)) {
    throw conflict(`A plan is already running on ${input.functionName}:${input.alias}.`);
  }
  const spec: PlanSpec = {
    account: scope.account,
    region: scope.region,
    functionName: input.functionName,
    alias: input.alias,
    stableVersion: stable,
    newVersion: input.newVersion,
    shape:
      input.kind === "canary"
        ? { kind: "canary", weight: input.stepWeight, stepSeconds: input.stepSeconds }
        : { kind: "linear", increment: input.stepWeight, stepSeconds: input.stepSeconds },
    guards: {
      maxErrorRateIncrease: input.maxErrorRateIncrease,
      maxP99Ratio: input.maxP99Ratio,
      alarmName: input.alarmName,
      minInvocations: input.minInvocations,
    },
    maxWaitFactor: MAX_WAIT_FACTOR,
  };
  const now = deps.now();
  const plan = await deps.store.plans.create({ actor: who.name, spec, state: initialPlanState(), now });
  // The runner takes the alias from this revision on; anything else in between is an outside change.
  await deps.store.plans.save(plan.id, { state: plan.state, now, lastRevisionId: alias.revisionId });
  await deps.store.audit.record({
    at: epochMs(now),
    actor: who.name,
    ...auditAccount(deps, spec.account),
    region: spec.region,
    functionName: spec.functionName,
    alias: spec.alias,
    action: "plan.start",
    before: targetOf(alias),
    // The plan's destination; the steps on the way are audited as the runner takes them.
    after: { primaryVersion: spec.newVersion, routing: null },
    reason: input.reason,
    outcome: "noted",
    detail: `${spec.shape.kind} ${stable}→${spec.newVersion}, step ${input.stepPercent}% every ${input.stepSeconds}s; guards: error rate +${input.maxErrorRateIncreasePercent}%, p99 ×${input.maxP99Ratio ?? "off"}, alarm ${input.alarmName ?? "none"}, ≥${input.minInvocations} invocations`,
    planId: plan.id,
  });
  return (await deps.store.plans.get(plan.id)) as StoredPlan;
}

/**
 * Abort: stop the plan and send all traffic back to the stable version.
 *
 * Racing the runner: the plan is marked aborted first, so the runner starts nothing new on it and never saves
 * over it; a step this process is running is let settle (bounded by its deadline), and a step whose UpdateAlias
 * lands after the abort undoes its own change (runner.ts). Only then is the alias read, so the rollback is based
 * on the newest revision and the recorded state says what the alias really is. A step another replica's runner
 * sent (its `pending` change) counts as the plan's own when the alias shows it. If the rollback cannot be made
 * (AWS down), the plan goes back to running so its guards keep watching the canary, and the error is thrown.
 */
export async function abortPlan(
  deps: TrafficDeps,
  principal: Principal | null,
  planId: string,
  reason = "",
): Promise<StoredPlan> {
  const who = authorizeChange(principal, deps.readOnly);
  const plan = await deps.store.plans.get(planId);
  if (!plan) throw notFound(`No plan ${planId}.`);
  if (plan.state.status !== "running") throw conflict(`The plan is already ${plan.state.status}.`);
  const { spec } = plan;
  // Taken while the plan still runs: a region removed from the configuration is reachable only for running plans.
  const lambda = deps.lambda(spec);
  const why = reason || "aborted by an operator";
  const base = reason || `aborted by ${who.name}`;
  const stopped = (note: string): PlanState => ({
    ...plan.state,
    status: "aborted",
    reason: `${base}${note}`,
  });
  await deps.store.plans.save(planId, { state: stopped(" (rolling back)"), now: deps.now() });
  await settleStep(planId);

  const stable: RoutingTarget = { primaryVersion: spec.stableVersion, routing: null };
  let note: string;
  try {
    const fresh = (await deps.store.plans.get(planId)) ?? plan;
    const lastRevisionId = fresh.lastRevisionId ?? plan.lastRevisionId;
    const alias = await lambda.getAlias(spec.functionName, spec.alias);
    // The runner's recorded change in flight (any replica's, even one that died since): if the alias shows it,
    // the revision is the plan's own, not an outside change, and it is rolled back like any step.
    const ours = fresh.pending !== null && sameRouting(targetOf(alias), fresh.pending.target);
    const outside = lastRevisionId !== null && alias.revisionId !== lastRevisionId && !ours;
    const needed = !sameRouting(targetOf(alias), stable);
    if (needed && !outside) {
      await applyRouting(
        { ...deps, lambda: () => lambda },
        {
          actor: who.name,
          account: spec.account,
          region: spec.region,
          functionName: spec.functionName,
          alias: spec.alias,
          before: targetOf(alias),
          target: stable,
          revisionId: alias.revisionId,
          action: "plan.abort",
          reason: why,
          planId,
        },
      );
      note = ` — traffic rolled back to v${spec.stableVersion}`;
    } else {
      const detail = outside
        ? `alias changed outside the plan (${describeRouting(targetOf(alias))}); left as is`
        : `nothing to roll back: all traffic on v${spec.stableVersion}`;
      await deps.store.audit.record({
        at: epochMs(deps.now()),
        actor: who.name,
        ...auditAccount(deps, spec.account),
        region: spec.region,
        functionName: spec.functionName,
        alias: spec.alias,
        action: "plan.abort",
        before: targetOf(alias),
        after: null,
        reason: why,
        outcome: "noted",
        detail,
        planId,
      });
      note = ` — ${detail}`;
    }
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "Conflict") {
      // The alias changed between our read and our write: an outside change, or another instance's step that
      // landed and that its runner undoes. Either way nothing of ours was overwritten; say so.
      note = ` — the alias changed while rolling back (${e.message}); left as is`;
    } else {
      await deps.store.plans.save(planId, { state: plan.state, now: deps.now() });
      throw e;
    }
  }
  return deps.store.plans.save(planId, { state: stopped(note), now: deps.now(), pending: null });
}
