/**
 * Plans (with the durable pending change) and the audit log, on both engines: what a runner on one replica writes
 * is what a runner on another reads back after a takeover.
 */
import { expect, it } from "vitest";
import type { AccountId } from "@/lib/core/accounts/account-id";
import type { NewAuditEntry } from "@/lib/store/audit-log";
import { createAuditLog } from "@/lib/store/audit-log";
import { createPlanStore, type PendingChange } from "@/lib/store/plans";
import type { GuardCheck } from "@/lib/core/traffic/guards";
import { initialPlanState, type PlanSpec, type PlanState } from "@/lib/core/traffic/plan";
import { epochMs, ratio, seconds } from "@/lib/core/units";
import { describeStores } from "../../support/stores";

const T0 = Date.UTC(2026, 11, 7, 12, 0); // epoch ms beyond 32 bits: BIGINT on PostgreSQL

const ACCOUNT = "111111111111" as AccountId;
const at = (region: string) => ({ account: ACCOUNT, region });

const specFor = (functionName: string, alias = "live", region = "us-east-1"): PlanSpec => ({
  account: ACCOUNT,
  region,
  functionName,
  alias,
  stableVersion: "7",
  newVersion: "8",
  shape: { kind: "linear", increment: ratio(0.25), stepSeconds: seconds(300) },
  guards: { maxErrorRateIncrease: ratio(0.02), maxP99Ratio: 1.5, alarmName: "p99-alarm", minInvocations: 50 },
  maxWaitFactor: 3,
});

const stepped = (step: number, at: number): PlanState => ({
  status: "running",
  step,
  stepStartedAt: epochMs(at),
  reason: null,
});

const pendingAt = (weight: number, basedOn: string | null): PendingChange => ({
  action: "setWeight",
  target: { primaryVersion: "7", routing: { additionalVersion: "8", weight: ratio(weight) } },
  basedOnRevisionId: basedOn,
  at: T0 + 1,
  generation: 1,
});

const checks: GuardCheck[] = [{ guard: "errorRate", status: "pass", detail: "0.1% vs 0.1%" }];

