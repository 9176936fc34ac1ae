/**
 * The plan runner: a loop in every console replica; the one replica holding the plan-runner lease drives every
 * running plan, one step at a time.
 *
 * Invariants:
 * - One leader: each tick acquires or renews the lease PLAN_RUNNER_LEASE (owner: the replica's id), and renews it
 *   every third of the lease while the tick runs (a renewal at another generation: lost for this tick). Only its
 *   holder drives plans; it lapses after FLEETSCOPE_LEASE_SECONDS if the holder dies, so another replica (or this
 *   one restarted) resumes every running plan from its stored step. A clean stop releases it first, at once.
 * - Fenced: every write the runner makes while driving plans (plan saves, their audit entries) runs in a
 *   transaction that first checks the lease generation (`Store.fenced`). A leader that lost the lease writes
 *   nothing (LeaseLost ends that plan's work for the tick), and since every UpdateAlias comes after a fenced
 *   write of the change it is about to make, it starts no UpdateAlias either.
 * - Compare-and-set: every plan save is `plans.saveIf` (still running, pending change still the one expected), and
 *   its audit entry is written only when it matched, in the same transaction: an abort committed meanwhile is
 *   never overwritten, and a step is audited once even when two passes of one leader record it.
 * - Durable pending change: before its UpdateAlias the runner saves the change into the plan (`pending`, with
 *   its lease generation); on success it saves the new state, `pending: null` and the audit entry together.
 *   Whoever drives the plan next reads `pending`: an alias showing that routing on another revision means the
 *   change landed (adopted: saved and audited once); an alias still on the plan's last revision means it never
 *   did. If another generation wrote it, its leader may only be paused with the call still to send: the new
 *   driver first rotates the RevisionId (UpdateAlias, same routing), so that late call can only fail; then it
 *   decides again. No step is applied twice, none lost.
 * - Before acting, the alias is read back: a RevisionId other than the plan's own last one (and not our pending
 *   change landing) means someone else changed the alias, and the plan stops without touching it.
 * - A failed call leaves the state, so the next tick retries the same decision. A Conflict on our own call is
 *   an outside change too (unless the alias shows exactly our pending change): stop, don't retry.
 * - A store that cannot be reached: the runner acts on nothing (no AWS write without its fenced pending write
 *   first), logs one line per tick, and resumes when the store answers again.
 * - Read-only mode drives nothing and does not take the lease: plans stay as stored.
 * - A plan in a region no longer configured takes no further step: it is rolled back to its stable version.
 * - Every step is bounded (`stepTimeoutMs`, and the loop's tick deadline): its AWS calls get an AbortSignal, so
 *   one hung call fails that step (Timeout) and the next tick runs every plan's guards again. An abandoned
 *   UpdateAlias may still land, but only on the RevisionId it was based on, so it can never put a stale weight
 *   back; if it lands, its durable pending change makes the next driver adopt it.
 * - The runner never overwrites a plan that left `running` while it worked (an abort): every save checks the
 *   stored status in its transaction, and a step whose UpdateAlias landed after an abort undoes its own change
 *   (safe by RevisionId: it can only overwrite the revision it just produced).
 * - Ticks never overlap in one process, except that a tick past its deadline is abandoned (its signal aborted)
 *   and the next one starts; the abandoned one checks its signal before every write that precedes a call.
 */
