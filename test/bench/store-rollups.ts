/**
 * The collector's rollup writes and the views' reads at F = 5,000 functions in one region, through the telemetry
 * store (lib/store/telemetry.ts) on SQLite (a file in a temporary directory, the store's own pragmas) and on
 * PostgreSQL (a throwaway server, test/support/postgres.ts), in the same run:
 * - writes: `minutes` closed minutes (default 60) of 1-minute metric and log rows, one putMetrics + putLogs per
 *   minute as the collector makes them (F function rows + the region row each), then 24 hours of hourly rows (the
 *   roll-up's output). Values from the synthetic store's generator (_synthetic-store.ts `syntheticBucket`: the
 *   sandbox fleet's rates, durations and histograms); only the store calls are timed.
 * - reads, as the views make them (lib/data/telemetry/store-source.ts): a 1 h window reads 1-minute rows (per-key
 *   totals and the region per minute), a 24 h window the hourly tier (per-key totals and the region per hour).
 *   One first call, then the median of `RUNS`; rows/s = rows in the window's range / time.
 * Each read's answer is checked against what was written (invocations added up in JS) on both engines.
 * Times are wall and CPU (this process, plus PostgreSQL's server processes: see CpuMeter), since wall time on a
 * shared machine also measures its other load; ratios are postgres / sqlite.
 * PostgreSQL is ANALYZEd after the writes, as autovacuum would be by then. The test server runs without fsync
 * (test/support/postgres.ts); SQLite runs as the console opens it (WAL, its default synchronous): both are stated
 * in the output, since a write's commit cost differs with them (one commit per put of 5,001 rows here).
 * Usage: npm run bench -- store-rollups [minutes=60]
 * Prints one JSON line: {"bench":"store-rollups", …}.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { REGION_ROW, type Resolution } from "@/lib/core/rollup/types";
import { openDatabase, type Db, type DialectName } from "@/lib/store/database";
import { createTelemetryStore, type TelemetryStore } from "@/lib/store/telemetry";
import { startSandbox } from "@fleetscope/sandbox";
import { startPostgres } from "../support/postgres";
import {
  SYNTHETIC_ACCOUNT,
  syntheticBucket,
  syntheticFunctions,
  syntheticHistograms,
  type SyntheticFunction,
  type SyntheticHistograms,
} from "./_synthetic-store";

const F = 5_000;
const REGION = "us-east-1";
const SCOPE = { account: SYNTHETIC_ACCOUNT, region: REGION };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The collector's clock: the newest closed minute is NOW - 1 min. */
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const MINUTES = Number(process.argv[2] ?? 60);
const HOURS = 24;
const RUNS = 5;
const log = (m: string) => console.error(m);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * CPU time (ms) the store's work has used so far. Wall times on a shared machine say as much about the other
 * processes as about the store; CPU time does not. SQLite runs in this process; PostgreSQL's work is this
 * process (the pg client) plus the server's processes (postmaster, backends, WAL and background writers; those
 * that exited are counted in the postmaster's children's time).
 */
type CpuMeter = () => number;

const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
const processCpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** /proc/<pid>/stat after the command name: [state, ppid, …, utime, stime, cutime, cstime, …]. */
function procStat(pid: number | string): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null; // exited meanwhile
  }
}

function serverCpuMs(postmaster: number): number {
  const ticks = (f: string[], withChildren: boolean) =>
    Number(f[11]) + Number(f[12]) + (withChildren ? Number(f[13]) + Number(f[14]) : 0);
  const own = procStat(postmaster);
  let total = own ? ticks(own, true) : 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const f = procStat(pid);
    if (f && Number(f[1]) === postmaster) total += ticks(f, false);
  }
  return (total * 1000) / CLK_TCK;
}

async function cpuMeter(dialect: DialectName, db: Db): Promise<CpuMeter> {
  if (dialect === "sqlite") return processCpuMs;
  const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db.kysely);
  const backend = procStat(rows[0]!.pid);
  if (!backend) throw new Error("the PostgreSQL backend is not a local process");
  const postmaster = Number(backend[1]);
  return () => processCpuMs() + serverCpuMs(postmaster);
}

interface Written {
  rows: number;
  seconds: number;
  cpuSeconds: number;
  putMs: number[];
  /** Invocations written per tier, function rows only: what the per-key totals must add up to. */
  invocations: Map<Resolution, number>;
}

