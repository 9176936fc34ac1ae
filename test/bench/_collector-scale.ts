/**
 * The collector in steady state at F = 5,000 functions (one region), on the real clock, against a sandbox in its own
 * process (`npm run sandbox -- --functions 5000`), as a deployment runs it: the console's settings (Lambda budget
 * 2 requests/s, 4 concurrent Insights queries, background Insights polling), a SQLite file store, a tick every 5 s.
 * The backfill horizon is 3 minutes, so it is in steady state right after the first listing and catch-up. Over
 * `minutes` real minutes (default 3) after catch-up it reports:
 * - AWS requests per minute by operation (the sandbox's /_sandbox/stats);
 * - this process's CPU share (process.cpuUsage delta / wall; 1.0 = one core) and resident memory
 *   (process.memoryUsage().rss: mean and max of 1 s samples), and the sandbox process's CPU share beside it;
 * - rows written to the store (upserts handed to putMetrics / putLogs, and the net growth of the tables);
 * - how far behind now each source's collected minutes are (1 s samples: mean, max, at the end; the lags alone are
 *   1 min for metrics and 2 min for logs), and the most Insights queries waiting in the scheduler's queue.
 * Baseline in the same run: the same at F = 500.
 * Usage: npm run bench -- collector-scale [minutes=3] [--sizes 500,5000]
 * Prints one JSON line: {"bench":"collector-scale", …}.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { BACKGROUND_TIMING } from "@/lib/aws/logs";
import { createCollector } from "@/lib/collector/collector";
import { DEFAULT_SETTINGS, resetPublishers, type CollectorSettings } from "@/lib/collector/region";
import { openDatabase } from "@/lib/store/database";
import { freePort } from "../e2e/support/ports";
import { startSandboxProcess } from "../e2e/support/sandbox-process";
import { benchScope, caughtUp, collectorPorts, countedStore, round, total } from "./_collector-rig";

const REGION = "us-east-1";
const SCOPE = benchScope(REGION);
const MINUTE = 60_000;
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const MEASURE_MS = Number(process.argv[2]?.startsWith("--") ? 3 : (process.argv[2] ?? 3)) * MINUTE;
const SIZES = (arg("--sizes") ?? "500,5000").split(",").map(Number);
const SETTINGS: Partial<CollectorSettings> = { horizonMs: 3 * MINUTE };
const log = (m: string) => console.error(m);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) a process has used, from /proc; null where there is no /proc. */
function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

async function stats(url: string): Promise<Record<string, number>> {
  return (await (await fetch(`${url}/_sandbox/stats`)).json()) as Record<string, number>;
}