describeStores("plans", (fresh) => {
  it("creates a plan and reads it back whole by id, as running and as running for its alias", async () => {
    const plans = createPlanStore(await fresh());
    const spec = specFor("payments-api");
    const p = await plans.create({ actor: "alice", spec, state: initialPlanState(), now: T0 });
    expect(p).toEqual({
      id: expect.any(String),
      createdAt: T0,
      updatedAt: T0,
      account: ACCOUNT,
      actor: "alice",
      spec,
      state: initialPlanState(),
      lastRevisionId: null,
      lastChecks: null,
      pending: null,
    });
    expect(await plans.get(p.id)).toEqual(p);
    expect(await plans.get("no-such-plan")).toBeNull();
    expect(await plans.running()).toEqual([p]);
    expect(await plans.runningFor(at("us-east-1"), "payments-api", "live")).toEqual(p);
    expect(await plans.runningFor(at("us-east-1"), "payments-api", "beta")).toBeNull();
    expect(await plans.runningFor(at("eu-west-1"), "payments-api", "live")).toBeNull();
  });

  it("refuses a second running plan on one alias with a Conflict, and allows other aliases and regions", async () => {
    const plans = createPlanStore(await fresh());
    const first = await plans.create({ actor: "a", spec: specFor("f"), state: initialPlanState(), now: T0 });
    await expect(
      plans.create({ actor: "b", spec: specFor("f"), state: initialPlanState(), now: T0 + 1 }),
    ).rejects.toMatchObject({
      code: "Conflict",
      message: "A plan is already running on f:live (account 111111111111, us-east-1).",
    });
    await plans.create({ actor: "b", spec: specFor("f", "beta"), state: initialPlanState(), now: T0 + 2 });
    await plans.create({
      actor: "b",
      spec: specFor("f", "live", "eu-west-1"),
      state: initialPlanState(),
      now: T0 + 3,
    });
    // Finished plans do not hold the alias: a new one may start, and history keeps both.
    await plans.save(first.id, { state: { ...stepped(3, T0), status: "succeeded" }, now: T0 + 4 });
    const second = await plans.create({
      actor: "c",
      spec: specFor("f"),
      state: initialPlanState(),
      now: T0 + 5,
    });
    expect((await plans.runningFor(at("us-east-1"), "f", "live"))?.id).toBe(second.id);
    expect((await plans.running()).map((p) => p.actor)).toEqual(["b", "b", "c"]);
  });

  it("lists recent plans newest first, up to the limit", async () => {
    const plans = createPlanStore(await fresh());
    for (let i = 0; i < 4; i++) {
      await plans.create({ actor: `op${i}`, spec: specFor(`f${i}`), state: initialPlanState(), now: T0 + i });
    }
    expect((await plans.recent()).map((p) => p.actor)).toEqual(["op3", "op2", "op1", "op0"]);
    expect((await plans.recent(2)).map((p) => p.actor)).toEqual(["op3", "op2"]);
  });

  it("saves state, keeps the revision and checks unless given, and sets, keeps and clears the pending change", async () => {
    const plans = createPlanStore(await fresh());
    const p = await plans.create({ actor: "a", spec: specFor("f"), state: initialPlanState(), now: T0 });

    // Before the UpdateAlias: the change about to be made, with nothing else changed.
    const pending = pendingAt(0.25, null);
    const before = await plans.save(p.id, { state: p.state, now: T0 + 1, pending });
    expect(before).toMatchObject({ state: p.state, updatedAt: T0 + 1, pending, lastRevisionId: null });

    // A save that does not mention it keeps it (undefined = keep).
    const kept = await plans.save(p.id, { state: p.state, now: T0 + 2, lastChecks: checks });
    expect(kept.pending).toEqual(pending);
    expect(kept.lastChecks).toEqual(checks);

    // After the call succeeded: the new state and revision, pending cleared, in one save.
    const after = await plans.save(p.id, {
      state: stepped(0, T0 + 3),
      now: T0 + 3,
      lastRevisionId: "r1",
      pending: null,
    });
    expect(after).toMatchObject({
      state: stepped(0, T0 + 3),
      lastRevisionId: "r1",
      lastChecks: checks,
      pending: null,
    });

    // null and undefined revision/checks keep the stored ones.
    const again = await plans.save(p.id, { state: stepped(1, T0 + 4), now: T0 + 4, lastRevisionId: null });
    expect(again).toMatchObject({
      lastRevisionId: "r1",
      lastChecks: checks,
      pending: null,
      updatedAt: T0 + 4,
    });
    expect(await plans.get(p.id)).toEqual(again);

    // A pending change survives a reopen of the row by another reader (another replica's store).
    const promote: PendingChange = {
      action: "promote",
      target: { primaryVersion: "8", routing: null },
      basedOnRevisionId: "r1",
      at: T0 + 5,
      generation: 2,
    };
    await plans.save(p.id, { state: again.state, now: T0 + 5, pending: promote });
    expect((await plans.running())[0]?.pending).toEqual(promote);
    expect((await plans.runningFor(at("us-east-1"), "f", "live"))?.pending).toEqual(promote);
  });

  it("saves conditionally: only while running and while the pending change is exactly the one expected", async () => {
    const plans = createPlanStore(await fresh());
    const p = await plans.create({ actor: "alice", spec: specFor("g"), state: initialPlanState(), now: T0 });
    const change = pendingAt(0.25, "r0");
    // Expecting no pending change: matches the fresh plan, once; a second pass expecting the same finds it taken.
    const wrote = await plans.saveIf(
      p.id,
      { pending: null },
      { state: p.state, now: T0 + 1, pending: change },
    );
    expect(wrote?.pending).toEqual(change);
    expect(
      await plans.saveIf(
        p.id,
        { pending: null },
        { state: p.state, now: T0 + 2, pending: pendingAt(0.5, "r0") },
      ),
    ).toBeNull();
    expect((await plans.get(p.id))?.pending).toEqual(change);

    // Recording the change: the first save expecting it wins; a second one (an abandoned pass) matches nothing.
    const record = { state: stepped(0, T0 + 3), now: T0 + 3, lastRevisionId: "r1", pending: null };
    expect(await plans.saveIf(p.id, { pending: change }, record)).toMatchObject({
      lastRevisionId: "r1",
      pending: null,
      state: stepped(0, T0 + 3),
    });
    expect(
      await plans.saveIf(p.id, { pending: change }, { ...record, now: T0 + 4, lastRevisionId: "r2" }),
    ).toBeNull();
    expect((await plans.get(p.id))?.lastRevisionId).toBe("r1");
    // Another generation's change with the same routing is a different change.
    await plans.save(p.id, { state: stepped(0, T0 + 3), now: T0 + 5, pending: change });
    expect(await plans.saveIf(p.id, { pending: { ...change, generation: 2 } }, record)).toBeNull();

    // An abort committed before the save: the conditional save does not overwrite it, and says so.
    const aborted: PlanState = { ...stepped(0, T0 + 3), status: "aborted", reason: "aborted by alice" };
    await plans.save(p.id, { state: aborted, now: T0 + 6 });
    expect(await plans.saveIf(p.id, { pending: change }, { ...record, now: T0 + 7 })).toBeNull();
    expect(await plans.get(p.id)).toMatchObject({ state: aborted, updatedAt: T0 + 6, pending: change });
    expect(await plans.saveIf("missing", { pending: null }, record)).toBeNull();
  });

  it("refuses to save a plan that does not exist", async () => {
    const plans = createPlanStore(await fresh());
    await expect(plans.save("missing", { state: initialPlanState(), now: T0 })).rejects.toMatchObject({
      code: "NotFound",
    });
  });
});

