/**
 * The plan runner as one leased, fenced leader (lib/data/traffic/runner.ts): two replicas — two TrafficDeps with
 * their own owner names and SDK clients — on one store (SQLite, and PostgreSQL on the integration project's
 * server) and one sandbox, on a clock shared with the sandbox so a canary's minutes pass in milliseconds.
 * - Only the holder of the plan-runner lease drives; the other's ticks do nothing.
 * - A leader killed between its UpdateAlias and its save (its call lands, it never writes again) is replaced once
 *   its lease lapses, within two lease periods; the new leader adopts the landed step exactly once, and the plan,
 *   the audit log and the alias as the `aws` CLI reads it agree.
 * - A leader paused after reading the alias, and woken after the takeover, writes nothing (LeaseLost) and calls
 *   no UpdateAlias.
 * - A leader paused between its pending write and its UpdateAlias is fenced off on the AWS side: the new leader
 *   rotates the alias's RevisionId first, so the old call, sent late, fails (PreconditionFailed) and changes nothing.
 * - An abandoned tick that records its step after the next tick adopted it records nothing: audited once.
 * - An operator's abort committed between the runner's read and its write is not overwritten.
 * - A clean stop releases the lease before the running tick ends, so another replica takes over at once.
 * - A store that stops answering stops the runner from acting (no UpdateAlias without its pending write first);
 *   it resumes when the store is back.
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { FleetscopeError } from "@/lib/core/errors";
import { shiftAliasTraffic } from "@/lib/data/traffic/changes";
import type { TrafficDeps } from "@/lib/data/traffic/deps";
import { startPlan } from "@/lib/data/traffic/plans";
import {
  ADOPTED_DETAIL,
  PLAN_RUNNER_LEASE,
  ROTATED_REASON,
  startPlanLoop,
  tickPlans,
  type RunnerOptions,
} from "@/lib/data/traffic/runner";
import { createStore, type Store } from "@/lib/store";
import type { Sandbox } from "@fleetscope/sandbox";
import { cliGetAlias } from "@fleetscope/sandbox/testing/awscli";
import { startTestSandbox, TEST_NOW } from "@fleetscope/sandbox/testing/sandbox";
import { describeStores } from "../support/stores";
import { sandboxTrafficDeps, type SandboxTrafficDeps } from "../support/traffic-deps";

const operator: Principal = { id: "local-operator", name: "local-operator", role: "operator", via: "token" };
const REGION = "us-east-1";
const FN = "orders-api";
const MINUTE = 60_000;
/** The runners' lease and tick on the shared clock (a tick must be shorter than the lease, as in the console). */
const LEASE_MS = 3 * MINUTE;
const TICK_MS = MINUTE;

let sandbox: Sandbox;
let clock = TEST_NOW;
const clients: SandboxTrafficDeps[] = [];