async function write(
  store: TelemetryStore,
  fns: readonly SyntheticFunction[],
  cpu: CpuMeter,
): Promise<Written> {
  const tiers: [SyntheticHistograms, number[]][] = [
    [syntheticHistograms(fns, 60), Array.from({ length: MINUTES }, (_, i) => NOW - (MINUTES - i) * MINUTE)],
    [syntheticHistograms(fns, 3600), Array.from({ length: HOURS }, (_, i) => NOW - (HOURS - i) * HOUR)],
  ];
  const written: Written = { rows: 0, seconds: 0, cpuSeconds: 0, putMs: [], invocations: new Map() };
  let ms = 0;
  let cpuMs = 0;
  for (const [hists, times] of tiers) {
    for (const t of times) {
      const { metrics, logs } = syntheticBucket(fns, REGION, hists, t);
      const started = performance.now();
      const cpuStarted = cpu();
      await store.putMetrics(metrics);
      await store.putLogs(logs);
      cpuMs += cpu() - cpuStarted;
      const took = performance.now() - started;
      ms += took;
      if (hists.res === 60) written.putMs.push(took);
      written.rows += metrics.length + logs.length;
      const inv = metrics.reduce((s, m) => s + (m.fn === REGION_ROW ? 0 : m.invocations), 0);
      written.invocations.set(hists.res, (written.invocations.get(hists.res) ?? 0) + inv);
    }
    const first = times[0]!;
    await store.setCoverage(SCOPE, "metrics", hists.res, first, NOW, NOW);
    await store.setCoverage(SCOPE, "logs", hists.res, first, NOW, NOW);
  }
  written.seconds = ms / 1000;
  written.cpuSeconds = cpuMs / 1000;
  return written;
}

interface Read {
  firstMs: number;
  ms: number;
  /** Mean CPU time of one call (see CpuMeter). */
  cpuMs: number;
  rowsInRange: number;
  rowsPerSec: number;
}

async function timed(
  cpu: CpuMeter,
  rowsInRange: number,
  check: (n: number) => void,
  read: () => Promise<{ length: number }>,
): Promise<Read> {
  let started = performance.now();
  check((await read()).length);
  const firstMs = performance.now() - started;
  const times: number[] = [];
  const cpuStarted = cpu();
  for (let i = 0; i < RUNS; i++) {
    started = performance.now();
    await read();
    times.push(performance.now() - started);
  }
  const cpuMs = (cpu() - cpuStarted) / RUNS;
  const ms = median(times);
  return {
    firstMs: round(firstMs),
    ms: round(ms),
    cpuMs: round(cpuMs),
    rowsInRange,
    rowsPerSec: Math.round(rowsInRange / (ms / 1000)),
  };
}

function expectEqual(what: string, got: number, want: number): void {
  // Sums of doubles in a different order may differ in the last bits; counts here are integers.
  if (Math.abs(got - want) > 1e-6 * Math.max(1, Math.abs(want)))
    throw new Error(`${what}: read ${got}, wrote ${want}`);
}

async function readAll(store: TelemetryStore, written: Written, logGroups: number, cpu: CpuMeter) {
  const windows = [
    { name: "1h", res: 60 as Resolution, buckets: Math.min(60, MINUTES), step: MINUTE },
    { name: "24h", res: 3600 as Resolution, buckets: HOURS, step: HOUR },
  ];
  const out: Record<string, Record<string, Read>> = {};
  for (const w of windows) {
    const from = NOW - w.buckets * w.step;
    const keyRows = (F + 1) * w.buckets; // every function's rows and the region row's, in the range scanned
    const invocations = w.res === 60 && w.buckets < MINUTES ? null : (written.invocations.get(w.res) ?? 0);
    out[w.name] = {
      metricTotals: await timed(
        cpu,
        keyRows,
        (n) => expectEqual(`${w.name} metricTotals keys`, n, F + 1),
        async () => {
          const rows = await store.metricTotals(SCOPE, w.res, from, NOW);
          const sum = rows.reduce((s, r) => s + (r.fn === REGION_ROW ? 0 : r.invocations), 0);
          if (invocations !== null) expectEqual(`${w.name} metricTotals invocations`, sum, invocations);
          return rows;
        },
      ),
      logTotals: await timed(
        cpu,
        keyRows,
        (n) => expectEqual(`${w.name} logTotals keys`, n, logGroups),
        () => store.logTotals(SCOPE, w.res, from, NOW),
      ),
      regionMetricBuckets: await timed(
        cpu,
        w.buckets,
        (n) => expectEqual(`${w.name} regionMetricBuckets`, n, w.buckets),
        async () => {
          const rows = await store.regionMetricBuckets(SCOPE, w.res, from, NOW, w.step);
          const sum = rows.reduce((s, r) => s + r.invocations, 0);
          if (invocations !== null) expectEqual(`${w.name} region invocations`, sum, invocations);
          return rows;
        },
      ),
      regionLogBuckets: await timed(
        cpu,
        w.buckets,
        (n) => expectEqual(`${w.name} regionLogBuckets`, n, w.buckets),
        () => store.regionLogBuckets(SCOPE, w.res, from, NOW, w.step),
      ),
    };
  }
  return out;
}

