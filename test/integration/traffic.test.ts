/**
 * Traffic use-cases against the sandbox over real HTTP (SDK clients, the `aws` CLI as an independent reader),
 * with an in-memory store and a clock shared by the sandbox and the console, so a canary's minutes pass in
 * milliseconds while the sandbox still derives every invocation from the alias routing we set.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { isFleetscopeError } from "@/lib/core/errors";
import { getAliasDetail, listAliasesFleetWide } from "@/lib/data/traffic/aliases";
import { promoteAlias, rollbackAlias, shiftAliasTraffic } from "@/lib/data/traffic/changes";
import type { TrafficDeps } from "@/lib/data/traffic/deps";
import { abortPlan, startPlan } from "@/lib/data/traffic/plans";
import { PLAN_RUNNER_LEASE, tickPlans } from "@/lib/data/traffic/runner";
import type { Sandbox } from "@fleetscope/sandbox";
import { awsCliJson, cliGetAlias } from "@fleetscope/sandbox/testing/awscli";
import { startTestSandbox, TEST_NOW } from "@fleetscope/sandbox/testing/sandbox";
import { parseAccountId } from "@/lib/core/accounts";
import { homeTarget, sandboxTrafficDeps, type SandboxTrafficDeps } from "../support/traffic-deps";

const operator: Principal = { id: "local-operator", name: "local-operator", role: "operator", via: "token" };
const viewer: Principal = { id: "oidc:v", name: "viewer@example.com", role: "viewer", via: "oidc" };
const REGION = "us-east-1";
const MINUTE = 60_000;

let sandbox: Sandbox;
/** The sandbox's one account in REGION: where every alias of these tests lives. */
const home = () => ({ account: parseAccountId(sandbox.account.accountId), region: REGION });
let clock = TEST_NOW;
let aws: SandboxTrafficDeps;
let deps: TrafficDeps;

beforeAll(async () => {
  sandbox = await startTestSandbox({ now: () => clock, regions: [REGION] });
  aws = sandboxTrafficDeps(sandbox.url, {
    now: () => clock,
    region: REGION,
    accounts: [homeTarget(sandbox.account.accountId)],
  });
  deps = aws.deps;
});

// Each test's runners are replicas of their own: their plan-runner lease ends with the test (a clean shutdown).
afterEach(async () => {
  const held = await deps.store.leases.holder(PLAN_RUNNER_LEASE, clock);
  if (held) await deps.store.leases.release(PLAN_RUNNER_LEASE, held.owner);
});

afterAll(async () => {
  aws?.destroy();
  await sandbox?.close();
});

const cliAlias = (fn: string, alias: string) => cliGetAlias(sandbox.url, fn, alias);

/** Setup: the alias back on its primary version alone, through the console at the CLI's current RevisionId. */
async function resetRouting(functionName: string, alias: string) {
  const current = await cliAlias(functionName, alias);
  await rollbackAlias(deps, operator, {
    region: REGION,
    functionName,
    alias,
    revisionId: current.RevisionId,
  });
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return "ok";
  } catch (e) {
    return isFleetscopeError(e) ? e.code : `other: ${String(e)}`;
  }
};

