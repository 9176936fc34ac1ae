/**
 * Failover of the plan runner, 20 times: two console replicas on one PostgreSQL, each behind a counting proxy to
 * a sandbox of its own, a canary plan always running on orders-api:live (a new one started as each ends). Each
 * round kills the replica holding the plan-runner lease (SIGKILL), measures the takeover (kill → the other's
 * /api/health says it holds the lease), and restarts the killed one, so there are always two. Half the kills
 * come within a second of a plan's start, when its first UpdateAlias is in flight or just landed (the durable
 * pending change's case); the others at a random moment of a running plan.
 *
 * Afterwards every plan is checked against what landed at the sandbox (_plan-steps.ts): steps lost (a landed
 * UpdateAlias no audited step names), steps doubled (a step's routing landed twice). The baseline is the lease
 * period: takeover / lease is at most (lease + tick) / lease by design, ≤ 2 required.
 * Usage: npm run bench -- failover [kills]   (default 20; E2E_REUSE_BUILD=1 reuses the last `next build`)
 */
import { awsCliJson, cliGetAlias } from "@fleetscope/sandbox/testing/awscli";
import { buildApp } from "../e2e/support/next-server";
import { openConsoleSession } from "../e2e/support/own-console";
import { freePort } from "../e2e/support/ports";
import { startSandboxProcess } from "../e2e/support/sandbox-process";
import { startPostgres } from "../support/postgres";
import { chainFrom, checkPlanSteps, type AuditRow } from "./_plan-steps";
import { leaseHolder, msUntilHeld, percentile, sleep, startReplicas, type Replicas } from "./_replicas";

const KILLS = Number(process.argv[2] ?? 20);
const LEASE_SECONDS = 3;
const TICK_SECONDS = 1;
const SECRET = "bench-failover-secret-0123456789abcdef";
const FN = "orders-api";
const ALIAS = "live";

/** Deterministic delays (a fixed LCG), so two runs kill at comparable moments. */
let seed = 16;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

interface PlanJson {
  id: string;
  createdAt: number;
  lastRevisionId: string | null;
  spec: { stableVersion: string; newVersion: string };
  state: { status: string };
}

interface StartedPlan {
  id: string;
  startRevision: string;
}