async function measure(dialect: DialectName, db: Db, fns: readonly SyntheticFunction[]) {
  const store = createTelemetryStore(db);
  await sql`SELECT 1`.execute(db.kysely); // connects and migrates (PostgreSQL), outside the timings
  const cpu = await cpuMeter(dialect, db);
  const written = await write(store, fns, cpu);
  log(`${dialect}: wrote ${written.rows} rows in ${round(written.seconds)} s`);
  if (dialect === "postgres") await sql`ANALYZE`.execute(db.kysely);
  const reads = await readAll(store, written, new Set(fns.map((f) => f.logGroup)).size, cpu);
  log(`${dialect}: ${JSON.stringify(reads)}`);
  const durability =
    dialect === "sqlite"
      ? `WAL, synchronous=${(await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db.kysely)).rows[0]?.synchronous}`
      : "fsync=off, synchronous_commit=off (test server)";
  const minutePutMs = written.putMs;
  return {
    durability,
    write: {
      rows: written.rows,
      seconds: round(written.seconds),
      rowsPerSec: Math.round(written.rows / written.seconds),
      cpuSeconds: round(written.cpuSeconds),
      rowsPerCpuSec: Math.round(written.rows / written.cpuSeconds),
      minutePutMsP50: round(median(minutePutMs)),
      minutePutMsMax: round(Math.max(...minutePutMs)),
    },
    read: reads,
  };
}

type Measured = Awaited<ReturnType<typeof measure>>;

function ratios(pg: Measured, lite: Measured) {
  const read: Record<string, number> = {};
  for (const [w, calls] of Object.entries(pg.read))
    for (const [call, r] of Object.entries(calls)) {
      const base = lite.read[w]![call]!;
      read[`${w}.${call}.ms`] = round(r.ms / Math.max(0.01, base.ms), 2);
      read[`${w}.${call}.cpuMs`] = round(r.cpuMs / Math.max(0.01, base.cpuMs), 2);
    }
  return {
    writeRowsPerSec: round(pg.write.rowsPerSec / lite.write.rowsPerSec, 2),
    writeRowsPerCpuSec: round(pg.write.rowsPerCpuSec / lite.write.rowsPerCpuSec, 2),
    read,
  };
}

async function fleet(): Promise<SyntheticFunction[]> {
  const sb = await startSandbox({
    port: 0,
    seed: 7,
    now: () => NOW,
    functionsPerRegion: F,
    regions: [REGION],
  });
  try {
    return syntheticFunctions(sb.account.regions.get(REGION)?.functions.values() ?? []);
  } finally {
    await sb.close();
  }
}

async function main() {
  const fns = await fleet();
  if (fns.length !== F) throw new Error(`expected ${F} functions, got ${fns.length}`);
  const dir = mkdtempSync(path.join(tmpdir(), "fleetscope-store-rollups-"));
  const server = await startPostgres();
  try {
    const results: Partial<Record<DialectName, Measured>> = {};
    for (const dialect of ["sqlite", "postgres"] as const) {
      const db =
        dialect === "sqlite"
          ? openDatabase(`file:${path.join(dir, "rollups.db")}`)
          : openDatabase(await server.createDatabase());
      try {
        results[dialect] = await measure(dialect, db, fns);
      } finally {
        await db.close();
      }
    }
    const { sqlite, postgres } = results as Record<DialectName, Measured>;
    console.log(
      JSON.stringify({
        bench: "store-rollups",
        F,
        minutes: MINUTES,
        hourlyBuckets: HOURS,
        runs: RUNS,
        sqlite,
        postgres,
        postgresOverSqlite: ratios(postgres, sqlite),
      }),
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
