/**
 * Read-only mode (FLEETSCOPE_READ_ONLY=true) at start-up: a running canary is rolled back to its stable version
 * through the sandbox over HTTP (not left at its weight with no guard), audited; a plan another live instance
 * is driving is left to it; and sign-in is refused without using the token. Real SQLite file in a temp dir.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) ?? "" } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
}));

const dir = mkdtempSync(path.join(tmpdir(), "fleetscope-readonly-"));
const tokenFile = path.join(dir, "login-token");
Object.assign(process.env, {
  FLEETSCOPE_DATABASE_URL: `file:${dir}/fleetscope.db`,
  FLEETSCOPE_LOGIN_TOKEN_FILE: tokenFile,
  FLEETSCOPE_READ_ONLY: "true",
  FLEETSCOPE_REGIONS: "us-east-1",
});
for (const k of ["FLEETSCOPE_PUBLIC_URL", "FLEETSCOPE_OIDC_ISSUER"]) delete process.env[k];

const { startPlan, abortPlan } = await import("@/lib/data/traffic/plans");
const { tickPlans } = await import("@/lib/data/traffic/runner");
const { stopPlansForReadOnly, READ_ONLY_ACTOR } = await import("@/lib/data/traffic/runtime");
const { POST: login } = await import("@/app/api/auth/login/route");
const { loginTokenKey } = await import("@/lib/auth/login-token");
const { issueLoginTokenNow } = await import("@/lib/auth/server");
const { store } = await import("@/lib/store");
const { startTestSandbox, TEST_NOW } = await import("@fleetscope/sandbox/testing/sandbox");
const { sandboxTrafficDeps } = await import("../support/traffic-deps");
type TrafficDeps = import("@/lib/data/traffic/deps").TrafficDeps;
type Sandbox = import("@fleetscope/sandbox").Sandbox;
type SandboxTrafficDeps = import("../support/traffic-deps").SandboxTrafficDeps;

const REGION = "us-east-1";
const operator = { id: "local-operator", name: "local-operator", role: "operator", via: "token" } as const;
let sandbox: Sandbox;
let aws: SandboxTrafficDeps;
let deps: TrafficDeps;
let clock = TEST_NOW;

beforeAll(async () => {
  sandbox = await startTestSandbox({ now: () => clock, regions: [REGION] });
  aws = sandboxTrafficDeps(sandbox.url, {
    now: () => clock,
    region: REGION,
    readOnly: true,
    store: store(), // the console's own store: the file in the temp dir
  });
  deps = aws.deps;
});

afterAll(async () => {
  aws?.destroy();
  await sandbox?.close();
  await store().db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A canary at 30 % on functionName:live, started and stepped while the console could still change traffic. */
async function canaryAt30(functionName: string, newVersion: string) {
  const writable = { ...deps, readOnly: false };
  const plan = await startPlan(writable, operator, {
    region: REGION,
    functionName,
    alias: "live",
    newVersion,
    kind: "canary",
    stepPercent: 30,
    stepSeconds: 600,
    maxErrorRateIncreasePercent: 5,
    maxP99Ratio: null,
    minInvocations: 20,
  });
  await tickPlans(writable, { owner: "before-restart", leaseMs: 30_000 });
  await deps.store.leases.releaseAll("before-restart"); // a clean shutdown
  const alias = await deps
    .lambda({ account: deps.accounts[0]!.id, region: REGION })
    .getAlias(functionName, "live");
  expect(alias.routing).toEqual({ additionalVersion: newVersion, weight: 0.3 });
  return { plan, stable: plan.spec.stableVersion };
}

describe("read-only start", () => {
  it("rolls a running canary back to its stable version, audited, instead of freezing it at 30 %", async () => {
    const { plan, stable } = await canaryAt30("payments-api", "8");
    // The read-only runner drives nothing: without the stop, the canary would stay at 30 % unguarded.
    expect(await tickPlans(deps, { owner: "ro", leaseMs: 30_000 })).toEqual([]);
    // The writable replica just stopped cleanly (its lease released): it may be restarting, so the sweep waits
    // until the lease has been free for more than two lease periods.
    const seen = { at: null };
    expect(await stopPlansForReadOnly(deps, "ro", 30_000, seen)).toEqual([]);
    clock += 61_000;
    const stopped = await stopPlansForReadOnly(deps, "ro", 30_000, seen);
    expect(stopped).toEqual([
      expect.objectContaining({ planId: plan.id, ok: true, detail: `v${stable} 100%` }),
    ]);
    const alias = await deps
      .lambda({ account: deps.accounts[0]!.id, region: REGION })
      .getAlias("payments-api", "live");
    expect(alias.functionVersion).toBe(stable);
    expect(alias.routing).toBeNull();
    const after = await deps.store.plans.get(plan.id);
    expect(after?.state.status).toBe("aborted");
    expect(after?.state.reason).toMatch(/read-only mode/);
    const last = (await deps.store.audit.list({ planId: plan.id, limit: 1 }))[0];
    expect(last).toMatchObject({ actor: READ_ONLY_ACTOR.name, action: "plan.abort", outcome: "applied" });
    expect(await stopPlansForReadOnly(deps, "ro", 30_000)).toEqual([]); // nothing left running
  });

  it("leaves a plan that another live instance is driving (it holds the lease) to that instance", async () => {
    const { plan } = await canaryAt30("orders-api", "13");
    expect(await deps.store.leases.acquire("plan-runner", "other-live", clock, 30_000)).not.toBeNull();
    const seen = { at: null };
    expect(await stopPlansForReadOnly(deps, "ro", 30_000, seen)).toEqual([]);
    expect((await deps.store.plans.get(plan.id))?.state.status).toBe("running");
    // Its lease lapses, briefly: it is still around (it takes the lease back within a tick), so nothing happens.
    clock += 31_000;
    expect(await stopPlansForReadOnly(deps, "ro", 30_000, seen)).toEqual([]);
    expect((await deps.store.plans.get(plan.id))?.state.status).toBe("running");
    // Free for more than two lease periods: that instance went away, and the sweep stops the plan.
    clock += 60_000;
    expect(await stopPlansForReadOnly(deps, "ro", 30_000, seen)).toMatchObject([
      { planId: plan.id, ok: true },
    ]);
    await abortPlan({ ...deps, readOnly: false }, operator, plan.id).catch(() => undefined);
  });
});

describe("sign-in in read-only mode", () => {
  it("is refused with a clear message, and the token is not used up", async () => {
    const token = await issueLoginTokenNow();
    const stored = await store().settings.get(loginTokenKey(token));
    expect(stored).not.toBeNull();
    const res = await login(
      new Request("http://127.0.0.1:3000/api/auth/login", {
        method: "POST",
        headers: {
          origin: "http://127.0.0.1:3000",
          host: "127.0.0.1:3000",
          "content-type": "application/json",
        },
        body: JSON.stringify({ token }),
      }),
    );
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toMatch(/read-only mode/);
    expect(jar.size).toBe(0);
    expect(await store().settings.get(loginTokenKey(token))).toBe(stored);
    expect(readFileSync(tokenFile, "utf8").trim()).toBe(token);
  });
});
