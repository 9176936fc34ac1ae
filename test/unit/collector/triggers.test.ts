/**
 * refreshTriggers over a fake Lambda port (only AWS is replaced) and real stores: what it reads first (never
 * read and changed functions, then failed parts, then the oldest), that GetPolicy never takes more than its own
 * bucket holds, that absence is a value and a throttled GetPolicy a stored error retried later on its own, and
 * that a failed region-wide listing does not stop the per-function reads.
 */
import { describe, expect, it } from "vitest";
import { parseAccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { createBudget, createGetPolicyBudget, GET_POLICY_BUDGET } from "@/lib/collector/budget";
import { COLLECTOR_LEASE } from "@/lib/collector/collector";
import {
  createTriggerPlanCache,
  MAX_INVENTORY_FIRST_MS,
  PLAN_EVERY_MS,
  refreshTriggers,
  type TriggersOptions,
  type TriggersPort,
} from "@/lib/collector/triggers";
import { fencedWriter } from "@/lib/collector/writer";
import { FleetscopeError } from "@/lib/core/errors";
import { bytes } from "@/lib/core/units";
import { openDatabase } from "@/lib/store/database";
import { createStore } from "@/lib/store";
import { config } from "../core/advisor-fixtures";

const REGION = "us-east-1";
const SCOPE: Scope = { account: parseAccountId("111111111111"), region: REGION };
const MINUTE = 60_000;
const OPTIONS: TriggersOptions = {
  listEveryMs: 10 * MINUTE,
  maxAgeMs: 30 * MINUTE,
  retryFailedAfterMs: 5 * MINUTE,
};
const POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "s3",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:s3:::uploads" } },
    },
  ],
});

interface Fake {
  port: TriggersPort;
  calls: string[];
  faults: { policy?: Error; listing?: Error; gone?: Set<string> };
}

function fakePort(): Fake {
  const calls: string[] = [];
  const faults: Fake["faults"] = {};
  const call = async <T>(op: string, name: string, value: T): Promise<T> => {
    calls.push(`${op} ${name}`);
    if (faults.gone?.has(name) && op === "GetFunctionRecursionConfig")
      throw new FleetscopeError("NotFound", `Function not found: ${name}`);
    return value;
  };
  const port: TriggersPort = {
    listEventSourceMappings: (name) => call("ListEventSourceMappings", name, []),
    listAllEventSourceMappings: async () => {
      calls.push("ListEventSourceMappings *");
      if (faults.listing) throw faults.listing;
      return [];
    },
    getPolicy: async (name) => {
      if (faults.policy) {
        calls.push(`GetPolicy ${name}`);
        throw faults.policy;
      }
      // Even-numbered functions have no policy: a value, not an error.
      return call("GetPolicy", name, Number(name.slice(2)) % 2 === 0 ? null : POLICY);
    },
    getFunctionUrlConfig: (name) => call("GetFunctionUrlConfig", name, null),
    getFunctionEventInvokeConfig: (name) => call("GetFunctionEventInvokeConfig", name, null),
    getFunctionRecursionConfig: (name) => call("GetFunctionRecursionConfig", name, "Terminate" as const),
  };
  return { port, calls, faults };
}

async function rig(functions: number, sharedPerSecond = 100, sharedBurst = 1000) {
  const store = createStore(openDatabase(":memory:"));
  const { inventory, triggers } = store;
  const lease = await store.leases.acquire(COLLECTOR_LEASE, "test", 0, 3_600_000);
  const names = Array.from({ length: functions }, (_, i) => `fn${i}`);
  await inventory.putConfigs(
    SCOPE,
    names.map((name) => config({ name, revisionId: "r1" })),
    0,
  );
  // The inventory's own details read: it goes first while any are missing (see "leaves the budget" below).
  for (const name of names)
    await inventory.putDetails(
      SCOPE,
      name,
      { aliases: [], reservedConcurrency: null, provisioned: [] },
      "r1",
      0,
    );
  await inventory.putAccount(
    SCOPE,
    {
      region: REGION,
      concurrentExecutions: 1000,
      unreservedConcurrentExecutions: 1000,
      totalCodeSize: bytes(0),
      codeSizeLimit: bytes(0),
      codeSizeZipped: bytes(0),
      codeSizeUnzipped: bytes(0),
      functionCount: functions,
    },
    0,
  );
  const fake = fakePort();
  const target = {
    scope: SCOPE,
    port: fake.port,
    inventory,
    triggers,
    budget: createBudget(sharedPerSecond, sharedBurst, 0),
    policyBudget: createGetPolicyBudget(0),
    write: fencedWriter(store, () => lease),
  };
  return { ...fake, inventory, triggers, target, names };
}