async function main() {
  await buildApp();
  const pg = await startPostgres();
  const sandbox = await startSandboxProcess(await freePort(), "us-east-1");
  let replicas: Replicas | null = null;
  try {
    replicas = await startReplicas({
      sandboxUrl: sandbox.url,
      databaseUrl: await pg.createDatabase("bench_failover"),
      name: "bench-failover",
      env: {
        FLEETSCOPE_SESSION_SECRET: SECRET,
        FLEETSCOPE_LEASE_SECONDS: String(LEASE_SECONDS),
        FLEETSCOPE_PLAN_TICK_SECONDS: String(TICK_SECONDS),
        FLEETSCOPE_COLLECTOR: "off",
      },
    });
    const { consoles, proxies } = replicas;
    const [first] = consoles;
    if (!first) throw new Error("no console started");
    const cookie = `fleetscope_session=${await openConsoleSession(first, SECRET, {
      id: "bench-failover",
      name: "bench-failover",
      role: "operator",
      via: "oidc",
    })}`;
    await awsCliJson(sandbox.url, [
      "lambda",
      "update-alias",
      "--function-name",
      FN,
      "--name",
      ALIAS,
      "--function-version",
      "12",
      "--routing-config",
      '{"AdditionalVersionWeights":{}}',
    ]);

    const started: StartedPlan[] = [];
    // A plan start and a kill never overlap: a replica killed while answering a start would leave a plan
    // running that this bench did not record (and could not attribute its alias changes to).
    let turn: Promise<unknown> = Promise.resolve();
    const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
      const run = turn.then(fn);
      turn = run.catch(() => undefined);
      return run;
    };
    const plans = async (): Promise<PlanJson[]> => {
      for (const c of consoles) {
        try {
          const res = await fetch(`${c.url}/api/traffic/plans`);
          if (res.ok) return ((await res.json()) as { plans: PlanJson[] }).plans;
        } catch {
          // Killed or restarting: ask the other one.
        }
      }
      throw new Error("no replica answers /api/traffic/plans");
    };
    const running = async () => (await plans()).some((p) => p.state.status === "running");
    /** A canary to the version the alias is not on, posted to `at` (null: no plan started, one is running). */
    const startPlan = (at: number): Promise<StartedPlan | null> => exclusive(() => postPlan(at));
    const postPlan = async (at: number): Promise<StartedPlan | null> => {
      const alias = await cliGetAlias(sandbox.url, FN, ALIAS);
      const base = consoles[at]?.url ?? "";
      const res = await fetch(`${base}/api/traffic/plans`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base, cookie },
        body: JSON.stringify({
          region: "us-east-1",
          functionName: FN,
          alias: ALIAS,
          newVersion: alias.FunctionVersion === "13" ? "12" : "13",
          kind: "canary",
          stepPercent: 50,
          stepSeconds: 10,
          maxErrorRateIncreasePercent: 20,
          maxP99Ratio: null,
          minInvocations: 3,
          revisionId: alias.RevisionId,
        }),
      });
      if (res.status === 409) return null;
      if (!res.ok) throw new Error(`starting a plan: HTTP ${res.status} ${await res.text()}`);
      const { result } = (await res.json()) as { result: PlanJson };
      const plan = { id: result.id, startRevision: alias.RevisionId };
      started.push(plan);
      return plan;
    };

    // Keeps a plan running on the alias: a new one as soon as the last ended (posted to whichever replica answers).
    let driving = true;
    // Set while a round starts its own plan, so the driver does not take every free moment first.
    let roundStarts = false;
    const driver = (async () => {
      while (driving) {
        try {
          if (!roundStarts && !(await running())) await startPlan(started.length % 2).catch(() => null);
        } catch {
          // Both replicas briefly unreachable (one killed, one busy): try again.
        }
        await sleep(500);
      }
    })();

    const kills: { takeoverS: number; atPlanStart: boolean }[] = [];
    for (let i = 0; i < KILLS; i++) {
      const holder = await leaseHolder(consoles, "planRunner");
      const victim = consoles[holder];
      const survivor = consoles[1 - holder];
      if (!victim || !survivor) throw new Error("two replicas expected");
      const atPlanStart = i % 2 === 0;
      if (atPlanStart) {
        // Within a second of a plan's start, posted to the holder (its kick applies the first step at once).
        roundStarts = true;
        while (!(await startPlan(holder).catch(() => null))) await sleep(250);
        roundStarts = false;
        await sleep(random() * 1000);
      } else {
        await sleep(1000 + random() * 7000);
      }
      const killedAt = await exclusive(async () => {
        const at = Date.now();
        await victim.stop("SIGKILL");
        return at;
      });
      const takeover = await msUntilHeld(survivor, "planRunner", killedAt, 10 * LEASE_SECONDS * 1000);
      kills.push({ takeoverS: takeover.ms / 1000, atPlanStart });
      console.error(JSON.stringify({ kill: i + 1, ...kills.at(-1) }));
      await victim.restart();
    }
    driving = false;
    await driver;
    // Let the last plan end (a canary of 10 s steps ends within 3 steps' wait at most).
    const deadline = Date.now() + 180_000;
    while ((await running()) && Date.now() < deadline) await sleep(1000);

    const all = await plans();
    const updates = proxies
      .flatMap((p) => p.aliasUpdates())
      .filter((u) => u.functionName === FN && u.alias === ALIAS);
    const totals = {
      lost: 0,
      doubled: 0,
      auditedTwice: 0,
      phantom: 0,
      adopted: 0,
      outOfOrder: 0,
      unfinished: 0,
    };
    const outcomes: Record<string, number> = {};
    for (const [k, p] of started.entries()) {
      const stored = all.find((x) => x.id === p.id);
      const status = stored?.state.status ?? "missing";
      outcomes[status] = (outcomes[status] ?? 0) + 1;
      if (status === "running" || status === "missing") totals.unfinished++;
      const landed = chainFrom(updates, p.startRevision, started[k + 1]?.startRevision ?? null);
      const res = await fetch(`${consoles[0]?.url}/api/traffic/audit?plan=${p.id}`);
      const audit = ((await res.json()) as { entries: AuditRow[] }).entries.slice().reverse();
      const check = checkPlanSteps(landed, audit);
      totals.lost += check.lost;
      totals.doubled += check.doubled;
      totals.auditedTwice += check.auditedTwice;
      totals.phantom += check.phantom;
      totals.adopted += check.adopted;
      if (!check.sameOrder) totals.outOfOrder++;
      if (check.lost + check.doubled + check.auditedTwice + check.phantom > 0 || !check.sameOrder)
        console.error(JSON.stringify({ plan: p.id, status, ...check }));
    }
    // Every landing belongs to some plan's chain (the driver makes no change of its own after the first).
    const chained = new Set(
      started.flatMap((p, k) => chainFrom(updates, p.startRevision, started[k + 1]?.startRevision ?? null)),
    );
    const outsideAnyPlan = updates.filter((u) => !chained.has(u)).length;
    const takeovers = kills.map((k) => k.takeoverS);
    const round = (x: number | null) => (x === null ? null : +x.toFixed(2));
    console.log(
      JSON.stringify({
        bench: "failover",
        kills: kills.length,
        leaseSeconds: LEASE_SECONDS,
        planTickSeconds: TICK_SECONDS,
        takeoverSeconds: {
          p50: round(percentile(takeovers, 50)),
          p95: round(percentile(takeovers, 95)),
          max: round(Math.max(...takeovers)),
        },
        takeoverOverLease: {
          p50: round((percentile(takeovers, 50) ?? 0) / LEASE_SECONDS),
          max: round(Math.max(...takeovers) / LEASE_SECONDS),
        },
        killsAtPlanStart: kills.filter((k) => k.atPlanStart).length,
        plans: started.length,
        planOutcomes: outcomes,
        updateAliasLanded: updates.length,
        updateAliasAttempts: proxies.reduce((a, p) => a + (p.counts()["lambda.UpdateAlias"] ?? 0), 0),
        stepsLost: totals.lost + outsideAnyPlan,
        stepsDoubled: totals.doubled,
        auditedTwice: totals.auditedTwice,
        auditedNotLanded: totals.phantom,
        stepsAdoptedAfterTakeover: totals.adopted,
        plansOutOfOrder: totals.outOfOrder,
        plansUnfinished: totals.unfinished,
      }),
    );
  } finally {
    await replicas?.close();
    await sandbox.stop();
    await pg.stop();
  }
}

void main();
