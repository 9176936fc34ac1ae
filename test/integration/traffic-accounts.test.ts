/**
 * Traffic shifting across accounts against a sandbox organization of three accounts with the same fleet (same
 * seed, so the same function and alias names in each): the management account (the console's own credentials),
 * member-1 (reached through its `fleetscope` role) and member-2 (whose role refuses every AssumeRole). What the
 * sandbox holds is read straight from each account's own state (`sandbox.ctxFor`), independently of the console.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { parseAccountId } from "@/lib/core/accounts";
import { isFleetscopeError } from "@/lib/core/errors";
import { getAliasHead, listAliasesFleetWide } from "@/lib/data/traffic/aliases";
import { shiftAliasTraffic } from "@/lib/data/traffic/changes";
import type { TrafficDeps } from "@/lib/data/traffic/deps";
import { startPlan } from "@/lib/data/traffic/plans";
import { PLAN_RUNNER_LEASE, tickPlans } from "@/lib/data/traffic/runner";
import type { Sandbox } from "@fleetscope/sandbox";
import { startTestSandbox, TEST_SEED } from "@fleetscope/sandbox/testing/sandbox";
import { homeTarget, roleTarget, sandboxTrafficDeps, type SandboxTrafficDeps } from "../support/traffic-deps";

const operator: Principal = { id: "local-operator", name: "local-operator", role: "operator", via: "token" };
const REGION = "us-east-1";
const MEMBER = "222222222222";
const DENYING = "333333333333";
const FN = "orders-api";
const ALIAS = "live";

let sandbox: Sandbox;
let management: string;
let aws: SandboxTrafficDeps;
let deps: TrafficDeps;

beforeAll(async () => {
  sandbox = await startTestSandbox({
    // STS stamps Expiration on the sandbox clock and the SDK renews against the real one: they must agree.
    now: () => Date.now(),
    regions: [REGION],
    accounts: [
      { name: "management" },
      { name: "member-1", id: MEMBER, seed: TEST_SEED },
      { name: "member-2", id: DENYING, seed: TEST_SEED, roles: [{ name: "fleetscope", deny: true }] },
    ],
  });
  management = sandbox.account.accountId;
  aws = sandboxTrafficDeps(sandbox.url, {
    now: () => Date.now(),
    region: REGION,
    accounts: [homeTarget(management), roleTarget(MEMBER, "member-1"), roleTarget(DENYING, "member-2")],
  });
  deps = aws.deps;
});

afterAll(async () => {
  aws?.destroy();
  await sandbox?.close();
});

/** The alias as the sandbox account itself holds it (not through any API). */
function heldAlias(account: string, fn = FN, alias = ALIAS) {
  const held = sandbox
    .ctxFor(account)
    ?.account.regions.get(REGION)
    ?.functions.get(fn)
    ?.aliases.find((a) => a.name === alias);
  const now = held?.history.at(-1);
  if (!held || !now) throw new Error(`${fn}:${alias} is not in account ${account}`);
  return { revisionId: held.revisionId, functionVersion: now.functionVersion, additional: now.additional };
}

const updateAliasCalls = (account: string) => sandbox.statsByAccount()[account]?.["lambda.UpdateAlias"] ?? 0;

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return "ok";
  } catch (e) {
    return isFleetscopeError(e) ? e.code : `other: ${String(e)}`;
  }
};

