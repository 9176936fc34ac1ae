/**
 * Failover of the plan runner (issue 16): two console replicas on one PostgreSQL store, each behind its own
 * counting proxy to the e2e sandbox, with short leases (3 s) and fast plan ticks (1 s). A canary plan runs on
 * orders-api:live; the replica holding the plan-runner lease is killed (SIGKILL, no clean shutdown, its lease
 * not released). The other must take the lease within two lease periods and drive the plan to its end, and
 * three independent records must agree: the alias as the `aws` CLI reads it, the plan, and the audit log —
 * checked against every UpdateAlias that landed at the sandbox (no step lost, none applied twice).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { awsCliJson, cliGetAlias } from "@fleetscope/sandbox/testing/awscli";
import { startPostgres, type TestPostgres } from "../support/postgres";
import { chainFrom, checkPlanSteps, landedRouting, routingKey, type AuditRow } from "../bench/_plan-steps";
import { leaseHolder, msUntilHeld, startReplicas, type Replicas } from "../bench/_replicas";
import { openConsoleSession } from "./support/own-console";
import "./support/provided";

const SECRET = "e2e-failover-secret-0123456789abcdef";
const LEASE_SECONDS = 3;
const FN = "orders-api";
const ALIAS = "live";

let pg: TestPostgres;
let replicas: Replicas;
let cookie = "";
let original: { version: string; weights: Record<string, number> } | null = null;

const sandbox = () => inject("sandboxUrl");
const getAlias = () => cliGetAlias(sandbox(), FN, ALIAS);
const setAlias = (version: string, weights: Record<string, number>) =>
  awsCliJson(sandbox(), [
    "lambda",
    "update-alias",
    "--function-name",
    FN,
    "--name",
    ALIAS,
    "--function-version",
    version,
    "--routing-config",
    JSON.stringify({ AdditionalVersionWeights: weights }),
  ]);

interface PlanJson {
  id: string;
  lastRevisionId: string | null;
  spec: { stableVersion: string; newVersion: string };
  state: { status: string; step: number; reason: string | null };
}
const plan = async (base: string, id: string) =>
  ((await (await fetch(`${base}/api/traffic/plans`)).json()) as { plans: PlanJson[] }).plans.find(
    (p) => p.id === id,
  );
const auditOf = async (base: string, id: string): Promise<AuditRow[]> =>
  ((await (await fetch(`${base}/api/traffic/audit?plan=${id}`)).json()) as { entries: AuditRow[] }).entries
    .slice()
    .reverse();

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  pg = await startPostgres();
  replicas = await startReplicas({
    sandboxUrl: sandbox(),
    databaseUrl: await pg.createDatabase("failover"),
    name: "failover",
    env: {
      FLEETSCOPE_SESSION_SECRET: SECRET,
      FLEETSCOPE_LEASE_SECONDS: String(LEASE_SECONDS),
      FLEETSCOPE_PLAN_TICK_SECONDS: "1",
      // Guards read CloudWatch live; the collector's work would only load the machine (and it has a lease of its own).
      FLEETSCOPE_COLLECTOR: "off",
    },
  });
  const [first] = replicas.consoles;
  if (!first) throw new Error("no console started");
  // Sessions live in the shared store: one opened there is valid on every replica.
  cookie = `fleetscope_session=${await openConsoleSession(first, SECRET, {
    id: "e2e-failover",
    name: "e2e-failover",
    role: "operator",
    via: "oidc",
  })}`;
  const live = await getAlias();
  original = { version: live.FunctionVersion, weights: live.RoutingConfig?.AdditionalVersionWeights ?? {} };
}, 600_000);

afterAll(async () => {
  await replicas?.close();
  await pg?.stop();
  // As the file found it (the planted canary), for the files after this one and for reruns.
  if (original) await setAlias(original.version, original.weights);
});

describe("plan-runner failover between two replicas on one PostgreSQL", () => {
  it("the survivor takes the lease within two lease periods and finishes the plan; alias, plan and audit agree", async () => {
    const { consoles, proxies } = replicas;
    const healths = await Promise.all(consoles.map((c) => c.health()));
    for (const h of healths)
      expect([h.status, h.store.dialect, h.store.reachable]).toEqual([200, "postgres", true]);
    expect(new Set(healths.map((h) => h.replica)).size).toBe(2);

    await setAlias("12", {});
    const start = await getAlias();
    const holder = await leaseHolder(consoles, "planRunner");
    const killed = consoles[holder];
    const survivor = consoles[1 - holder];
    if (!killed || !survivor) throw new Error("two replicas expected");
    // Both agree who holds it (the one row in the shared store).
    expect((await survivor.health()).leases.planRunner.holder).toBe(healths[holder]?.replica);
    proxies.forEach((p) => p.reset());

    const res = await fetch(`${killed.url}/api/traffic/plans`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: killed.url, cookie },
      body: JSON.stringify({
        region: "us-east-1",
        functionName: FN,
        alias: ALIAS,
        newVersion: "13",
        kind: "canary",
        stepPercent: 50,
        stepSeconds: 30,
        maxErrorRateIncreasePercent: 20,
        maxP99Ratio: null,
        minInvocations: 3,
        revisionId: start.RevisionId,
      }),
    });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: PlanJson };
    // The holder applies the canary weight; then it dies mid-plan, lease still unexpired in the store.
    await waitFor(
      "the canary step",
      async () => (await plan(survivor.url, result.id))?.state.step === 0,
      30_000,
    );
    expect((await getAlias()).RoutingConfig?.AdditionalVersionWeights).toEqual({ "13": 0.5 });
    const killedAt = Date.now();
    await killed.stop("SIGKILL");

    const takeover = await msUntilHeld(survivor, "planRunner", killedAt, 4 * LEASE_SECONDS * 1000);
    expect(takeover.ms).toBeLessThanOrEqual(2 * LEASE_SECONDS * 1000);
    expect(takeover.health.leases.planRunner.holder).toBe(takeover.health.replica);

    const done = await waitFor(
      "the plan to end",
      async () => {
        const p = await plan(survivor.url, result.id);
        return p && p.state.status !== "running" ? p : null;
      },
      300_000,
    );
    // The guards decide: the healthy v13 is promoted, or rolled back for too little evidence; never left midway.
    expect(["succeeded", "rolled_back"]).toContain(done.state.status);
    const final = await getAlias();
    const expected = done.state.status === "succeeded" ? "13" : "12";
    expect([final.FunctionVersion, final.RoutingConfig?.AdditionalVersionWeights ?? {}]).toEqual([
      expected,
      {},
    ]);
    expect(done.lastRevisionId).toBe(final.RevisionId);

    // What landed at the sandbox, through either replica, in the order the alias moved.
    const landed = chainFrom(
      proxies.flatMap((p) => p.aliasUpdates()).filter((u) => u.functionName === FN && u.alias === ALIAS),
      start.RevisionId,
    );
    expect(landed.at(-1)?.revisionId).toBe(final.RevisionId);
    expect(landed.map((u) => routingKey(landedRouting(u)))).toEqual(["12+13@0.5", expected]);
    const audit = await auditOf(survivor.url, result.id);
    expect(audit[0]?.action).toBe("plan.start");
    const check = checkPlanSteps(landed, audit);
    expect(check).toMatchObject({ lost: 0, doubled: 0, auditedTwice: 0, phantom: 0, sameOrder: true });
    expect(check.audited).toEqual(check.landed);
  }, 420_000);
});
