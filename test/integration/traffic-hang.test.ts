/**
 * The plan runner under a hung AWS endpoint and an abort racing a step, against the sandbox over HTTP with a
 * real (in-memory SQLite) store: a call that never answers cannot stop the guards, and an abort during a slow
 * UpdateAlias ends with the alias on its stable version and the plan saying so.
 */
import { createServer, type Server, type Socket } from "node:net";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLambdaPort, type LambdaPort } from "@/lib/aws/lambda";
import type { Principal } from "@/lib/auth/principal";
import { rollbackAlias } from "@/lib/data/traffic/changes";
import type { TrafficDeps } from "@/lib/data/traffic/deps";
import { abortPlan, startPlan } from "@/lib/data/traffic/plans";
import { PLAN_RUNNER_LEASE, startPlanLoop, tickPlans } from "@/lib/data/traffic/runner";
import type { Sandbox } from "@fleetscope/sandbox";
import { startTestSandbox, TEST_NOW } from "@fleetscope/sandbox/testing/sandbox";
import { parseAccountId } from "@/lib/core/accounts";
import {
  homeTarget,
  sandboxTrafficDeps,
  testClientConfig,
  type SandboxTrafficDeps,
} from "../support/traffic-deps";

const operator: Principal = { id: "local-operator", name: "local-operator", role: "operator", via: "token" };
const REGION = "us-east-1";
const MINUTE = 60_000;

let sandbox: Sandbox;
/** The sandbox's one account in REGION: where every alias of these tests lives. */
const home = () => ({ account: parseAccountId(sandbox.account.accountId), region: REGION });
let hungServer: Server;
const hungSockets: Socket[] = [];
let clock = TEST_NOW;
let aws: SandboxTrafficDeps;
let hungLambda: LambdaClient;
let deps: TrafficDeps;
let real: LambdaPort;
let hung: LambdaPort;
/** Functions whose GetAlias goes to the server that never answers. */
const hanging = new Set<string>();

beforeAll(async () => {
  sandbox = await startTestSandbox({ now: () => clock, regions: [REGION] });
  hungServer = createServer((s) => {
    hungSockets.push(s);
    s.on("error", () => undefined);
  });
  await new Promise<void>((r) => hungServer.listen(0, "127.0.0.1", r));
  const address = hungServer.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  // A request timeout far beyond the test: only the runner's own deadline can end these calls.
  hungLambda = new LambdaClient(
    testClientConfig(`http://127.0.0.1:${address.port}`, REGION, {
      FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS: "120000",
    }),
  );
  aws = sandboxTrafficDeps(sandbox.url, {
    now: () => clock,
    region: REGION,
    accounts: [homeTarget(sandbox.account.accountId)],
  });
  real = aws.deps.lambda(home());
  hung = createLambdaPort(hungLambda, REGION);
  deps = {
    ...aws.deps,
    lambda: () => ({
      ...real,
      getAlias: (name, alias, o) => (hanging.has(name) ? hung : real).getAlias(name, alias, o),
    }),
  };
});

// Each test's runners are replicas of their own: their plan-runner lease ends with the test (a clean shutdown).
afterEach(async () => {
  const held = await deps.store.leases.holder(PLAN_RUNNER_LEASE, clock);
  if (held) await deps.store.leases.release(PLAN_RUNNER_LEASE, held.owner);
});

afterAll(async () => {
  aws?.destroy();
  hungLambda?.destroy();
  for (const s of hungSockets) s.destroy();
  await new Promise<void>((r) => hungServer?.close(() => r()));
  await sandbox?.close();
});

async function resetRouting(functionName: string, alias: string) {
  const current = await real.getAlias(functionName, alias);
  if (current.routing === null) return current.functionVersion;
  await rollbackAlias(deps, operator, {
    region: REGION,
    functionName,
    alias,
    revisionId: current.revisionId,
  });
  return current.functionVersion;
}

const auditOf = async (planId: string) =>
  (await deps.store.audit.list({ planId }))
    .reverse()
    .map((e) => ({ what: `${e.action}:${e.outcome}`, actor: e.actor, detail: e.detail, after: e.after }));

