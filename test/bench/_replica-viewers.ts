/**
 * Viewers across replicas: 2 console replicas on one PostgreSQL × 50 concurrent viewers each of the fleet page,
 * against the baseline of 1 viewer on 1 replica, measured in the same run. Every AWS request is counted at a
 * counting proxy per replica (_aws-proxy.ts), in front of a sandbox of the bench's own.
 *
 * How the collector's requests are kept apart from the viewers':
 * 1. Collect: both replicas run the embedded collector until the store covers the page's range (1 h). Then, over
 *    a window of COLLECT_WINDOW_S, the requests of each replica are counted: only the collector lease's holder
 *    (GET /api/health) may have any (`collectorOn`).
 * 2. View: both replicas are restarted with FLEETSCOPE_COLLECTOR=off on the same store, so every AWS request in
 *    the viewing windows is one a page view caused. Baseline: 1 viewer loading the page LOADS times in a row on
 *    replica 0. Load: 50 viewers per replica at once (100 in all), each loading it LOADS times in a row.
 * Page time: the whole streamed HTML of `/?range=1h`, request to last byte.
 * Usage: npm run bench -- replica-viewers   (E2E_REUSE_BUILD=1 reuses the last `next build`)
 */
import { buildApp } from "../e2e/support/next-server";
import type { OwnConsole } from "../e2e/support/own-console";
import { freePort } from "../e2e/support/ports";
import { startSandboxProcess } from "../e2e/support/sandbox-process";
import { startPostgres } from "../support/postgres";
import { leaseHolder, percentile, sleep, startReplicas, type Replicas } from "./_replicas";

const VIEWERS_PER_REPLICA = 50;
const LOADS = 3;
const BASELINE_LOADS = 20;
const COLLECT_WINDOW_S = 60;
const PAGE = "/?range=1h";

const COMMON_ENV = {
  FLEETSCOPE_LEASE_SECONDS: "10",
  // The lease must be at least two plan ticks (the console refuses less at start).
  FLEETSCOPE_PLAN_TICK_SECONDS: "5",
  FLEETSCOPE_COLLECTOR_BACKFILL_HOURS: "1",
  // The sandbox has no control-plane quota to spare for (as the e2e global setup).
  FLEETSCOPE_COLLECTOR_LAMBDA_RPS: "10",
};

/** One page load: milliseconds to the last byte; throws unless it is the fleet page. */
async function load(c: OwnConsole): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${c.url}${PAGE}`);
  const html = await res.text();
  const ms = performance.now() - t;
  if (res.status !== 200 || !html.includes('data-testid="range"'))
    throw new Error(`${c.url}${PAGE}: HTTP ${res.status}, not the fleet page`);
  return ms;
}

/** Waits until the page is served whole from the store (no "still collecting" line). */
async function waitCovered(c: OwnConsole, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const html = await (await fetch(`${c.url}${PAGE}`)).text();
    if (html.includes('data-testid="freshness"') && !html.includes('data-testid="coverage"')) return;
    if (Date.now() > deadline)
      throw new Error(`the store did not cover ${PAGE} within ${timeoutMs / 1000} s`);
    await sleep(5000);
  }
}

const round = (x: number | null) => (x === null ? null : Math.round(x));
const timing = (ms: number[]) => ({
  loads: ms.length,
  p50Ms: round(percentile(ms, 50)),
  p95Ms: round(percentile(ms, 95)),
});

async function main() {
  await buildApp();
  const pg = await startPostgres();
  const sandbox = await startSandboxProcess(await freePort(), "us-east-1");
  let replicas: Replicas | null = null;
  try {
    const databaseUrl = await pg.createDatabase("bench_viewers");

    // 1. Collect, and see who pays for it.
    replicas = await startReplicas({
      sandboxUrl: sandbox.url,
      databaseUrl,
      name: "bench-collect",
      env: COMMON_ENV,
    });
    const [a] = replicas.consoles;
    if (!a) throw new Error("no console started");
    await waitCovered(a, 900_000);
    const holder = await leaseHolder(replicas.consoles, "collector");
    replicas.resetCounts();
    await sleep(COLLECT_WINDOW_S * 1000);
    const perReplica = replicas.proxies.map((p) => p.total());
    const collectorOn = {
      windowSeconds: COLLECT_WINDOW_S,
      leaseHolderRequests: perReplica[holder],
      otherReplicaRequests: perReplica[1 - holder],
    };
    await replicas.close();
    replicas = null;

    // 2. View, with no collector anywhere: what the viewers cost AWS, and how fast the page is.
    replicas = await startReplicas({
      sandboxUrl: sandbox.url,
      databaseUrl,
      name: "bench-view",
      env: { ...COMMON_ENV, FLEETSCOPE_COLLECTOR: "off" },
    });
    const { consoles } = replicas;
    const [first] = consoles;
    if (!first) throw new Error("no console started");
    // Warm-up: the first render of a fresh server loads its code and its caches.
    for (const c of consoles) for (let i = 0; i < 3; i++) await load(c);

    replicas.resetCounts();
    const baselineMs: number[] = [];
    for (let i = 0; i < BASELINE_LOADS; i++) baselineMs.push(await load(first));
    const baselineRequests = replicas.totalRequests();

    replicas.resetCounts();
    const loadMs = (
      await Promise.all(
        consoles.flatMap((c) =>
          Array.from({ length: VIEWERS_PER_REPLICA }, async () => {
            const ms: number[] = [];
            for (let i = 0; i < LOADS; i++) ms.push(await load(c));
            return ms;
          }),
        ),
      )
    ).flat();
    const loadRequests = replicas.totalRequests();
    const byOperation = replicas.proxies.map((p) => p.counts());

    console.log(
      JSON.stringify({
        bench: "replica-viewers",
        page: PAGE,
        awsRequests: {
          baseline1x1: baselineRequests,
          replicas2x50: loadRequests,
          replicas2x50ByReplica: byOperation,
        },
        pageTime: {
          baseline1x1: timing(baselineMs),
          replicas2x50: timing(loadMs),
        },
        collectorOn,
      }),
    );
  } finally {
    await replicas?.close();
    await sandbox.stop();
    await pg.stop();
  }
}

void main();