describe("seeing", () => {
  it("lists aliases fleet-wide with the mid-shift ones first", async () => {
    const { rows } = await listAliasesFleetWide(deps);
    const firstSteady = rows.findIndex((r) => !r.midShift);
    expect(firstSteady).toBeGreaterThan(0);
    expect(rows.slice(firstSteady).every((r) => !r.midShift)).toBe(true);
    const names = rows.filter((r) => r.midShift).map((r) => `${r.functionName}:${r.alias.name}`);
    expect(names).toEqual(
      expect.arrayContaining(["payments-api:live", "orders-api:live", "user-profile:beta"]),
    );
  });

  it("shows per-version metrics from ExecutedVersion and an observed split near the configured weight", async () => {
    const d = await getAliasDetail(deps, home(), "payments-api", "live", 120);
    expect(d.alias.routing?.additionalVersion).toBe("8");
    if (!d.metrics.ok) throw new Error(d.metrics.error.message);
    const [v7, v8] = d.metrics.value;
    expect(v7?.version).toBe("7");
    expect((v8?.errors ?? 0) / (v8?.invocations ?? 1)).toBeGreaterThan(0.08); // the planted failing canary
    expect((v7?.errors ?? 0) / (v7?.invocations ?? 1)).toBeLessThan(0.03);
    expect(d.split?.consistent).toBe(true);
    expect(d.split?.total).toBe((v7?.invocations ?? 0) + (v8?.invocations ?? 0));
  });
  it("counts per-version cold starts exactly as the REPORT lines the CLI reads back", async () => {
    const d = await getAliasDetail(deps, home(), "payments-api", "live", 30);
    if (!d.coldStarts.ok) throw new Error(d.coldStarts.error.message);
    const logGroup = d.versions[0]?.logGroup ?? "";
    const out = (await awsCliJson(sandbox.url, [
      "logs",
      "filter-log-events",
      "--log-group-name",
      logGroup,
      "--start-time",
      String(d.window.start),
      "--end-time",
      String(d.window.end - 1),
    ])) as { events: { logStreamName: string; message: string }[] };
    // An independent reading: the version from the stream name, a cold start from the REPORT line's label.
    const expected = ["7", "8"].map((version) => {
      const reports = out.events.filter(
        (e) =>
          e.logStreamName.includes(`/[${version}]`) && /^REPORT |"type":"platform\.report"/.test(e.message),
      );
      const cold = reports.filter((e) => /Init Duration: |"initDurationMs"/.test(e.message)).length;
      return { version, invocations: reports.length, coldStarts: cold };
    });
    expect(expected.every((e) => e.coldStarts > 0)).toBe(true);
    expect(
      d.coldStarts.value.map(({ version, invocations, coldStarts }) => ({
        version,
        invocations,
        coldStarts,
      })),
    ).toEqual(expected);
  });
});

