/**
 * The plan runner: a loop in the console server that drives every running plan one step at a time.
 *
 * Invariants:
 * - A plan is driven only by the instance holding its lease (lib/store/leases.ts); the lease is renewed every
 *   tick and lapses after FLEETSCOPE_LEASE_SECONDS if this instance dies, so another instance (or this one
 *   restarted) resumes it. A clean shutdown releases leases at once.
 * - Before acting, the alias is read back: a RevisionId other than the plan's own last one means someone else
 *   changed the alias, and the plan stops without touching it (their change wins; the audit says so).
 * - State is saved only after its UpdateAlias succeeded; a failed call leaves the state, so the next tick
 *   retries the same decision. A Conflict on our own call is an outside change too: stop, don't retry.
 * - Read-only mode drives nothing: plans stay as stored until the console may change traffic again.
 * - Ticks never overlap in one process.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { isFleetscopeError } from "@/lib/core/errors";
import { evaluateGuards, type GuardEvaluation } from "@/lib/core/traffic/guards";
import { decide, type PlanAction } from "@/lib/core/traffic/plan";
import { describeRouting, type RoutingTarget } from "@/lib/core/traffic/routing";
import { epochMs } from "@/lib/core/units";
import type { StoredPlan } from "@/lib/store/plans";
import { applyRouting, targetOf } from "./apply-routing";
import type { TrafficDeps } from "./deps";
import { versionMetrics } from "./version-metrics";

export const RUNNER_ACTOR = "plan-runner";
export const newOwnerId = () => `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
const leaseKey = (p: StoredPlan) => `alias:${p.spec.region}:${p.spec.functionName}:${p.spec.alias}`;

export interface RunnerOptions {
  owner: string;
  leaseMs: number;
  /** Plans this process has already driven (to record a "resumed" entry once when it picks one up). */
  driven?: Set<string>;
}

export async function evaluatePlanGuards(
  deps: TrafficDeps,
  plan: StoredPlan,
  now: number,
): Promise<GuardEvaluation | null> {
  const { spec, state } = plan;
  if (state.stepStartedAt === null) return null;
  const [stable, candidate] = await versionMetrics(
    deps,
    spec.region,
    spec.functionName,
    spec.alias,
    [spec.stableVersion, spec.newVersion],
    {
      start: state.stepStartedAt,
      end: now,
    },
  );
  const alarm = spec.guards.alarmName
    ? ((await deps.alarms(spec.region).alarmStates([spec.guards.alarmName])).get(spec.guards.alarmName) ??
      "MISSING")
    : null;
  if (!stable || !candidate) return null;
  return evaluateGuards({ stable, candidate, alarm }, spec.guards);
}

function targetFor(plan: StoredPlan, action: PlanAction): RoutingTarget | null {
  const { stableVersion, newVersion } = plan.spec;
  switch (action.kind) {
    case "setWeight":
      return {
        primaryVersion: stableVersion,
        routing: { additionalVersion: newVersion, weight: action.weight },
      };
    case "promote":
      return { primaryVersion: newVersion, routing: null };
    case "rollback":
      return { primaryVersion: stableVersion, routing: null };
    case "none":
      return null;
  }
}

const AUDIT_ACTION = { setWeight: "plan.step", promote: "plan.promote", rollback: "plan.rollback" } as const;

/** One pass over every running plan. Returns the ids of plans it acted on (for tests and logs). */
export async function tickPlans(deps: TrafficDeps, opts: RunnerOptions): Promise<string[]> {
  if (deps.readOnly) return [];
  const acted: string[] = [];
  for (const plan of deps.store.plans.running()) {
    const now = deps.now();
    if (!deps.store.leases.acquire(leaseKey(plan), opts.owner, now, opts.leaseMs)) continue;
    try {
      if (await stepPlan(deps, plan, now, opts)) acted.push(plan.id);
    } catch (e) {
      // A throttle or outage: leave the state, try again next tick; the audit keeps the reason.
      deps.store.audit.record({
        at: epochMs(deps.now()),
        actor: RUNNER_ACTOR,
        region: plan.spec.region,
        functionName: plan.spec.functionName,
        alias: plan.spec.alias,
        action: "plan.step",
        before: null,
        after: null,
        reason: "plan tick",
        outcome: "failed",
        detail: e instanceof Error ? e.message : String(e),
        planId: plan.id,
      });
    }
  }
  return acted;
}