beforeAll(async () => {
  sandbox = await startTestSandbox({ now: () => clock, regions: [REGION] });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sandbox?.close();
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** One console replica: its own SDK clients and owner name, the shared store, and hooks to kill or pause it. */
interface Replica {
  deps: TrafficDeps;
  opts: RunnerOptions;
  /** UpdateAlias calls this replica sent. */
  updates: number;
  /** Set: the next UpdateAlias lands, and this replica never runs another line (kill -9 after the call). */
  dieAfterUpdate: boolean;
  died: ReturnType<typeof deferred>;
  /** Set: GetAlias answers, then this replica stops until the promise resolves (a paused process). */
  pauseAfterGetAlias: Promise<void> | null;
  paused: ReturnType<typeof deferred>;
  /** Set: the next UpdateAlias waits for the promise before it is sent (paused after its pending write). */
  pauseBeforeUpdate: Promise<void> | null;
  pausedBeforeUpdate: ReturnType<typeof deferred>;
  /** Set: the next UpdateAlias lands, and its answer is held until the promise resolves (a tick abandoned). */
  holdAfterUpdate: Promise<void> | null;
  heldAfterUpdate: ReturnType<typeof deferred>;
}

function replica(store: Store, owner: string): Replica {
  const aws = sandboxTrafficDeps(sandbox.url, { now: () => clock, region: REGION, store });
  clients.push(aws);
  const r: Replica = {
    deps: aws.deps,
    opts: { owner, leaseMs: LEASE_MS, driven: new Set() },
    updates: 0,
    dieAfterUpdate: false,
    died: deferred(),
    pauseAfterGetAlias: null,
    paused: deferred(),
    pauseBeforeUpdate: null,
    pausedBeforeUpdate: deferred(),
    holdAfterUpdate: null,
    heldAfterUpdate: deferred(),
  };
  r.deps = {
    ...aws.deps,
    lambda: (scope) => {
      const port = aws.deps.lambda(scope);
      return {
        ...port,
        getAlias: async (name, alias, o) => {
          const read = await port.getAlias(name, alias, o);
          if (r.pauseAfterGetAlias) {
            r.paused.resolve();
            await r.pauseAfterGetAlias;
          }
          return read;
        },
        updateAlias: async (input, o) => {
          const pause = r.pauseBeforeUpdate;
          if (pause) {
            r.pausedBeforeUpdate.resolve();
            await pause;
          }
          r.updates++;
          const updated = await port.updateAlias(input, o);
          const hold = r.holdAfterUpdate;
          if (hold) {
            r.heldAfterUpdate.resolve();
            await hold;
          }
          if (r.dieAfterUpdate) {
            r.died.resolve();
            return new Promise<never>(() => undefined);
          }
          return updated;
        },
      };
    },
  };
  return r;
}

/** The alias back on v12 alone (a previous test may have promoted v13), then a linear 50 % plan of v13. */
async function startLinearPlan(by: Replica) {
  const { deps } = by;
  const current = await cliGetAlias(sandbox.url, FN, "live");
  if (current.FunctionVersion !== "12" || current.RoutingConfig?.AdditionalVersionWeights) {
    await shiftAliasTraffic(deps, operator, {
      region: REGION,
      functionName: FN,
      alias: "live",
      primaryVersion: "12",
      additionalVersion: null,
      weightPercent: 0,
      revisionId: current.RevisionId,
    });
  }
  clock += 5 * MINUTE;
  return startPlan(deps, operator, {
    region: REGION,
    functionName: FN,
    alias: "live",
    newVersion: "13",
    kind: "linear",
    stepPercent: 50,
    stepSeconds: 120,
    maxErrorRateIncreasePercent: 10,
    maxP99Ratio: 3,
    minInvocations: 5,
  }).finally(() => (by.updates = 0));
}

const updateAliasCalls = () => sandbox.stats()["lambda.UpdateAlias"] ?? 0;

async function auditOf(store: Store, planId: string) {
  return (await store.audit.list({ planId })).reverse();
}

/** The plan, the audit log and the alias as the `aws` CLI reads it say the same thing. */
async function expectAgreement(store: Store, planId: string) {
  const plan = await store.plans.get(planId);
  const alias = await cliGetAlias(sandbox.url, FN, "live");
  expect(plan?.lastRevisionId).toBe(alias.RevisionId);
  expect(plan?.pending).toBeNull();
  const last = (await auditOf(store, planId)).filter((e) => e.outcome === "applied").at(-1);
  expect(last?.after).toEqual({
    primaryVersion: alias.FunctionVersion,
    routing:
      Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).map(([v, w]) => ({
        additionalVersion: v,
        weight: w,
      }))[0] ?? null,
  });
  if (plan?.state.status === "succeeded") expect(alias.FunctionVersion).toBe("13");
  if (plan?.state.status === "rolled_back") expect(alias.FunctionVersion).toBe("12");
}

/**
 * The store as a replica sees it when its database stops answering: while `down`, every call fails with the
 * coded error the store gives for an unreachable PostgreSQL (lib/store/database.ts), and nothing is written.
 */
function unreachableWhileDown(store: Store) {
  const state = { down: false };
  const unavailable = () =>
    Promise.reject(
      new FleetscopeError("Unavailable", "The store (PostgreSQL) is unreachable: connect ECONNREFUSED"),
    );
  const guard = <T extends object>(repo: T): T =>
    new Proxy(repo, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => (state.down ? unavailable() : value.apply(target, args));
      },
    });
  const flaky: Store = {
    ...store,
    leases: guard(store.leases),
    plans: guard(store.plans),
    audit: guard(store.audit),
    inventory: guard(store.inventory),
    fenced: (fence, write) => (state.down ? unavailable() : store.fenced(fence, write)),
  };
  return { state, flaky };
}