import { systemClock } from "@/lib/config/clock";
import { replicaId } from "@/lib/config/replica";
import type { LambdaPort } from "@/lib/aws/lambda";
import { FleetscopeError, isFleetscopeError } from "@/lib/core/errors";
import type { Alias } from "@/lib/core/lambda/types";
import { evaluateGuards, type GuardEvaluation } from "@/lib/core/traffic/guards";
import {
  decide,
  expectedWeight,
  planWeights,
  type PlanAction,
  type PlanState,
} from "@/lib/core/traffic/plan";
import { describeRouting, sameRouting, type RoutingTarget } from "@/lib/core/traffic/routing";
import { epochMs } from "@/lib/core/units";
import type { Store } from "@/lib/store";
import type { NewAuditEntry } from "@/lib/store/audit-log";
import type { Fence } from "@/lib/store/leases";
import type { PendingChange, PlanPatch, StoredPlan } from "@/lib/store/plans";
import { recordRouting, sendRouting, targetOf } from "./apply-routing";
import { auditAccount } from "./accounts";
import type { TrafficDeps } from "./deps";
import { versionMetrics } from "./version-metrics";

export const RUNNER_ACTOR = "plan-runner";
/** The one lease whose holder drives every running plan (lib/store/leases.ts). */
export const PLAN_RUNNER_LEASE = "plan-runner";
/** The audit detail of a step whose change landed but was recorded by the plan's next driver. */
export const ADOPTED_DETAIL = "adopted after takeover";

export interface RunnerOptions {
  /** This replica's lease owner name (lib/config/replica.ts in the console). */
  owner: string;
  leaseMs: number;
  /** Plans this process has driven since it last took the lease (to record a "resumed" entry once). */
  driven?: Set<string>;
  /** The tick's deadline: aborted, the tick stops at its next call or write (see startPlanLoop). */
  signal?: AbortSignal;
  /** Bound on one plan's step, so a hung call on one alias does not starve the others (default 30 s). */
  stepTimeoutMs?: number;
}

export const DEFAULT_STEP_TIMEOUT_MS = 30_000;
/** How long a clean stop waits for the running tick after aborting it. */
const STOP_WAIT_MS = 5_000;

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
const isCode = (e: unknown, ...codes: string[]) => isFleetscopeError(e) && codes.includes(e.code);

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

function checkpoint(signal: AbortSignal | undefined, plan: StoredPlan): void {
  if (signal?.aborted)
    throw new FleetscopeError(
      "Timeout",
      `plan ${plan.id} on ${plan.spec.functionName}:${plan.spec.alias}: step abandoned at its deadline`,
    );
}

/** The Lambda port with the step's signal on every call the runner makes. */
const withSignal = (port: LambdaPort, signal: AbortSignal): LambdaPort => ({
  ...port,
  region: port.region,
  getAlias: (name, alias, o) => port.getAlias(name, alias, { signal, ...o }),
  updateAlias: (input, o) => port.updateAlias(input, { signal, ...o }),
  listVersions: (name, o) => port.listVersions(name, { signal, ...o }),
  listProvisionedConcurrency: (name, o) => port.listProvisionedConcurrency(name, { signal, ...o }),
});

/** The same pending change (the stored JSON text is what saveIf compares; this is the same comparison). */
const samePending = (a: PendingChange | null, b: PendingChange | null) =>
  JSON.stringify(a) === JSON.stringify(b);