describe("changing by hand", () => {
  it("shifts orders-api:live to 30 % on the new version, exactly as the CLI then reads it", async () => {
    const before = await cliAlias("orders-api", "live");
    await shiftAliasTraffic(deps, operator, {
      region: REGION,
      functionName: "orders-api",
      alias: "live",
      primaryVersion: "12",
      additionalVersion: "13",
      weightPercent: 30,
      revisionId: before.RevisionId,
      reason: "integration test",
    });
    const after = await cliAlias("orders-api", "live");
    expect(after.FunctionVersion).toBe("12");
    expect(after.RoutingConfig?.AdditionalVersionWeights).toEqual({ "13": 0.3 });
    const [entry] = await deps.store.audit.list({ functionName: "orders-api", alias: "live" });
    expect(entry?.outcome).toBe("applied");
    expect(entry?.after?.routing?.weight).toBe(0.3);
  });

  it("reports a concurrent CLI change as a conflict with the current routing and overwrites nothing", async () => {
    const seen = await cliAlias("orders-api", "live");
    await awsCliJson(sandbox.url, [
      "lambda",
      "update-alias",
      "--function-name",
      "orders-api",
      "--name",
      "live",
      "--routing-config",
      "AdditionalVersionWeights={13=0.2}",
    ]);
    let error: unknown;
    try {
      await shiftAliasTraffic(deps, operator, {
        region: REGION,
        functionName: "orders-api",
        alias: "live",
        primaryVersion: "12",
        additionalVersion: "13",
        weightPercent: 50,
        revisionId: seen.RevisionId,
      });
    } catch (e) {
      error = e;
    }
    expect(isFleetscopeError(error) && error.code).toBe("Conflict");
    expect(String((error as Error).message)).toContain("v13 20%");
    expect((await cliAlias("orders-api", "live")).RoutingConfig?.AdditionalVersionWeights).toEqual({
      "13": 0.2,
    });
    expect((await deps.store.audit.list({ functionName: "orders-api" }))[0]?.outcome).toBe("conflict");
  });

  it("refuses invalid routing before any call, viewers, anonymous users and read-only mode", async () => {
    const rev = (await cliAlias("orders-api", "live")).RevisionId;
    const input = {
      region: REGION,
      functionName: "orders-api",
      alias: "live",
      primaryVersion: "12",
      additionalVersion: "13",
      weightPercent: 40,
      revisionId: rev,
    };
    expect(await codeOf(shiftAliasTraffic(deps, operator, { ...input, additionalVersion: "$LATEST" }))).toBe(
      "InvalidInput",
    );
    expect(await codeOf(shiftAliasTraffic(deps, operator, { ...input, additionalVersion: "99" }))).toBe(
      "InvalidInput",
    );
    expect(await codeOf(shiftAliasTraffic(deps, operator, { ...input, weightPercent: 101 }))).toBe(
      "InvalidInput",
    );
    expect(await codeOf(shiftAliasTraffic(deps, viewer, input))).toBe("AccessDenied");
    expect(await codeOf(shiftAliasTraffic(deps, null, input))).toBe("Unauthenticated");
    expect(await codeOf(shiftAliasTraffic({ ...deps, readOnly: true }, operator, input))).toBe(
      "AccessDenied",
    );
    expect(await codeOf(startPlan(deps, viewer, {}))).toBe("AccessDenied");
    expect((await cliAlias("orders-api", "live")).RevisionId).toBe(rev);
    // Provisioned concurrency on checkout-api:live: AWS would refuse weights, so we do first.
    const co = await cliAlias("checkout-api", "live");
    const versions = await deps.lambda(home()).listVersions("checkout-api");
    const other = versions.map((v) => v.version).find((v) => v !== "$LATEST" && v !== co.FunctionVersion);
    expect(
      await codeOf(
        shiftAliasTraffic(deps, operator, {
          ...input,
          functionName: "checkout-api",
          primaryVersion: co.FunctionVersion,
          additionalVersion: other ?? "1",
          revisionId: co.RevisionId,
        }),
      ),
    ).toBe("InvalidInput");
  });

  it("promotes and rolls back in one action each", async () => {
    let a = await cliAlias("user-profile", "beta");
    const extra = Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {})[0];
    await rollbackAlias(deps, operator, {
      region: REGION,
      functionName: "user-profile",
      alias: "beta",
      revisionId: a.RevisionId,
    });
    a = await cliAlias("user-profile", "beta");
    expect(a.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    await awsCliJson(sandbox.url, [
      "lambda",
      "update-alias",
      "--function-name",
      "user-profile",
      "--name",
      "beta",
      "--routing-config",
      `AdditionalVersionWeights={${extra}=0.5}`,
    ]);
    a = await cliAlias("user-profile", "beta");
    await promoteAlias(deps, operator, {
      region: REGION,
      functionName: "user-profile",
      alias: "beta",
      revisionId: a.RevisionId,
    });
    a = await cliAlias("user-profile", "beta");
    expect(a.FunctionVersion).toBe(extra);
    expect(a.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
  });
});

describe("plans", () => {
  it("rolls a canary of the failing payments-api v8 back when its error-rate guard trips", async () => {
    await resetRouting("payments-api", "live");
    clock += 10 * MINUTE;
    const plan = await startPlan(deps, operator, {
      region: REGION,
      functionName: "payments-api",
      alias: "live",
      newVersion: "8",
      kind: "canary",
      stepPercent: 30,
      stepSeconds: 600,
      maxErrorRateIncreasePercent: 5,
      maxP99Ratio: null,
      minInvocations: 20,
    });
    const opts = { owner: "a", leaseMs: 30_000 };
    await tickPlans(deps, opts);
    expect((await cliAlias("payments-api", "live")).RoutingConfig?.AdditionalVersionWeights).toEqual({
      "8": 0.3,
    });
    for (let i = 0; i < 8 && (await deps.store.plans.get(plan.id))?.state.status === "running"; i++) {
      clock += MINUTE;
      await tickPlans(deps, opts);
    }
    const done = await deps.store.plans.get(plan.id);
    expect(done?.state.status).toBe("rolled_back");
    expect(done?.state.reason).toMatch(/errorRate/);
    const after = await cliAlias("payments-api", "live");
    expect(after.FunctionVersion).toBe("7");
    expect(after.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    const steps = (await deps.store.audit.list({ planId: plan.id }))
      .reverse()
      .map((e) => `${e.action}:${e.outcome}`);
    expect(steps).toEqual(["plan.start:noted", "plan.step:applied", "plan.rollback:applied"]);
  });

  it("is resumed by another instance only after the first one's lease lapses, and finishes", async () => {
    await resetRouting("orders-api", "live");
    clock += 5 * MINUTE;
    const plan = await startPlan(deps, operator, {
      region: REGION,
      functionName: "orders-api",
      alias: "live",
      newVersion: "13",
      kind: "linear",
      stepPercent: 50,
      stepSeconds: 120,
      maxErrorRateIncreasePercent: 10,
      maxP99Ratio: 3,
      minInvocations: 5,
    });
    expect(
      await codeOf(
        startPlan(deps, operator, {
          region: REGION,
          functionName: "orders-api",
          alias: "live",
          newVersion: "13",
          kind: "canary",
          stepPercent: 10,
          stepSeconds: 60,
        }),
      ),
    ).toBe("Conflict");
    await tickPlans(deps, { owner: "first", leaseMs: 5 * MINUTE });
    expect((await deps.store.plans.get(plan.id))?.state.step).toBe(0);
    // "first" dies without releasing its lease.
    const second = { owner: "second", leaseMs: 5 * MINUTE, driven: new Set<string>() };
    clock += 3 * MINUTE;
    expect(await tickPlans(deps, second)).toEqual([]);
    for (let i = 0; i < 12 && (await deps.store.plans.get(plan.id))?.state.status === "running"; i++) {
      clock += MINUTE;
      await tickPlans(deps, second);
    }
    expect((await deps.store.plans.get(plan.id))?.state.status).toBe("succeeded");
    const a = await cliAlias("orders-api", "live");
    expect(a.FunctionVersion).toBe("13");
    const actions = (await deps.store.audit.list({ planId: plan.id })).reverse().map((e) => e.action);
    // Linear +50 %: one weighted step, then promote.
    expect(actions).toEqual(["plan.start", "plan.step", "plan.resume", "plan.promote"]);
  });

  it("stops without touching the alias when someone else changes it mid-plan, and aborts on request", async () => {
    const live = await cliAlias("user-profile", "live");
    const versions = (await deps.lambda(home()).listVersions("user-profile"))
      .map((v) => v.version)
      .filter((v) => v !== "$LATEST");
    const newer = versions.find((v) => v !== live.FunctionVersion) as string;
    const canary = {
      region: REGION,
      functionName: "user-profile",
      alias: "live",
      newVersion: newer,
      kind: "canary",
      stepPercent: 10,
      stepSeconds: 600,
      minInvocations: 1,
    };
    const plan = await startPlan(deps, operator, canary);
    const opts = { owner: "x", leaseMs: MINUTE };
    await tickPlans(deps, opts);
    await awsCliJson(sandbox.url, [
      "lambda",
      "update-alias",
      "--function-name",
      "user-profile",
      "--name",
      "live",
      "--routing-config",
      `AdditionalVersionWeights={${newer}=0.05}`,
    ]);
    clock += MINUTE;
    await tickPlans(deps, opts);
    expect((await deps.store.plans.get(plan.id))?.state.status).toBe("aborted");
    expect((await cliAlias("user-profile", "live")).RoutingConfig?.AdditionalVersionWeights).toEqual({
      [newer]: 0.05,
    });

    const again = await startPlan(deps, operator, canary);
    await tickPlans(deps, opts);
    await abortPlan(deps, operator, again.id, "test abort");
    expect((await deps.store.plans.get(again.id))?.state.status).toBe("aborted");
    expect((await cliAlias("user-profile", "live")).RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual(
      {},
    );
  });

  it("starts a plan only on the revision the operator confirmed, and audits its destination", async () => {
    const live = await cliAlias("user-profile", "live");
    const newer = (await deps.lambda(home()).listVersions("user-profile"))
      .map((v) => v.version)
      .find((v) => v !== "$LATEST" && v !== live.FunctionVersion) as string;
    const input = {
      region: REGION,
      functionName: "user-profile",
      alias: "live",
      newVersion: newer,
      kind: "canary",
      stepPercent: 10,
      stepSeconds: 600,
    };
    const plansBefore = (await deps.store.plans.recent(100)).length;
    expect(await codeOf(startPlan(deps, operator, { ...input, revisionId: "not-the-revision" }))).toBe(
      "Conflict",
    );
    expect((await deps.store.plans.recent(100)).length).toBe(plansBefore);

    const plan = await startPlan(deps, operator, { ...input, revisionId: live.RevisionId });
    const start = (await deps.store.audit.list({ planId: plan.id })).find((e) => e.action === "plan.start");
    expect(start?.before).toEqual({ primaryVersion: live.FunctionVersion, routing: null });
    expect(start?.after).toEqual({ primaryVersion: newer, routing: null });
    await abortPlan(deps, operator, plan.id, "test abort");
  });
});