/**
 * The store as a replica sees it when an operator's abort commits inside its transaction's window: right before
 * the transaction's first plan write, `abort` runs through the outer store (another connection on PostgreSQL).
 */
function abortingBeforeWrite(store: Store, abort: () => Promise<unknown>): Store {
  let armed = true;
  const plansOf = (tx: Store): Store["plans"] =>
    new Proxy(tx.plans, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          if (armed && (key === "save" || key === "saveIf")) {
            armed = false;
            await abort();
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return {
    ...store,
    fenced: (fence, write) => store.fenced(fence, (tx) => write({ ...tx, plans: plansOf(tx) })),
  };
}

describeStores("plan runner failover", (fresh) => {
  let store: Store;
  let a: Replica;
  let b: Replica;
  const setUp = async () => {
    store = createStore(await fresh());
    a = replica(store, "replica-a");
    b = replica(store, "replica-b");
  };

  it("lets only the lease holder drive, and the plan finishes with the alias the CLI reads", async () => {
    await setUp();
    const plan = await startLinearPlan(a);
    const sentBefore = updateAliasCalls();
    let leader: Replica | null = null;
    for (let i = 0; i < 12 && (await store.plans.get(plan.id))?.state.status === "running"; i++) {
      // Both replicas tick at the same moment; the lease lets exactly one of them act.
      const [byA, byB] = await Promise.all([tickPlans(a.deps, a.opts), tickPlans(b.deps, b.opts)]);
      expect(byA.length === 0 || byB.length === 0).toBe(true);
      const acted = byA.length > 0 ? a : byB.length > 0 ? b : null;
      if (acted) {
        leader ??= acted;
        expect(acted).toBe(leader);
      }
      clock += TICK_MS;
    }
    expect(leader).not.toBeNull();
    const follower = leader === a ? b : a;
    expect(follower.updates).toBe(0);
    expect(leader?.updates).toBe(updateAliasCalls() - sentBefore);
    expect((await store.leases.holder(PLAN_RUNNER_LEASE, clock))?.owner).toBe(leader?.opts.owner);
    const done = await store.plans.get(plan.id);
    expect(["succeeded", "rolled_back"]).toContain(done?.state.status);
    const actions = (await auditOf(store, plan.id)).map((e) => `${e.action}:${e.outcome}`);
    expect(actions[0]).toBe("plan.start:noted");
    expect(actions.slice(1, 2)).toEqual(["plan.step:applied"]);
    expect(actions.filter((x) => x.endsWith(":applied"))).toHaveLength(2);
    await expectAgreement(store, plan.id);
    await store.leases.releaseAll(leader?.opts.owner ?? "");
  }, 120_000);

  it("replaces a leader killed after its UpdateAlias landed, adopting that step exactly once", async () => {
    await setUp();
    const plan = await startLinearPlan(a);
    expect(await tickPlans(a.deps, a.opts)).toEqual([plan.id]); // step 1: 50 %
    // A's next call (the promote, or a rollback if the guards say so) lands; A never writes again.
    a.dieAfterUpdate = true;
    const sent = updateAliasCalls();
    for (let i = 0; i < 12; i++) {
      clock += TICK_MS;
      const tick = tickPlans(a.deps, a.opts);
      const outcome = await Promise.race([tick.then(() => "ticked"), a.died.promise.then(() => "died")]);
      if (outcome === "died") break;
      expect(await tickPlans(b.deps, b.opts)).toEqual([]); // A holds the lease: B does nothing
    }
    expect(a.updates).toBe(2);
    expect(updateAliasCalls()).toBe(sent + 1);
    const diedAt = clock;
    const orphan = await store.plans.get(plan.id);
    expect(orphan?.state).toMatchObject({ status: "running", step: 0 });
    const landed = await cliGetAlias(sandbox.url, FN, "live");
    expect(landed.RevisionId).not.toBe(orphan?.lastRevisionId);
    if (!orphan?.pending) throw new Error("the killed leader saved no pending change before its call");
    const decided = orphan.pending.action;
    expect(["promote", "rollback"]).toContain(decided);

    // B ticks at its cadence until it takes over: within one lease period and one tick of A's last renewal.
    let takenAt: number | null = null;
    while (takenAt === null && clock - diedAt <= 2 * LEASE_MS) {
      clock += TICK_MS;
      if ((await tickPlans(b.deps, b.opts)).length > 0) takenAt = clock;
    }
    expect(takenAt).not.toBeNull();
    expect((takenAt ?? Infinity) - diedAt).toBeLessThanOrEqual(2 * LEASE_MS);
    expect((await store.leases.holder(PLAN_RUNNER_LEASE, clock))?.owner).toBe("replica-b");

    const done = await store.plans.get(plan.id);
    expect(done?.state.status).toBe(decided === "promote" ? "succeeded" : "rolled_back");
    expect(b.updates).toBe(0); // adopted, not applied again
    expect(updateAliasCalls()).toBe(sent + 1);
    const audit = await auditOf(store, plan.id);
    const final = audit.filter(
      (e) => e.action === (decided === "promote" ? "plan.promote" : "plan.rollback"),
    );
    expect(final).toHaveLength(1);
    expect(final[0]).toMatchObject({ outcome: "applied", actor: "plan-runner" });
    expect(final[0]?.detail).toContain(ADOPTED_DETAIL);
    expect(audit.map((e) => e.action)).toEqual([
      "plan.start",
      "plan.step",
      "plan.resume",
      decided === "promote" ? "plan.promote" : "plan.rollback",
    ]);
    await expectAgreement(store, plan.id);
    // Nothing left to do: more ticks change nothing.
    clock += TICK_MS;
    expect(await tickPlans(b.deps, b.opts)).toEqual([]);
    expect(updateAliasCalls()).toBe(sent + 1);
    await store.leases.releaseAll("replica-b");
  }, 120_000);

  it("refuses every write of a paused old leader woken after the takeover, which then calls no UpdateAlias", async () => {
    await setUp();
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const plan = await startLinearPlan(a);
      // A takes the lease, reads the plan and the alias, and stops before it acts (a GC pause, a frozen VM).
      const resume = deferred();
      a.pauseAfterGetAlias = resume.promise;
      const stale = tickPlans(a.deps, a.opts);
      await a.paused.promise;
      const generation = (await store.leases.holder(PLAN_RUNNER_LEASE, clock))?.generation;

      // Its lease lapses; B takes over and applies the first step.
      clock += LEASE_MS + TICK_MS;
      expect(await tickPlans(b.deps, b.opts)).toEqual([plan.id]);
      const taken = await store.leases.holder(PLAN_RUNNER_LEASE, clock);
      expect(taken).toMatchObject({ owner: "replica-b", generation: (generation ?? 0) + 1 });
      const afterB = await store.plans.get(plan.id);
      expect(afterB?.state).toMatchObject({ status: "running", step: 0 });
      const sent = updateAliasCalls();

      // A wakes with the alias it read before the takeover and would apply the same first step again.
      a.pauseAfterGetAlias = null;
      resume.resolve();
      expect(await stale).toEqual([]);
      expect(a.updates).toBe(0);
      expect(updateAliasCalls()).toBe(sent);
      expect(log).toHaveBeenCalledWith(expect.stringContaining("is no longer held by replica-a"));
      const after = await store.plans.get(plan.id);
      expect(after).toEqual(afterB);
      const audit = (await auditOf(store, plan.id)).map((e) => `${e.action}:${e.outcome}`);
      expect(audit).toEqual(["plan.start:noted", "plan.step:applied"]);
      await expectAgreement(store, plan.id);
    } finally {
      log.mockRestore();
      await store.leases.releaseAll("replica-b");
    }
  }, 120_000);

  it("fences off a paused old leader's pending change: its UpdateAlias, sent after the takeover, fails and changes nothing", async () => {
    await setUp();
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const plan = await startLinearPlan(a);
      // A writes its pending first step (fenced) and stops right before its UpdateAlias.
      const resume = deferred();
      a.pauseBeforeUpdate = resume.promise;
      const stale = tickPlans(a.deps, a.opts);
      await a.pausedBeforeUpdate.promise;
      const generation = (await store.leases.holder(PLAN_RUNNER_LEASE, clock))?.generation;
      const written = (await store.plans.get(plan.id))?.pending;
      expect(written).toMatchObject({ action: "setWeight", generation });

      // Its lease lapses; B takes over: it rotates the revision (same routing), then applies the first step.
      clock += LEASE_MS + TICK_MS;
      expect(await tickPlans(b.deps, b.opts)).toEqual([plan.id]);
      expect(b.updates).toBe(2);
      const afterB = await store.plans.get(plan.id);
      expect(afterB?.state).toMatchObject({ status: "running", step: 0 });
      const audit = await auditOf(store, plan.id);
      expect(audit.map((e) => `${e.action}:${e.outcome}`)).toEqual([
        "plan.start:noted",
        "plan.resume:noted",
        "plan.step:applied",
      ]);
      expect(audit[1]).toMatchObject({ reason: ROTATED_REASON, actor: "plan-runner" });
      expect(audit[1]?.before).toEqual(audit[1]?.after);
      const aliasAfterB = await cliGetAlias(sandbox.url, FN, "live");
      const sent = updateAliasCalls();

      // A wakes and sends its UpdateAlias on the revision it read before the takeover: refused by AWS.
      a.pauseBeforeUpdate = null;
      resume.resolve();
      expect(await stale).toEqual([]);
      expect(a.updates).toBe(1);
      expect(updateAliasCalls()).toBe(sent + 1);
      expect(await cliGetAlias(sandbox.url, FN, "live")).toEqual(aliasAfterB);
      expect(await store.plans.get(plan.id)).toEqual(afterB);
      expect(await auditOf(store, plan.id)).toEqual(audit);
      expect(log).toHaveBeenCalledWith(expect.stringContaining("is no longer held by replica-a"));
      await expectAgreement(store, plan.id);
    } finally {
      log.mockRestore();
      await store.leases.releaseAll("replica-b");
    }
  }, 120_000);

  it("audits a step once when an abandoned tick records it after the next tick adopted it", async () => {
    await setUp();
    const plan = await startLinearPlan(a);
    // A's UpdateAlias lands, but its answer comes only after the next tick ran (the tick was abandoned).
    const hold = deferred();
    a.holdAfterUpdate = hold.promise;
    const abandoned = tickPlans(a.deps, a.opts);
    await a.heldAfterUpdate.promise;
    a.holdAfterUpdate = null;
    clock += TICK_MS;
    // Same process, same lease generation: the next tick finds the change landed and adopts it.
    expect(await tickPlans(a.deps, a.opts)).toEqual([plan.id]);
    hold.resolve();
    await abandoned;
    expect(a.updates).toBe(1);
    const steps = (await auditOf(store, plan.id)).filter((e) => e.action === "plan.step");
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ outcome: "applied" });
    expect(steps[0]?.detail).toContain(ADOPTED_DETAIL);
    expect((await store.plans.get(plan.id))?.state).toMatchObject({ status: "running", step: 0 });
    await expectAgreement(store, plan.id);
    await store.leases.releaseAll("replica-a");
  }, 120_000);

  it("does not overwrite an operator's abort committed between the runner's read and its write", async () => {
    await setUp();
    const plan = await startLinearPlan(a);
    const sent = updateAliasCalls();
    const abortNow = () =>
      store.plans.save(plan.id, {
        state: { ...plan.state, status: "aborted", reason: "aborted by local-operator" },
        now: clock,
      });
    let runner: Replica;
    if (store.db.dialect === "postgres") {
      // Inside the runner's own transaction, right before its write: the abort commits on another connection.
      runner = replica(abortingBeforeWrite(store, abortNow), "replica-r");
      expect(await tickPlans(runner.deps, runner.opts)).toEqual([]);
    } else {
      // SQLite runs one transaction at a time: the abort commits after the runner read the plan and the alias.
      runner = a;
      const resume = deferred();
      a.pauseAfterGetAlias = resume.promise;
      const tick = tickPlans(a.deps, a.opts);
      await a.paused.promise;
      await abortNow();
      a.pauseAfterGetAlias = null;
      resume.resolve();
      expect(await tick).toEqual([]);
    }
    expect(runner.updates).toBe(0);
    expect(updateAliasCalls()).toBe(sent);
    const after = await store.plans.get(plan.id);
    expect(after?.state).toMatchObject({ status: "aborted", reason: "aborted by local-operator" });
    expect(after?.pending).toBeNull();
    expect((await auditOf(store, plan.id)).map((e) => `${e.action}:${e.outcome}`)).toEqual([
      "plan.start:noted",
    ]);
    await store.leases.releaseAll(runner.opts.owner);
  }, 120_000);

  it("releases the lease on a clean stop before its running tick ends, so another replica takes over at once", async () => {
    await setUp();
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const plan = await startLinearPlan(a);
      const resume = deferred();
      a.pauseAfterGetAlias = resume.promise;
      const loop = startPlanLoop(() => a.deps, 10 * MINUTE, LEASE_MS, "replica-a", 10 * MINUTE);
      await a.paused.promise; // A's tick holds the lease and hangs on its step
      expect((await store.leases.holder(PLAN_RUNNER_LEASE, clock))?.owner).toBe("replica-a");
      const stopping = loop.stop();
      await vi.waitFor(async () => expect(await store.leases.holder(PLAN_RUNNER_LEASE, clock)).toBeNull());
      expect(await tickPlans(b.deps, b.opts)).toEqual([plan.id]);
      // The stopped tick wakes: fenced off by B's lease, it writes and sends nothing.
      a.pauseAfterGetAlias = null;
      resume.resolve();
      await stopping;
      expect(a.updates).toBe(0);
      expect((await store.leases.holder(PLAN_RUNNER_LEASE, clock))?.owner).toBe("replica-b");
      const audit = (await auditOf(store, plan.id)).map((e) => `${e.action}:${e.outcome}`);
      expect(audit).toEqual(["plan.start:noted", "plan.step:applied"]);
      await expectAgreement(store, plan.id);
    } finally {
      errors.mockRestore();
      await store.leases.releaseAll("replica-b");
    }
  }, 120_000);

  it("acts on nothing while the store cannot be reached, and resumes when it answers", async () => {
    await setUp();
    const { state, flaky } = unreachableWhileDown(store);
    const c = replica(flaky, "replica-c");
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const plan = await startLinearPlan(c);
      const sent = updateAliasCalls();
      // Down before the tick: no lease, no plan read, no AWS call, one line.
      state.down = true;
      expect(await tickPlans(c.deps, c.opts)).toEqual([]);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(String(errors.mock.calls[0]?.[0])).toContain("store cannot be reached");
      // Down in the middle of a step (after the alias was read): its pending write fails, so no UpdateAlias.
      state.down = false;
      const resume = deferred();
      c.pauseAfterGetAlias = resume.promise;
      const tick = tickPlans(c.deps, c.opts);
      await c.paused.promise;
      state.down = true;
      c.pauseAfterGetAlias = null;
      resume.resolve();
      expect(await tick).toEqual([]);
      expect(c.updates).toBe(0);
      expect(updateAliasCalls()).toBe(sent);
      // Back: the next tick applies the first step, once.
      state.down = false;
      clock += TICK_MS;
      expect(await tickPlans(c.deps, c.opts)).toEqual([plan.id]);
      expect(c.updates).toBe(1);
      expect((await store.plans.get(plan.id))?.state).toMatchObject({ status: "running", step: 0 });
      const audit = (await auditOf(store, plan.id)).map((e) => `${e.action}:${e.outcome}`);
      expect(audit).toEqual(["plan.start:noted", "plan.step:applied"]);
      await expectAgreement(store, plan.id);
    } finally {
      errors.mockRestore();
      await store.leases.releaseAll("replica-c");
    }
  }, 120_000);
});
