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
 * - A plan in a region no longer configured takes no further step: it is rolled back to its stable version.
 * - Every step is bounded (`stepTimeoutMs`, and the loop's tick deadline): its AWS calls get an AbortSignal, so
 *   one hung call fails that step (Timeout) and the next tick runs every plan's guards again. An abandoned
 *   UpdateAlias may still land, but only on the RevisionId it was based on: if anything changed the alias since
 *   (a later tick's rollback, an operator), AWS rejects it, so it can never put a stale weight back. If it
 *   landed first, the next tick recognises its own pending change and adopts it instead of calling it an
 *   outside change (process-local: after a restart such a landing reads as an outside change, and the plan
 *   stops safely without touching the alias).
 * - The runner never overwrites a plan that left `running` while it worked (an abort): every save checks the
 *   stored status first, and a step whose UpdateAlias landed after an abort undoes its own change (safe by
 *   RevisionId: it can only overwrite the revision it just produced).
 * - Ticks never overlap in one process, except that a tick past its deadline is abandoned (its signal aborted)
 *   and the next one starts; the abandoned one checks its signal before every write.
 */
import { systemClock } from "@/lib/config/clock";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { LambdaPort } from "@/lib/aws/lambda";
import { FleetscopeError, isFleetscopeError } from "@/lib/core/errors";
import { evaluateGuards, type GuardEvaluation } from "@/lib/core/traffic/guards";
import { decide, type PlanAction } from "@/lib/core/traffic/plan";
import type { PlanState } from "@/lib/core/traffic/plan";
import type { GuardCheck } from "@/lib/core/traffic/guards";
import { describeRouting, sameRouting, type RoutingTarget } from "@/lib/core/traffic/routing";
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
  /** The tick's deadline: aborted, the tick stops at its next call or write (see startPlanLoop). */
  signal?: AbortSignal;
  /** Bound on one plan's step, so a hung call on one alias does not starve the others (default 30 s). */
  stepTimeoutMs?: number;
}

export const DEFAULT_STEP_TIMEOUT_MS = 30_000;

/** Steps in flight in this process, so an abort can let one settle before it reads the alias. */
const inFlight = new Map<string, Promise<unknown>>();

/** Wait (at most `maxMs`) for this process's step on the plan, if one is running. */
export async function settleStep(planId: string, maxMs = DEFAULT_STEP_TIMEOUT_MS): Promise<void> {
  const step = inFlight.get(planId);
  if (!step) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([step, new Promise<void>((r) => (timer = setTimeout(r, maxMs)))]);
  clearTimeout(timer);
}

/** A step's change that was sent but not confirmed (the step was abandoned): adopted if it landed. */
interface PendingChange {
  fromRevision: string;
  target: RoutingTarget;
  next: PlanState;
  checks: GuardCheck[] | null;
}
const pending = new Map<string, PendingChange>();

function checkpoint(signal: AbortSignal | undefined, plan: StoredPlan): void {
  if (signal?.aborted)
    throw new FleetscopeError(
      "Timeout",
      `plan ${plan.id} on ${plan.spec.functionName}:${plan.spec.alias}: step abandoned at its deadline`,
    );
}

/** The Lambda port with the step's signal on every call the runner (and applyRouting) makes. */
const withSignal = (port: LambdaPort, signal: AbortSignal): LambdaPort => ({
  ...port,
  region: port.region,
  getAlias: (name, alias, o) => port.getAlias(name, alias, { signal, ...o }),
  updateAlias: (input, o) => port.updateAlias(input, { signal, ...o }),
  listVersions: (name, o) => port.listVersions(name, { signal, ...o }),
  listProvisionedConcurrency: (name, o) => port.listProvisionedConcurrency(name, { signal, ...o }),
});

/** Save only while the plan is still running: an abort that happened meanwhile wins. */
function saveIfRunning(
  deps: TrafficDeps,
  planId: string,
  patch: Parameters<TrafficDeps["store"]["plans"]["save"]>[1],
) {
  if (deps.store.plans.get(planId)?.state.status !== "running") return false;
  deps.store.plans.save(planId, patch);
  return true;
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

export const UNCONFIGURED_REGION_REASON = "region no longer configured (FLEETSCOPE_REGIONS)";

function rollbackUnconfigured(plan: StoredPlan): { action: PlanAction; next: PlanState } {
  const reason = `${UNCONFIGURED_REGION_REASON}: ${plan.spec.region}; rolled back to v${plan.spec.stableVersion}`;
  return { action: { kind: "rollback", reason }, next: { ...plan.state, status: "rolled_back", reason } };
}

const AUDIT_ACTION = { setWeight: "plan.step", promote: "plan.promote", rollback: "plan.rollback" } as const;

/**
 * One pass over every running plan, each step on its own deadline and side by side (different aliases), so
 * a hung call on one alias neither starves the others nor outlives the tick. Returns the ids of plans it acted
 * on (for tests and logs).
 */
export async function tickPlans(deps: TrafficDeps, opts: RunnerOptions): Promise<string[]> {
  if (deps.readOnly) return [];
  const plans = deps.store.plans.running();
  const steps = plans.map(async (plan) => {
    if (opts.signal?.aborted) return false;
    const now = deps.now();
    if (!deps.store.leases.acquire(leaseKey(plan), opts.owner, now, opts.leaseMs)) return false;
    const bound = AbortSignal.timeout(opts.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS);
    const signal = opts.signal ? AbortSignal.any([opts.signal, bound]) : bound;
    const step = stepPlan(deps, plan, now, opts, signal);
    const settled = step.catch(() => undefined);
    inFlight.set(plan.id, settled);
    try {
      return await step;
    } catch (e) {
      // A throttle, an outage or the deadline: leave the state, try again next tick; the audit keeps the reason.
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
      return false;
    } finally {
      if (inFlight.get(plan.id) === settled) inFlight.delete(plan.id);
    }
  });
  const acted = await Promise.all(steps);
  return plans.filter((_, i) => acted[i]).map((p) => p.id);
}

async function stepPlan(
  outer: TrafficDeps,
  plan: StoredPlan,
  now: number,
  opts: RunnerOptions,
  signal: AbortSignal,
): Promise<boolean> {
  const deps: TrafficDeps = { ...outer, lambda: (region) => withSignal(outer.lambda(region), signal) };
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
  const mine = pending.get(plan.id);
  pending.delete(plan.id);
  if (
    mine &&
    alias.revisionId !== plan.lastRevisionId &&
    mine.fromRevision === plan.lastRevisionId &&
    sameRouting(targetOf(alias), mine.target)
  ) {
    // Our abandoned step landed after all: it is the plan's own change. Adopt it; the guards run next tick.
    saveIfRunning(deps, plan.id, {
      state: mine.next,
      now,
      lastRevisionId: alias.revisionId,
      lastChecks: mine.checks,
    });
    return true;
  }
  if (plan.lastRevisionId !== null && alias.revisionId !== plan.lastRevisionId) {
    if (deps.store.plans.get(plan.id)?.state.status !== "running") return false;
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

  // A region removed from FLEETSCOPE_REGIONS since the plan started: nobody watches it any more (no collector,
  // no pages), so the plan goes no further. Leaving its canary at its weight with no guard would be the worse
  // outcome, so it is rolled back to the stable version, like a tripped guard (default-deps.ts lets the runner
  // reach a region while a plan runs there).
  const unwatched = !deps.regions.includes(spec.region);
  const guards = unwatched ? null : await evaluatePlanGuards(deps, plan, now);
  checkpoint(signal, plan);
  const { action, next } = unwatched
    ? rollbackUnconfigured(plan)
    : decide(spec, plan.state, epochMs(now), guards);
  if (action.kind === "none") {
    if (guards) saveIfRunning(deps, plan.id, { state: plan.state, now, lastChecks: guards.checks });
    return false;
  }
  const target = targetFor(plan, action) as RoutingTarget;
  const reason =
    action.kind === "rollback"
      ? action.reason
      : action.kind === "promote"
        ? "all steps passed their guards"
        : `step ${action.step + 1}${guards ? `: guards ${guards.verdict}` : ""}`;
  if (deps.store.plans.get(plan.id)?.state.status !== "running") return false;
  pending.set(plan.id, {
    fromRevision: alias.revisionId,
    target,
    next,
    checks: guards?.checks ?? null,
  });
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
    pending.delete(plan.id);
    const saved = saveIfRunning(deps, plan.id, {
      state: next,
      now,
      lastRevisionId: updated.revisionId,
      lastChecks: guards?.checks ?? null,
    });
    if (!saved) await undoAfterAbort(outer, plan, updated.revisionId, targetOf(updated), opts);
  } catch (e) {
    // A step that timed out keeps its pending change (it may have landed); any other outcome is final.
    if (!(isFleetscopeError(e) && e.code === "Timeout")) pending.delete(plan.id);
    if (isFleetscopeError(e) && (e.code === "Conflict" || e.code === "InvalidInput")) {
      saveIfRunning(deps, plan.id, {
        state: { ...plan.state, status: "aborted", reason: e.message },
        now,
      });
      return true;
    }
    throw e;
  }
  return true;
}

/**
 * The plan was aborted while our UpdateAlias was in flight, and it landed: the abort may already have read
 * the alias (and found nothing, or a revision it did not know), so we send traffic back to the stable version
 * ourselves. Based on the revision our call produced, so it cannot overwrite anyone else's later change.
 */
async function undoAfterAbort(
  deps: TrafficDeps,
  plan: StoredPlan,
  revisionId: string,
  landed: RoutingTarget,
  opts: RunnerOptions,
): Promise<void> {
  const { spec } = plan;
  const stable: RoutingTarget = { primaryVersion: spec.stableVersion, routing: null };
  const now = deps.now();
  const fresh = deps.store.plans.get(plan.id);
  if (!fresh) return;
  deps.store.plans.save(plan.id, { state: fresh.state, now, lastRevisionId: revisionId });
  if (sameRouting(landed, stable)) return;
  // A fresh bound: the step's own deadline may be nearly spent, and this call matters more than the step.
  const signal = AbortSignal.timeout(opts.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS);
  const undone = await applyRouting(
    { ...deps, lambda: (region) => withSignal(deps.lambda(region), signal) },
    {
      actor: RUNNER_ACTOR,
      region: spec.region,
      functionName: spec.functionName,
      alias: spec.alias,
      before: landed,
      target: stable,
      revisionId,
      action: "plan.abort",
      reason: "the plan was aborted while this step's change was in flight; undoing it",
      planId: plan.id,
    },
  ).catch((e: unknown) => {
    // Conflict: someone (the abort itself) changed the alias since our step; theirs stands.
    if (isFleetscopeError(e) && e.code === "Conflict") return null;
    throw e;
  });
  if (undone) {
    const after = deps.store.plans.get(plan.id);
    if (after) deps.store.plans.save(plan.id, { state: after.state, now, lastRevisionId: undone.revisionId });
  }
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
  /** A tick still running after this is abandoned (its calls aborted) and the next one may start. */
  tickTimeoutMs = DEFAULT_STEP_TIMEOUT_MS,
): RunningLoop {
  const driven = new Set<string>();
  let running: { done: Promise<unknown>; controller: AbortController; startedAt: number } | null = null;
  const tick = () => {
    if (running) {
      // A watchdog on real time (it runs beside setInterval), not deps().now, which tests may replay.
      if (systemClock.now() - running.startedAt < tickTimeoutMs) return;
      // Past its deadline: abandon it, so one hung call cannot stop every plan's guards.
      running.controller.abort();
      running = null;
    }
    const controller = new AbortController();
    const current = {
      controller,
      startedAt: systemClock.now(),
      done: tickPlans(deps(), {
        owner,
        leaseMs,
        driven,
        signal: controller.signal,
        stepTimeoutMs: tickTimeoutMs,
      })
        .catch((e: unknown) => console.error("[fleetscope] plan runner:", e))
        .finally(() => {
          if (running === current) running = null;
        }),
    };
    running = current;
  };
  const timer = setInterval(tick, tickMs);
  timer.unref();
  tick();
  return {
    owner,
    kick: tick,
    async stop() {
      clearInterval(timer);
      await running?.done;
      deps().store.leases.releaseAll(owner);
    },
  };
}