async function stepPlan(
  deps: TrafficDeps,
  plan: StoredPlan,
  now: number,
  opts: RunnerOptions,
): Promise<boolean> {
  const { spec } = plan;
  const note = (action: "plan.resume" | "plan.abort", before: RoutingTarget | null, detail: string) =>
    deps.store.audit.record({
      at: epochMs(now),
      actor: RUNNER_ACTOR,
      region: spec.region,
      functionName: spec.functionName,
      alias: spec.alias,
      action,
      before,
      after: null,
      reason: action === "plan.resume" ? "console instance picked up the plan" : "outside change",
      outcome: "noted",
      detail,
      planId: plan.id,
    });

  const alias = await deps.lambda(spec.region).getAlias(spec.functionName, spec.alias);
  if (opts.driven && !opts.driven.has(plan.id)) {
    opts.driven.add(plan.id);
    if (plan.state.step >= 0)
      note("plan.resume", targetOf(alias), `resumed at step ${plan.state.step + 1} by ${opts.owner}`);
  }
  if (plan.lastRevisionId !== null && alias.revisionId !== plan.lastRevisionId) {
    note(
      "plan.abort",
      targetOf(alias),
      `alias changed outside the plan (now ${describeRouting(targetOf(alias))}); plan stopped, alias left as is`,
    );
    deps.store.plans.save(plan.id, {
      state: { ...plan.state, status: "aborted", reason: "alias changed outside the plan" },
      now,
    });
    return true;
  }

  const guards = await evaluatePlanGuards(deps, plan, now);
  const { action, next } = decide(spec, plan.state, epochMs(now), guards);
  if (action.kind === "none") {
    if (guards) deps.store.plans.save(plan.id, { state: plan.state, now, lastChecks: guards.checks });
    return false;
  }
  const target = targetFor(plan, action) as RoutingTarget;
  const reason =
    action.kind === "rollback"
      ? action.reason
      : action.kind === "promote"
        ? "all steps passed their guards"
        : `step ${action.step + 1}${guards ? `: guards ${guards.verdict}` : ""}`;
  try {
    const updated = await applyRouting(deps, {
      actor: RUNNER_ACTOR,
      region: spec.region,
      functionName: spec.functionName,
      alias: spec.alias,
      before: targetOf(alias),
      target,
      revisionId: alias.revisionId,
      action: AUDIT_ACTION[action.kind],
      reason: guards
        ? `${reason} (${guards.checks.map((c) => `${c.guard} ${c.status}`).join(", ")})`
        : reason,
      planId: plan.id,
    });
    deps.store.plans.save(plan.id, {
      state: next,
      now,
      lastRevisionId: updated.revisionId,
      lastChecks: guards?.checks ?? null,
    });
  } catch (e) {
    if (isFleetscopeError(e) && (e.code === "Conflict" || e.code === "InvalidInput")) {
      deps.store.plans.save(plan.id, { state: { ...plan.state, status: "aborted", reason: e.message }, now });
      return true;
    }
    throw e;
  }
  return true;
}

export interface RunningLoop {
  owner: string;
  stop(): Promise<void>;
  /** Run one tick now (e.g. right after a plan starts) without waiting for the interval. */
  kick(): void;
}

export function startPlanLoop(
  deps: () => TrafficDeps,
  tickMs: number,
  leaseMs: number,
  owner = newOwnerId(),
): RunningLoop {
  const driven = new Set<string>();
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = tickPlans(deps(), { owner, leaseMs, driven })
      .catch((e: unknown) => console.error("[fleetscope] plan runner:", e))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, tickMs);
  timer.unref();
  tick();
  return {
    owner,
    kick: tick,
    async stop() {
      clearInterval(timer);
      await running;
      deps().store.leases.releaseAll(owner);
    },
  };
}