export async function evaluatePlanGuards(
  deps: TrafficDeps,
  plan: StoredPlan,
  now: number,
): Promise<GuardEvaluation | null> {
  const { spec, state } = plan;
  if (state.stepStartedAt === null) return null;
  const [stable, candidate] = await versionMetrics(
    deps,
    spec,
    spec.functionName,
    spec.alias,
    [spec.stableVersion, spec.newVersion],
    { start: state.stepStartedAt, end: now },
  );
  const alarm = spec.guards.alarmName
    ? ((await deps.alarms(spec).alarmStates([spec.guards.alarmName])).get(spec.guards.alarmName) ?? "MISSING")
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

/** The routing the alias has at the plan's stored step (what a step's audit entry starts from). */
function routingAt(plan: StoredPlan): RoutingTarget {
  const weight = expectedWeight(plan.spec, plan.state);
  return {
    primaryVersion: plan.spec.stableVersion,
    routing: weight === null ? null : { additionalVersion: plan.spec.newVersion, weight },
  };
}

/**
 * The state a landed pending change leads to, for a driver that did not decide it: what `decide` returned then,
 * rebuilt from the change (a rollback's guard detail was not stored: the audit of the plan says what led to it).
 */
function stateAfter(plan: StoredPlan, change: PendingChange): PlanState {
  switch (change.action) {
    case "setWeight": {
      const weight = change.target.routing?.weight;
      const step = planWeights(plan.spec.shape).findIndex((w) => w === weight);
      return {
        status: "running",
        step: step >= 0 ? step : plan.state.step + 1,
        stepStartedAt: epochMs(change.at),
        reason: null,
      };
    }
    case "promote":
      return { ...plan.state, status: "succeeded", reason: "all steps passed their guards" };
    case "rollback":
      return {
        ...plan.state,
        status: "rolled_back",
        reason: `rolled back to v${plan.spec.stableVersion} (decided before a takeover)`,
      };
  }
}

export const UNCONFIGURED_REGION_REASON = "region no longer configured (FLEETSCOPE_REGIONS)";

function rollbackUnconfigured(plan: StoredPlan): { action: PlanAction; next: PlanState } {
  const reason = `${UNCONFIGURED_REGION_REASON}: ${plan.spec.region}; rolled back to v${plan.spec.stableVersion}`;
  return { action: { kind: "rollback", reason }, next: { ...plan.state, status: "rolled_back", reason } };
}

const AUDIT_ACTION = { setWeight: "plan.step", promote: "plan.promote", rollback: "plan.rollback" } as const;

/**
 * One pass: acquire or renew the runner lease, then, as its holder, step every running plan, each on its own
 * deadline and side by side (different aliases), so a hung call on one alias neither starves the others nor
 * outlives the tick. Returns the ids of plans it acted on (for tests and logs).
 */
export async function tickPlans(deps: TrafficDeps, opts: RunnerOptions): Promise<string[]> {
  if (deps.readOnly) return [];
  let lease: Fence | null;
  let plans: StoredPlan[];
  try {
    lease = await deps.store.leases.acquire(PLAN_RUNNER_LEASE, opts.owner, deps.now(), opts.leaseMs);
    // Another replica drives the plans; if this one takes over later, it notes the plans it resumes.
    if (!lease) {
      opts.driven?.clear();
      return [];
    }
    // A plan stored before accounts (account '') waits for the collector to adopt it into the account it was made
    // in: driven now, it could move the same-named alias of whichever account is the default.
    plans = (await deps.store.plans.running()).filter((p) => p.spec.account !== "");
  } catch (e) {
    console.error(
      `[fleetscope] plan runner: the store cannot be reached; no plan driven this tick (${messageOf(e)})`,
    );
    return [];
  }
  const fence = lease;
  // A tick may outlast a third of the lease (slow calls): renew it meanwhile, like the collector, so a live leader
  // is not taken over. A renewal at another generation means it lapsed in between: lost for this tick.
  const lost = new AbortController();
  const renew = async () => {
    if (lost.signal.aborted || opts.signal?.aborted) return;
    try {
      const renewed = await deps.store.leases.acquire(
        PLAN_RUNNER_LEASE,
        opts.owner,
        deps.now(),
        opts.leaseMs,
      );
      if (renewed?.generation !== fence.generation) lost.abort();
    } catch (e) {
      // The next fenced write finds out for sure; the store may only be slow.
      console.error(`[fleetscope] plan runner: cannot renew the lease: ${messageOf(e)}`);
    }
  };
  const heartbeat = setInterval(() => void renew(), Math.max(1_000, Math.floor(opts.leaseMs / 3)));
  heartbeat.unref();
  const tickSignal = opts.signal ? AbortSignal.any([opts.signal, lost.signal]) : lost.signal;
  const steps = plans.map(async (plan) => {
    if (tickSignal.aborted) return false;
    const bound = AbortSignal.timeout(opts.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS);
    const signal = AbortSignal.any([tickSignal, bound]);
    const step = stepPlan(deps, fence, plan, deps.now(), opts, signal);
    const settled = step.catch(() => undefined);
    inFlight.set(plan.id, settled);
    try {
      return await step;
    } catch (e) {
      if (isCode(e, "LeaseLost") || lost.signal.aborted) {
        const why = isCode(e, "LeaseLost")
          ? messageOf(e)
          : `The ${PLAN_RUNNER_LEASE} lease is no longer held by ${opts.owner} (lost at renewal).`;
        console.log(`[fleetscope] plan runner: ${why} Plan ${plan.id} is left to the new holder.`);
        return false;
      }
      // A throttle, an outage or the deadline: leave the state, try again next tick; the audit keeps the reason.
      await deps.store
        .fenced(fence, (tx) =>
          tx.audit.record({
            at: epochMs(deps.now()),
            actor: RUNNER_ACTOR,
            ...auditAccount(deps, plan.spec.account),
            region: plan.spec.region,
            functionName: plan.spec.functionName,
            alias: plan.spec.alias,
            action: "plan.step",
            before: null,
            after: null,
            reason: "plan tick",
            outcome: "failed",
            detail: messageOf(e),
            planId: plan.id,
          }),
        )
        .catch((w: unknown) =>
          console.error(
            `[fleetscope] plan runner: plan ${plan.id}: ${messageOf(e)} (not recorded: ${messageOf(w)})`,
          ),
        );
      return false;
    } finally {
      if (inFlight.get(plan.id) === settled) inFlight.delete(plan.id);
    }
  });
  let acted: boolean[];
  try {
    acted = await Promise.all(steps);
  } finally {
    clearInterval(heartbeat);
  }
  return plans.filter((_, i) => acted[i]).map((p) => p.id);
}

async function stepPlan(
  outer: TrafficDeps,
  fence: Fence,
  stored: StoredPlan,
  now: number,
  opts: RunnerOptions,
  signal: AbortSignal,
): Promise<boolean> {
  const deps: TrafficDeps = { ...outer, lambda: (scope) => withSignal(outer.lambda(scope), signal) };
  /** The plan as stored, followed through the saves this step makes. */
  let plan = stored;
  const { spec } = plan;
  /** A fenced write made before a call: an abandoned step makes none. */
  const fenced = <T>(write: (tx: Store) => Promise<T>) => {
    checkpoint(signal, plan);
    return outer.store.fenced(fence, write);
  };
  const note = (
    action: "plan.resume" | "plan.abort",
    before: RoutingTarget | null,
    detail: string,
  ): NewAuditEntry => ({
    at: epochMs(now),
    actor: RUNNER_ACTOR,
    ...auditAccount(outer, spec.account),
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

  let alias = await deps.lambda(spec).getAlias(spec.functionName, spec.alias);
  if (opts.driven && !opts.driven.has(plan.id)) {
    if (plan.state.step >= 0) {
      const entry = note(
        "plan.resume",
        targetOf(alias),
        `resumed at step ${plan.state.step + 1} by ${opts.owner}`,
      );
      await fenced((tx) => tx.audit.record(entry));
    }
    opts.driven.add(plan.id);
  }

  const pending = plan.pending;
  if (pending) {
    if (alias.revisionId !== pending.basedOnRevisionId && sameRouting(targetOf(alias), pending.target)) {
      // The change landed but was never recorded (its driver died or gave up on the call): adopt it.
      await adopt(outer, fence, plan, pending, stateAfter(plan, pending), null, alias, now);
      return true;
    }
    const unlanded = alias.revisionId === (plan.lastRevisionId ?? pending.basedOnRevisionId);
    if (
      pending.generation !== fence.generation &&
      (unlanded || sameRouting(targetOf(alias), routingAt(plan)))
    ) {
      // Written under another lease generation: its leader may only be paused, its UpdateAlias (based on the
      // plan's revision) still to come. Fence it off on the AWS side first; then decide as usual.
      const rotated = await rotateRevision(deps, outer, fence, plan, pending, alias, unlanded, now, fenced);
      if (rotated === "done") return true;
      if (rotated === "stopped") return false;
      if (rotated) ({ plan, alias } = rotated);
      else alias = await deps.lambda(spec).getAlias(spec.functionName, spec.alias);
    } else if (unlanded) {
      // Ours (this leader's), and it never landed: forget it and decide again from the stored state.
      const cleared = await fenced((tx) =>
        tx.plans.saveIf(plan.id, { pending }, { state: plan.state, now, pending: null }),
      );
      if (!cleared) return false;
      plan = cleared;
    }
  }
  if (plan.lastRevisionId !== null && alias.revisionId !== plan.lastRevisionId) {
    const entry = note(
      "plan.abort",
      targetOf(alias),
      `alias changed outside the plan (now ${describeRouting(targetOf(alias))}); plan stopped, alias left as is`,
    );
    const expected = plan.pending;
    return fenced(async (tx) => {
      const state: PlanState = { ...plan.state, status: "aborted", reason: "alias changed outside the plan" };
      if (!(await tx.plans.saveIf(plan.id, { pending: expected }, { state, now, pending: null })))
        return false;
      await tx.audit.record(entry);
      return true;
    });
  }

  // A region removed from FLEETSCOPE_REGIONS since the plan started: nobody watches it any more (no collector,
  // no pages), so the plan goes no further. Leaving its canary at its weight with no guard would be the worse
  // outcome, so it is rolled back to the stable version, like a tripped guard (default-deps.ts lets the runner
  // reach a region while a plan runs there).
  const decided = plan;
  const unwatched = !deps.regions.includes(spec.region);
  const guards = unwatched ? null : await evaluatePlanGuards(deps, decided, now);
  checkpoint(signal, decided);
  const { action, next } = unwatched
    ? rollbackUnconfigured(decided)
    : decide(spec, decided.state, epochMs(now), guards);
  if (action.kind === "none") {
    if (guards)
      await fenced((tx) =>
        tx.plans.saveIf(
          decided.id,
          { pending: decided.pending },
          {
            state: decided.state,
            now,
            lastChecks: guards.checks,
          },
        ),
      );
    return false;
  }
  const target = targetFor(decided, action) as RoutingTarget;
  const reason =
    action.kind === "rollback"
      ? action.reason
      : action.kind === "promote"
        ? "all steps passed their guards"
        : `step ${action.step + 1}${guards ? `: guards ${guards.verdict}` : ""}`;
  const checks = guards?.checks ?? null;

  // The fenced write of the change before the call: it proves the lease is still ours, and it is what lets the
  // next driver tell whether the call landed if this process dies before recording it.
  const change: PendingChange = {
    action: action.kind,
    target,
    basedOnRevisionId: alias.revisionId,
    at: now,
    generation: fence.generation,
  };
  const before = decided.pending;
  if (
    !(await fenced((tx) =>
      tx.plans.saveIf(decided.id, { pending: before }, { state: decided.state, now, pending: change }),
    ))
  )
    return false;

  const sent = await sendRouting(deps, {
    actor: RUNNER_ACTOR,
    account: spec.account,
    region: spec.region,
    functionName: spec.functionName,
    alias: spec.alias,
    before: targetOf(alias),
    target,
    revisionId: alias.revisionId,
    action: AUDIT_ACTION[action.kind],
    reason: guards ? `${reason} (${guards.checks.map((c) => `${c.guard} ${c.status}`).join(", ")})` : reason,
    planId: decided.id,
  });
  // From here on the outcome is recorded whatever the signal says: it is the truth about the alias.
  if (sent.ok) {
    const updated = sent.updated;
    const aborted = await outer.store.fenced(fence, async (tx) => {
      const patch = {
        state: next,
        now,
        lastRevisionId: updated.revisionId,
        lastChecks: checks,
        pending: null,
      };
      // Audited only with the save that records it: a second pass of this leader (an abandoned tick's step and
      // the next tick adopting it) finds the pending change gone and records nothing.
      if (await tx.plans.saveIf(decided.id, { pending: change }, patch)) {
        await recordRouting(tx, spec, spec.functionName, sent);
        return false;
      }
      const kept = await keepRevisionIfAborted(tx, decided.id, change, updated.revisionId, now);
      if (kept) await recordRouting(tx, spec, spec.functionName, sent);
      return kept;
    });
    if (aborted) await undoAfterAbort(outer, fence, decided, updated, opts);
    return true;
  }
  const e = sent.error;
  if (isCode(e, "Conflict") && sent.current && sameRouting(targetOf(sent.current), target)) {
    // The alias moved on to exactly this change: an earlier call of ours for it landed. Adopt it, once.
    await adopt(outer, fence, decided, change, next, checks, sent.current, now);
    return true;
  }
  if (isCode(e, "Conflict", "InvalidInput")) {
    await outer.store.fenced(fence, async (tx) => {
      const state: PlanState = { ...decided.state, status: "aborted", reason: messageOf(e) };
      await tx.plans.saveIf(decided.id, { pending: change }, { state, now, pending: null });
      await recordRouting(tx, spec, spec.functionName, sent);
    });
    return true;
  }
  // Anything else (a throttle, an outage, the deadline): the change may still land, so `pending` stays for the
  // next tick to adopt or clear; the failure is recorded and the tick's catch notes it on the plan too.
  await outer.store.fenced(fence, (tx) => recordRouting(tx, spec, spec.functionName, sent));
  throw e;
}

/**
 * An UpdateAlias that lands after the plan was aborted: keep the revision it produced (so the abort, which
 * settles this step before it reads the alias, sees it as the plan's own) — only if it is still this change.
 */
async function keepRevisionIfAborted(
  tx: Store,
  planId: string,
  change: PendingChange,
  revisionId: string,
  now: number,
): Promise<boolean> {
  const fresh = await tx.plans.get(planId);
  if (!fresh || fresh.state.status === "running" || !samePending(fresh.pending, change)) return false;
  await tx.plans.save(planId, { state: fresh.state, now, lastRevisionId: revisionId });
  return true;
}

export const ROTATED_REASON = "revision rotated: a previous runner's unconfirmed change can no longer land";

/**
 * Fences off a pending change another leader wrote and may still send: UpdateAlias with the routing the alias
 * already has, based on the plan's revision, gives the alias a new RevisionId (AWS issues one on every update,
 * as the sandbox does), so that leader's late call, based on the old one, can only fail (PreconditionFailed).
 * `unlanded` false: a previous driver already rotated it and died before recording it; only record it.
 * Returns the plan and alias to decide from; "done" when the old change was found landed and adopted;
 * "stopped" when the plan was not ours to change any more; null when the alias moved elsewhere (outside change).
 */
async function rotateRevision(
  deps: TrafficDeps,
  outer: TrafficDeps,
  fence: Fence,
  plan: StoredPlan,
  pending: PendingChange,
  alias: Alias,
  unlanded: boolean,
  now: number,
  fenced: <T>(write: (tx: Store) => Promise<T>) => Promise<T>,
): Promise<{ plan: StoredPlan; alias: Alias } | "done" | "stopped" | null> {
  const { spec } = plan;
  let rotated = alias;
  if (unlanded) {
    // Still ours to drive, just before the call (a check that changes nothing but the plan's updated_at).
    if (!(await fenced((tx) => tx.plans.saveIf(plan.id, { pending }, { state: plan.state, now }))))
      return "stopped";
    const sent = await sendRouting(deps, {
      actor: RUNNER_ACTOR,
      account: spec.account,
      region: spec.region,
      functionName: spec.functionName,
      alias: spec.alias,
      before: targetOf(alias),
      target: targetOf(alias),
      revisionId: alias.revisionId,
      action: "plan.resume",
      reason: ROTATED_REASON,
      planId: plan.id,
    });
    if (!sent.ok) {
      if (isCode(sent.error, "Conflict") && sent.current) {
        // The old leader's call beat ours: the plan's own step if it shows exactly that change.
        if (sameRouting(targetOf(sent.current), pending.target)) {
          await adopt(outer, fence, plan, pending, stateAfter(plan, pending), null, sent.current, now);
          return "done";
        }
        return null;
      }
      await outer.store.fenced(fence, (tx) => recordRouting(tx, spec, spec.functionName, sent));
      throw sent.error;
    }
    rotated = sent.updated;
  }
  const after = rotated;
  const saved = await outer.store.fenced(fence, async (tx) => {
    const patch = { state: plan.state, now, lastRevisionId: after.revisionId, pending: null };
    const s = await tx.plans.saveIf(plan.id, { pending }, patch);
    if (!s) {
      await keepRevisionIfAborted(tx, plan.id, pending, after.revisionId, now);
      return null;
    }
    await tx.audit.record({
      at: epochMs(now),
      actor: RUNNER_ACTOR,
      ...auditAccount(outer, spec.account),
      region: spec.region,
      functionName: spec.functionName,
      alias: spec.alias,
      action: "plan.resume",
      before: targetOf(alias),
      after: targetOf(after),
      reason: ROTATED_REASON,
      outcome: "noted",
      detail:
        `revision ${plan.lastRevisionId ?? "unknown"} → ${after.revisionId}; unconfirmed ` +
        `${AUDIT_ACTION[pending.action]} to ${describeRouting(pending.target)} (lease generation ` +
        `${pending.generation}) fenced off`,
      planId: plan.id,
    });
    await tx.inventory.putAlias(spec, spec.functionName, after);
    return s;
  });
  return saved ? { plan: saved, alias: after } : "stopped";
}

/** Records a landed change as the step it was: the state it leads to, its revision, one audit entry. */
async function adopt(
  deps: TrafficDeps,
  fence: Fence,
  plan: StoredPlan,
  change: PendingChange,
  next: PlanState,
  checks: PlanPatch["lastChecks"],
  alias: Alias,
  now: number,
): Promise<void> {
  const { spec } = plan;
  await deps.store.fenced(fence, async (tx) => {
    const patch = { state: next, now, lastRevisionId: alias.revisionId, lastChecks: checks, pending: null };
    // Compare-and-set on the change itself: whoever records it first audits it; any later pass records nothing.
    if (!(await tx.plans.saveIf(plan.id, { pending: change }, patch))) return;
    await tx.audit.record({
      at: epochMs(now),
      actor: RUNNER_ACTOR,
      ...auditAccount(deps, spec.account),
      region: spec.region,
      functionName: spec.functionName,
      alias: spec.alias,
      action: AUDIT_ACTION[change.action],
      before: routingAt(plan),
      after: targetOf(alias),
      reason: `${AUDIT_ACTION[change.action]} decided at ${new Date(change.at).toISOString()}`,
      outcome: "applied",
      detail: `${ADOPTED_DETAIL}: revision ${change.basedOnRevisionId ?? "unknown"} → ${alias.revisionId}`,
      planId: plan.id,
    });
    await tx.inventory.putAlias(spec, spec.functionName, alias);
  });
}

/**
 * The plan was aborted while our UpdateAlias was in flight, and it landed: the abort may already have read
 * the alias (and found nothing, or a revision it did not know), so we send traffic back to the stable version
 * ourselves. Based on the revision our call produced, so it cannot overwrite anyone else's later change. Like
 * any step, the undo is written (fenced) as the plan's pending change first: an abort that reads the alias
 * meanwhile counts it as the plan's own.
 */
async function undoAfterAbort(
  deps: TrafficDeps,
  fence: Fence,
  plan: StoredPlan,
  landed: Alias,
  opts: RunnerOptions,
): Promise<void> {
  const { spec } = plan;
  const stable: RoutingTarget = { primaryVersion: spec.stableVersion, routing: null };
  if (sameRouting(targetOf(landed), stable)) return;
  const now = deps.now();
  // A fresh bound: the step's own deadline may be nearly spent, and this call matters more than the step.
  const signal = AbortSignal.timeout(opts.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS);
  const undo: PendingChange = {
    action: "rollback",
    target: stable,
    basedOnRevisionId: landed.revisionId,
    at: now,
    generation: fence.generation,
  };
  // Still ours? (The fenced write of the pending undo is the check before the call.)
  await deps.store.fenced(fence, async (tx) => {
    const fresh = await tx.plans.get(plan.id);
    if (fresh) await tx.plans.save(plan.id, { state: fresh.state, now, pending: undo });
  });
  const sent = await sendRouting(
    { ...deps, lambda: (scope) => withSignal(deps.lambda(scope), signal) },
    {
      actor: RUNNER_ACTOR,
      account: spec.account,
      region: spec.region,
      functionName: spec.functionName,
      alias: spec.alias,
      before: targetOf(landed),
      target: stable,
      revisionId: landed.revisionId,
      action: "plan.abort",
      reason: "the plan was aborted while this step's change was in flight; undoing it",
      planId: plan.id,
    },
  );
  const settled = sent.ok || isCode(sent.error, "Conflict", "InvalidInput");
  await deps.store.fenced(fence, async (tx) => {
    await recordRouting(tx, spec, spec.functionName, sent);
    const after = await tx.plans.get(plan.id);
    if (!after) return;
    // A failed call may still land: its pending undo stays (an aborted plan is driven no more; it only tells).
    if (sent.ok)
      await tx.plans.save(plan.id, {
        state: after.state,
        now,
        lastRevisionId: sent.updated.revisionId,
        pending: null,
      });
    else if (settled) await tx.plans.save(plan.id, { state: after.state, now, pending: null });
  });
  // Conflict: someone (the abort itself) changed the alias since our step; theirs stands.
  if (!sent.ok && !isCode(sent.error, "Conflict")) throw sent.error;
}

export interface RunningLoop {
  owner: string;
  stop(): Promise<void>;
  /** Run one tick now (e.g. right after a plan starts) without waiting for the interval. */
  kick(): void;
}

export function startPlanLoop(
  /** Built afresh each tick (the console's reads which regions have running plans). */
  deps: () => TrafficDeps | Promise<TrafficDeps>,
  tickMs: number,
  leaseMs: number,
  owner = replicaId(),
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
      done: Promise.resolve()
        .then(deps)
        .then((d) =>
          tickPlans(d, { owner, leaseMs, driven, signal: controller.signal, stepTimeoutMs: tickTimeoutMs }),
        )
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
      const release = () =>
        Promise.resolve()
          .then(deps)
          .then((d) => d.store.leases.release(PLAN_RUNNER_LEASE, owner))
          .catch((e: unknown) => console.error("[fleetscope] plan runner: could not release its lease:", e));
      // Release first, so another replica takes over on its next tick: fencing refuses every later write of the
      // running tick, and a pending change it may still send is fenced off by the next leader (rotateRevision).
      await release();
      const last = running;
      last?.controller.abort();
      let timer5: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([last?.done, new Promise<void>((r) => (timer5 = setTimeout(r, STOP_WAIT_MS)))]);
      clearTimeout(timer5);
      // A renewal that raced the first release may have taken the lease again: give it back for good.
      if (last) await release();
    },
  };
}