async function until(cond: () => boolean | Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("the runner with a hung AWS call", () => {
  it("keeps ticking and rolls back a failing canary while another plan's call never answers", async () => {
    await resetRouting("payments-api", "live");
    const stable = await resetRouting("user-profile", "live");
    clock += 10 * MINUTE;
    const failing = await startPlan(deps, operator, {
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
    const newer = (await real.listVersions("user-profile"))
      .map((v) => v.version)
      .find((v) => v !== "$LATEST" && v !== stable) as string;
    const stuck = await startPlan(deps, operator, {
      region: REGION,
      functionName: "user-profile",
      alias: "live",
      newVersion: newer,
      kind: "canary",
      stepPercent: 10,
      stepSeconds: 600,
      minInvocations: 1,
    });
    hanging.add("user-profile");
    const opts = { owner: "a", leaseMs: 30_000, stepTimeoutMs: 400 };
    for (let i = 0; i < 10 && (await deps.store.plans.get(failing.id))?.state.status === "running"; i++) {
      const started = performance.now();
      await tickPlans(deps, opts);
      expect(performance.now() - started).toBeLessThan(3000);
      clock += MINUTE;
    }
    const done = await deps.store.plans.get(failing.id);
    expect(done?.state.status).toBe("rolled_back");
    expect(done?.state.reason).toMatch(/errorRate/);
    const after = await real.getAlias("payments-api", "live");
    expect(after.functionVersion).toBe("7");
    expect(after.routing).toBeNull();
    // The hung plan is still running, untouched, with each abandoned step in its audit.
    expect((await deps.store.plans.get(stuck.id))?.state.status).toBe("running");
    expect((await real.getAlias("user-profile", "live")).routing).toBeNull();
    const failed = (await auditOf(stuck.id)).filter((e) => e.what === "plan.step:failed");
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed[0]?.detail).toMatch(/^Lambda GetAlias user-profile:live: AbortError: .*abandoned/);
    expect(hungSockets.length).toBeGreaterThanOrEqual(failed.length);
  });

  it("the loop keeps ticking (each tick bounded) while a plan's call hangs", async () => {
    const stuck = (await deps.store.plans.running()).find((p) => p.spec.functionName === "user-profile");
    if (!stuck) throw new Error("expected the hung plan from the previous test");
    const failedSoFar = async () =>
      (await auditOf(stuck.id)).filter((e) => e.what === "plan.step:failed").length;
    const before = await failedSoFar();
    const loop = startPlanLoop(() => deps, 100, 30_000, "loop", 300);
    try {
      await until(async () => (await failedSoFar()) >= before + 3, 5000);
    } finally {
      await loop.stop();
    }
    hanging.delete("user-profile");
    await abortPlan(deps, operator, stuck.id, "test cleanup");
  });
});

describe("abort racing a runner step", () => {
  it("ends on the stable version with no weight, and the plan says so, when the step's UpdateAlias lands late", async () => {
    const stable = await resetRouting("orders-api", "live");
    clock += 5 * MINUTE;
    const plan = await startPlan(deps, operator, {
      region: REGION,
      functionName: "orders-api",
      alias: "live",
      newVersion: "13",
      kind: "canary",
      stepPercent: 30,
      stepSeconds: 600,
      minInvocations: 5,
    });
    const updates = () => sandbox.stats()["lambda.UpdateAlias"] ?? 0;
    const sent = updates();
    sandbox.setFaults({ lambda: { operations: { UpdateAlias: { latencyMs: 800 } } } });
    try {
      const tick = tickPlans(deps, { owner: "r", leaseMs: MINUTE, stepTimeoutMs: 10_000 });
      // The step's UpdateAlias (30 % to v13) has reached AWS and is being slow: abort now.
      await until(() => updates() > sent);
      const aborted = await abortPlan(deps, operator, plan.id, "abort during a step");
      await tick;
      const alias = await real.getAlias("orders-api", "live");
      expect(alias.functionVersion).toBe(stable);
      expect(alias.routing).toBeNull();
      expect(aborted.state.status).toBe("aborted");
      expect(aborted.state.reason).toContain(`v${stable}`);
      const stored = await deps.store.plans.get(plan.id);
      expect(stored?.state).toEqual(aborted.state);
      expect(stored?.lastRevisionId).toBe(alias.revisionId);
      const audit = await auditOf(plan.id);
      expect(audit.map((e) => e.what)).toEqual([
        "plan.start:noted",
        "plan.step:applied",
        "plan.abort:applied",
        "plan.abort:noted",
      ]);
      expect(audit[2]?.actor).toBe("plan-runner");
      expect(audit[2]?.after).toEqual({ primaryVersion: stable, routing: null });
      // Nothing left for the runner: the plan stays aborted and the alias where it is.
      clock += MINUTE;
      expect(await tickPlans(deps, { owner: "r", leaseMs: MINUTE })).toEqual([]);
      expect((await real.getAlias("orders-api", "live")).revisionId).toBe(alias.revisionId);
    } finally {
      sandbox.setFaults({});
    }
  });
});

describe("a step abandoned at its deadline", () => {
  it("is adopted by the next tick when its UpdateAlias landed late, instead of reading as an outside change", async () => {
    await resetRouting("payments-api", "live");
    clock += 5 * MINUTE;
    const plan = await startPlan(deps, operator, {
      region: REGION,
      functionName: "payments-api",
      alias: "live",
      newVersion: "8",
      kind: "canary",
      stepPercent: 10,
      stepSeconds: 600,
      minInvocations: 5,
    });
    const before = await real.getAlias("payments-api", "live");
    sandbox.setFaults({ lambda: { operations: { UpdateAlias: { latencyMs: 700 } } } });
    try {
      await tickPlans(deps, { owner: "s", leaseMs: MINUTE, stepTimeoutMs: 300 });
      expect((await auditOf(plan.id)).map((e) => e.what)).toContain("plan.step:failed");
      expect((await deps.store.plans.get(plan.id))?.state.step).toBe(-1);
      // The abandoned request still reaches AWS: wait until it has landed.
      await new Promise((r) => setTimeout(r, 900));
    } finally {
      sandbox.setFaults({});
    }
    const landed = await real.getAlias("payments-api", "live");
    expect(landed.revisionId).not.toBe(before.revisionId);
    expect(landed.routing).toEqual({ additionalVersion: "8", weight: 0.1 });
    clock += MINUTE;
    await tickPlans(deps, { owner: "s", leaseMs: MINUTE });
    const adopted = await deps.store.plans.get(plan.id);
    expect(adopted?.state.status).toBe("running");
    expect(adopted?.state.step).toBe(0);
    expect(adopted?.lastRevisionId).toBe(landed.revisionId);
    await abortPlan(deps, operator, plan.id, "test cleanup");
    expect((await real.getAlias("payments-api", "live")).routing).toBeNull();
  });
});