describe("traffic in several accounts", () => {
  it("lists each account's aliases with their account, the denying account reported on its own", async () => {
    const fleet = await listAliasesFleetWide(deps);
    const ofAccount = (id: string) => fleet.rows.filter((r) => r.account === id).map((r) => r.functionName);
    expect(ofAccount(management)).toContain(FN);
    expect(ofAccount(MEMBER)).toEqual(ofAccount(management));
    expect(ofAccount(DENYING)).toEqual([]);
    const denied = fleet.regions.find((r) => r.account === DENYING);
    expect(denied?.outcome.ok).toBe(false);
    expect(denied?.outcome.ok === false && denied.outcome.error.code).toBe("AccessDenied");
    expect(fleet.regions.filter((r) => r.outcome.ok).map((r) => r.account)).toEqual([management, MEMBER]);
  });

  it("changes an alias in a member account through its role, and only there; the audit names account and role", async () => {
    const before = heldAlias(MEMBER);
    const managementBefore = heldAlias(management);
    const head = await getAliasHead(deps, { account: parseAccountId(MEMBER), region: REGION }, FN, ALIAS);
    expect(head.roleArn).toBe(`arn:aws:iam::${MEMBER}:role/fleetscope`);
    expect(head.alias.revisionId).toBe(before.revisionId);
    const primary = before.functionVersion;
    const extra = head.versions.map((v) => v.version).find((v) => v !== primary) as string;
    const managementCalls = updateAliasCalls(management);

    await shiftAliasTraffic(deps, operator, {
      account: MEMBER,
      region: REGION,
      functionName: FN,
      alias: ALIAS,
      primaryVersion: primary,
      additionalVersion: extra,
      weightPercent: 25,
      revisionId: before.revisionId,
      reason: "member canary",
    });

    const after = heldAlias(MEMBER);
    expect(after.revisionId).not.toBe(before.revisionId);
    expect(after.functionVersion).toBe(primary);
    expect(after.additional).toEqual({ version: extra, weight: 0.25 });
    // The management account's function of the same name is untouched, and no UpdateAlias reached it.
    expect(heldAlias(management)).toEqual(managementBefore);
    expect(updateAliasCalls(management)).toBe(managementCalls);
    expect(updateAliasCalls(MEMBER)).toBe(1);

    const [entry] = await deps.store.audit.list({
      account: MEMBER,
      functionName: FN,
      alias: ALIAS,
      limit: 1,
    });
    expect(entry).toMatchObject({
      account: MEMBER,
      roleArn: `arn:aws:iam::${MEMBER}:role/fleetscope`,
      region: REGION,
      action: "shift",
      outcome: "applied",
    });
    expect(await deps.store.audit.list({ account: management, functionName: FN })).toEqual([]);
  });

  it("refuses a change in the account whose role denies: AccessDenied, audited as failed there, nothing changed anywhere", async () => {
    const held = [management, MEMBER, DENYING].map((a) => heldAlias(a));
    const calls = [management, MEMBER, DENYING].map(updateAliasCalls);
    const code = await codeOf(
      shiftAliasTraffic(deps, operator, {
        account: DENYING,
        region: REGION,
        functionName: FN,
        alias: ALIAS,
        primaryVersion: held[2]?.functionVersion ?? "1",
        additionalVersion: null,
        weightPercent: 0,
        revisionId: held[2]?.revisionId ?? "x",
        reason: "should not happen",
      }),
    );
    expect(code).toBe("AccessDenied");
    expect([management, MEMBER, DENYING].map((a) => heldAlias(a))).toEqual(held);
    expect([management, MEMBER, DENYING].map(updateAliasCalls)).toEqual(calls);
    const [entry] = await deps.store.audit.list({ account: DENYING, limit: 1 });
    expect(entry).toMatchObject({
      account: DENYING,
      roleArn: `arn:aws:iam::${DENYING}:role/fleetscope`,
      action: "shift",
      outcome: "failed",
    });
    expect(entry?.detail).toMatch(/AssumeRole|not authorized|denied/i);
  });

  it("refuses an account the console does not read, and a malformed one, before any call", async () => {
    const input = { region: REGION, functionName: FN, alias: ALIAS, revisionId: "r", reason: "" };
    const body = { ...input, primaryVersion: "1", additionalVersion: null, weightPercent: 0 };
    expect(await codeOf(shiftAliasTraffic(deps, operator, { ...body, account: "444444444444" }))).toBe(
      "NotFound",
    );
    expect(await codeOf(shiftAliasTraffic(deps, operator, { ...body, account: "12345" }))).toBe(
      "InvalidInput",
    );
  });

  it("runs a plan in the member account: its steps go through the member's role, audited with account and role", async () => {
    const start = heldAlias(MEMBER);
    const managementBefore = heldAlias(management);
    // Back to one version first (the plan starts from a plain alias), then a 10 % canary of the other version.
    const extra = start.additional?.version as string;
    await shiftAliasTraffic(deps, operator, {
      account: MEMBER,
      region: REGION,
      functionName: FN,
      alias: ALIAS,
      primaryVersion: start.functionVersion,
      additionalVersion: null,
      weightPercent: 0,
      revisionId: start.revisionId,
      reason: "reset",
    });
    const plan = await startPlan(deps, operator, {
      account: MEMBER,
      region: REGION,
      functionName: FN,
      alias: ALIAS,
      newVersion: extra,
      kind: "canary",
      stepPercent: 10,
      stepSeconds: 60,
      reason: "member plan",
    });
    expect(plan.spec.account).toBe(MEMBER);
    expect(
      await deps.store.plans.runningFor({ account: parseAccountId(MEMBER), region: REGION }, FN, ALIAS),
    ).not.toBeNull();
    expect(
      await deps.store.plans.runningFor({ account: parseAccountId(management), region: REGION }, FN, ALIAS),
    ).toBeNull();
    try {
      expect(await tickPlans(deps, { owner: "accounts-test", leaseMs: 30_000 })).toEqual([plan.id]);
    } finally {
      await deps.store.leases.release(PLAN_RUNNER_LEASE, "accounts-test");
    }
    expect(heldAlias(MEMBER).additional).toEqual({ version: extra, weight: 0.1 });
    expect(heldAlias(management)).toEqual(managementBefore);
    const entries = await deps.store.audit.list({ planId: plan.id });
    expect(entries.map((e) => e.action).sort()).toEqual(["plan.start", "plan.step"]);
    for (const e of entries) {
      expect(e.account).toBe(MEMBER);
      expect(e.roleArn).toBe(`arn:aws:iam::${MEMBER}:role/fleetscope`);
    }
  });
});