describeStores("audit log", (fresh) => {
  const entry = (over: Partial<NewAuditEntry>): NewAuditEntry => ({
    at: epochMs(T0),
    actor: "alice",
    account: ACCOUNT,
    region: "us-east-1",
    functionName: "payments-api",
    alias: "live",
    action: "shift",
    before: { primaryVersion: "7", routing: null },
    after: { primaryVersion: "7", routing: { additionalVersion: "8", weight: ratio(0.1) } },
    reason: "canary",
    outcome: "applied",
    detail: "RevisionId r1",
    planId: null,
    roleArn: null,
    ...over,
  });

  it("records entries with increasing ids (RETURNING) and reads them back whole, newest first", async () => {
    const log = createAuditLog(await fresh());
    const a = await log.record(entry({}));
    const b = await log.record(entry({ action: "rollback", before: null, after: null, outcome: "failed" }));
    expect(b.id).toBeGreaterThan(a.id);
    expect(await log.list()).toEqual([b, a]);
  });

  it("filters by region, function, alias and plan, and bounds by [from, to) before the limit", async () => {
    const log = createAuditLog(await fresh());
    const rows = [
      entry({ at: epochMs(T0) }),
      entry({ at: epochMs(T0 + 1000), region: "eu-west-1" }),
      entry({ at: epochMs(T0 + 2000), functionName: "orders-api" }),
      entry({ at: epochMs(T0 + 3000), alias: "beta", planId: "plan-1" }),
      entry({ at: epochMs(T0 + 4000), planId: "plan-1", action: "plan.step" }),
      entry({ at: epochMs(T0 + 5000) }),
    ];
    const ids: number[] = [];
    for (const r of rows) ids.push((await log.record(r)).id);
    const idsOf = async (f: Parameters<typeof log.list>[0]) =>
      (await log.list(f)).map((e) => ids.indexOf(e.id));

    expect(await idsOf({ region: "eu-west-1" })).toEqual([1]);
    expect(await idsOf({ region: "us-east-1" })).toEqual([5, 4, 3, 2, 0]);
    expect(await idsOf({ functionName: "orders-api" })).toEqual([2]);
    expect(await idsOf({ alias: "beta" })).toEqual([3]);
    expect(await idsOf({ planId: "plan-1" })).toEqual([4, 3]);
    expect(await idsOf({ region: "us-east-1", functionName: "payments-api", alias: "live" })).toEqual([
      5, 4, 0,
    ]);
    expect(await idsOf({ from: T0 + 2000 })).toEqual([5, 4, 3, 2]);
    expect(await idsOf({ to: T0 + 2000 })).toEqual([1, 0]);
    expect(await idsOf({ from: T0 + 1000, to: T0 + 4000 })).toEqual([3, 2, 1]);
    // The bounds apply before the limit: the newest entry inside the window, not the newest overall.
    expect(await idsOf({ to: T0 + 3000, limit: 1 })).toEqual([2]);
    expect(await idsOf({ limit: 2 })).toEqual([5, 4]);
    expect(await idsOf({ planId: "plan-2" })).toEqual([]);
  });

  it("keeps epoch-ms times and routing weights exact", async () => {
    const log = createAuditLog(await fresh());
    const at = epochMs(Date.UTC(2030, 0, 1, 0, 0, 0, 123));
    await log.record(
      entry({
        at,
        after: { primaryVersion: "7", routing: { additionalVersion: "8", weight: ratio(0.123456789) } },
      }),
    );
    const [read] = await log.list();
    expect(read?.at).toBe(at);
    expect(read?.after?.routing?.weight).toBe(0.123456789);
  });
});