const policyCalls = (calls: string[]) => calls.filter((c) => c.startsWith("GetPolicy")).length;

describe("refreshTriggers", () => {
  it("reads never-read functions no faster than GetPolicy's own bucket allows", async () => {
    const r = await rig(20);
    const first = await refreshTriggers(r.target, 0, OPTIONS);
    // The first round: the listing, and as many functions as the GetPolicy burst holds.
    expect(first.listed).toBe(true);
    expect(first.getPolicyRequests).toBe(GET_POLICY_BUDGET.burst);
    expect(policyCalls(r.calls)).toBe(GET_POLICY_BUDGET.burst);
    expect(first.read).toBe(GET_POLICY_BUDGET.burst);
    expect(first.pending).toBe(20 - GET_POLICY_BUDGET.burst);
    expect(first.requests).toBe(1 + 4 * GET_POLICY_BUDGET.burst);
    // Ten seconds later: ten more tokens at 1/s, capped at the burst.
    const second = await refreshTriggers(r.target, 10_000, OPTIONS);
    expect(second.listed).toBe(false);
    expect(second.getPolicyRequests).toBe(GET_POLICY_BUDGET.burst);
    expect((await r.triggers.list(SCOPE)).size).toBe(2 * GET_POLICY_BUDGET.burst);
  });

  it("stops at the shared budget too", async () => {
    const r = await rig(5, 1, 7);
    const round = await refreshTriggers(r.target, 0, OPTIONS);
    // The listing overdraws by one (7 → 6), then three tokens a function: two functions.
    expect(round.read).toBe(2);
    expect(round.pending).toBe(3);
  });

  it("leaves the shared budget to the inventory while its details are missing or changed", async () => {
    const r = await rig(3);
    await r.inventory.putConfigs(SCOPE, [config({ name: "fn1", revisionId: "r2" })], 1);
    const waiting = await refreshTriggers(r.target, 0, OPTIONS);
    expect(waiting.listed).toBe(true);
    expect(waiting.read).toBe(0);
    expect(waiting.pending).toBe(3);
    await r.inventory.putDetails(
      SCOPE,
      "fn1",
      { aliases: [], reservedConcurrency: null, provisioned: [] },
      "r2",
      1,
    );
    expect((await refreshTriggers(r.target, 1, OPTIONS)).read).toBe(3);
  });

  it("waits for the inventory at most MAX_INVENTORY_FIRST_MS: details that never load do not stop the triggers", async () => {
    const r = await rig(3);
    // fn1's details never load (say an IAM deny on one of its detail calls): the inventory stays pending.
    await r.inventory.putConfigs(SCOPE, [config({ name: "fn1", revisionId: "r2" })], 1);
    const target = { ...r.target, planCache: createTriggerPlanCache() };
    expect((await refreshTriggers(target, 0, OPTIONS)).read).toBe(0);
    expect((await refreshTriggers(target, MAX_INVENTORY_FIRST_MS - 1, OPTIONS)).read).toBe(0);
    expect((await refreshTriggers(target, MAX_INVENTORY_FIRST_MS + PLAN_EVERY_MS, OPTIONS)).read).toBe(3);
  });

  it("with a plan cache, consumes one plan tick by tick and sees changes at the next plan", async () => {
    const r = await rig(3);
    const target = { ...r.target, policyBudget: createBudget(0, 1, 0), planCache: createTriggerPlanCache() };
    expect((await refreshTriggers(target, 0, OPTIONS)).read).toBe(1);
    // fn0 read; its RevisionId changes, but the plan made at 0 still holds fn1 and fn2 only.
    await r.inventory.putConfigs(SCOPE, [config({ name: "fn0", revisionId: "r2" })], 1);
    await r.inventory.putDetails(
      SCOPE,
      "fn0",
      { aliases: [], reservedConcurrency: null, provisioned: [] },
      "r2",
      1,
    );
    target.policyBudget = createBudget(0, 2, 0);
    r.calls.length = 0;
    await refreshTriggers(target, PLAN_EVERY_MS - 1, OPTIONS);
    expect(r.calls.filter((c) => c.startsWith("GetPolicy"))).toEqual(["GetPolicy fn1", "GetPolicy fn2"]);
    // The next plan finds fn0 changed.
    target.policyBudget = createBudget(0, 2, 0);
    r.calls.length = 0;
    const next = await refreshTriggers(target, PLAN_EVERY_MS, OPTIONS);
    expect(r.calls.filter((c) => c.startsWith("GetPolicy"))).toEqual(["GetPolicy fn0"]);
    expect(next.pending).toBe(0);
  });

  it("stores absence as a value, and parses the policy into push sources", async () => {
    const r = await rig(2);
    await refreshTriggers(r.target, 0, OPTIONS);
    const none = (await r.triggers.get(SCOPE, "fn0"))!;
    expect(none.parts).toEqual({
      pushSources: { ok: true, value: [] },
      url: { ok: true, value: null },
      async: { ok: true, value: null },
      recursion: { ok: true, value: "Terminate" },
    });
    expect(none.revisionId).toBe("r1");
    expect((await r.triggers.get(SCOPE, "fn1"))!.parts.pushSources).toEqual({
      ok: true,
      value: [{ sid: "s3", principal: "s3.amazonaws.com", kind: "s3", sourceArn: "arn:aws:s3:::uploads" }],
    });
  });

  it("keeps the other parts when GetPolicy is throttled, and retries only GetPolicy after the pause", async () => {
    const r = await rig(1);
    r.faults.policy = new FleetscopeError("Throttled", "Lambda GetPolicy: Rate exceeded");
    await refreshTriggers(r.target, 0, OPTIONS);
    const stored = (await r.triggers.get(SCOPE, "fn0"))!;
    expect(stored.parts.pushSources).toEqual({
      ok: false,
      error: { code: "Throttled", message: "Lambda GetPolicy: Rate exceeded" },
    });
    expect(stored.parts.recursion).toEqual({ ok: true, value: "Terminate" });

    delete r.faults.policy;
    r.calls.length = 0;
    const early = await refreshTriggers(r.target, OPTIONS.retryFailedAfterMs - 1, OPTIONS);
    expect(early.read).toBe(0);
    const retry = await refreshTriggers(r.target, OPTIONS.retryFailedAfterMs, OPTIONS);
    expect(retry.read).toBe(1);
    expect(r.calls).toEqual(["GetPolicy fn0"]);
    const after = (await r.triggers.get(SCOPE, "fn0"))!;
    expect(after.parts.pushSources).toEqual({ ok: true, value: [] });
    expect(after.readAt).toBe(0);
  });

  it("re-reads changed functions first, then the oldest past the max age", async () => {
    const r = await rig(3);
    await refreshTriggers(r.target, 0, OPTIONS);
    await refreshTriggers(r.target, 60_000, OPTIONS);
    // fn0 and fn1 read at 0, fn2 at 60 s; fn2's RevisionId changes (say, AddPermission).
    await r.inventory.putConfigs(SCOPE, [config({ name: "fn2", revisionId: "r2" })], 1);
    await r.inventory.putDetails(
      SCOPE,
      "fn2",
      { aliases: [], reservedConcurrency: null, provisioned: [] },
      "r2",
      1,
    );
    r.calls.length = 0;
    const policy = createBudget(0, 2, 0); // Room for two readings this round.
    const round = await refreshTriggers({ ...r.target, policyBudget: policy }, OPTIONS.maxAgeMs + 1, OPTIONS);
    expect(round.read).toBe(2);
    expect(round.pending).toBe(1);
    expect(r.calls.filter((c) => c.startsWith("GetPolicy"))).toEqual(["GetPolicy fn2", "GetPolicy fn0"]);
    expect((await r.triggers.get(SCOPE, "fn2"))!.revisionId).toBe("r2");
  });

  it("reads the functions when the listing fails, reports the failure, and skips deleted functions", async () => {
    const r = await rig(2);
    r.faults.listing = new FleetscopeError("Throttled", "ListEventSourceMappings: Rate exceeded");
    r.faults.gone = new Set(["fn1"]);
    const round = await refreshTriggers(r.target, 0, OPTIONS);
    expect(round.listingError).toEqual({
      code: "Throttled",
      message: "ListEventSourceMappings: Rate exceeded",
    });
    expect(await r.triggers.listing(SCOPE)).toBeNull();
    expect([...(await r.triggers.list(SCOPE)).keys()]).toEqual(["fn0"]);
    // Gone from the next listing: its reading goes with it.
    await r.inventory.retain(SCOPE, new Set(["fn1"]));
    await refreshTriggers(r.target, 1, OPTIONS);
    expect(await r.triggers.get(SCOPE, "fn0")).toBeNull();
  });
});