async function measure(functions: number) {
  resetPublishers();
  const sandbox = await startSandboxProcess(await freePort(), REGION, 7, ["--functions", String(functions)]);
  const dir = mkdtempSync(path.join(tmpdir(), "fleetscope-collector-scale-"));
  const db = openDatabase(`file:${path.join(dir, "store.db")}`);
  const store = countedStore(db);
  const settings = { ...DEFAULT_SETTINGS, ...SETTINGS };
  const collector = createCollector({
    scopes: () => [SCOPE],
    portsFor: collectorPorts(sandbox.url, BACKGROUND_TIMING),
    store,
    owner: "bench",
    settings: SETTINGS,
    log,
  });
  try {
    const started = performance.now();
    collector.start();
    while (!(await caughtUp(store, SCOPE, settings, Date.now(), 2 * MINUTE))) {
      if (performance.now() - started > 15 * MINUTE) throw new Error(`F=${functions}: no catch-up in 15 min`);
      await sleep(1000);
    }
    const catchUpS = Math.round((performance.now() - started) / 1000);
    log(`F=${functions}: caught up in ${catchUpS} s; measuring ${MEASURE_MS / MINUTE} min`);

    await fetch(`${sandbox.url}/_sandbox/stats/reset`, { method: "POST" });
    const rowCount = async () => {
      const { rows } = await sql<{ n: number }>`
        SELECT (SELECT COUNT(*) FROM metric_rollups) + (SELECT COUNT(*) FROM log_rollups) AS n`.execute(
        db.kysely,
      );
      return Number(rows[0]?.n ?? 0);
    };
    const rows0 = await rowCount();
    const written0 = { ...store.written };
    const cpu0 = process.cpuUsage();
    const sandboxCpu0 = cpuSecondsOf(sandbox.pid);
    const wall0 = performance.now();
    const rss: number[] = [];
    const lag = { metrics: [] as number[], logs: [] as number[] };
    let waitingMax = 0;
    while (performance.now() - wall0 < MEASURE_MS) {
      rss.push(process.memoryUsage().rss);
      for (const source of ["metrics", "logs"] as const) {
        const cov = await store.telemetry.coverage(SCOPE, source, 60);
        if (cov) lag[source].push((Date.now() - cov.to) / MINUTE);
      }
      waitingMax = Math.max(waitingMax, collector.status().insights[SCOPE.account]?.waiting ?? 0);
      await sleep(1000);
    }
    const wallS = (performance.now() - wall0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const sandboxCpu1 = cpuSecondsOf(sandbox.pid);
    const s = await stats(sandbox.url);
    const minutes = wallS / 60;
    const now = Date.now();
    const covered = {
      metrics: await store.telemetry.coverage(SCOPE, "metrics", 60),
      logs: await store.telemetry.coverage(SCOPE, "logs", 60),
    };
    const behind = (source: "metrics" | "logs") => {
      const cov = covered[source];
      const xs = lag[source];
      return {
        end: cov === null ? null : round((now - cov.to) / MINUTE),
        mean: xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length) : null,
        max: xs.length ? round(Math.max(...xs)) : null,
      };
    };
    const groups = new Set((await store.inventory.functions(SCOPE)).map((e) => e.config.logGroup)).size;
    const errors = (await store.telemetry.events(500)).filter(
      (e) => e.at >= Date.now() - wallS * 1000 && e.level !== "info",
    );
    const result = {
      F: functions,
      catchUpS,
      measuredS: Math.round(wallS),
      awsRequestsPerMinute: round(total(s) / minutes),
      byOperationPerMinute: Object.fromEntries(
        Object.entries(s)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => [k, round(v / minutes)]),
      ),
      cpuShare: round((cpu.user + cpu.system) / 1e6 / wallS, 3),
      sandboxCpuShare:
        sandboxCpu0 === null || sandboxCpu1 === null ? null : round((sandboxCpu1 - sandboxCpu0) / wallS, 3),
      rssMB: {
        mean: Math.round(rss.reduce((a, b) => a + b, 0) / rss.length / 1e6),
        max: Math.round(Math.max(...rss) / 1e6),
      },
      rowsWrittenPerMinute: {
        metrics: Math.round((store.written.metrics - written0.metrics) / minutes),
        logs: Math.round((store.written.logs - written0.logs) / minutes),
      },
      netRowsPerMinute: Math.round(((await rowCount()) - rows0) / minutes),
      minutesBehind: { metrics: behind("metrics"), logs: behind("logs") },
      insightsQueriesNeededPerMinute: Math.ceil(groups / 50),
      insightsWaitingMax: waitingMax,
      insights: collector.status().insights,
      collectorErrors: errors.length,
      firstError: errors[0]?.message ?? null,
    };
    log(JSON.stringify(result));
    return result;
  } finally {
    await collector.stop();
    await db.close();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const results = [];
  for (const F of SIZES) results.push(await measure(F));
  console.log(
    JSON.stringify({
      bench: "collector-scale",
      machine: "2 cores (shared)",
      settings: {
        tickS: 5,
        lambdaRequestsPerSecond: 2,
        insightsConcurrency: 4,
        horizonMin: 3,
        insightsPolling: "background (1 s, ×2, ≤ 5 s)",
      },
      sizes: results,
    }),
  );
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
