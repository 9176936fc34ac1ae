/**
 * The store's size per function-day at each resolution, measured on what the real collector wrote: an in-process
 * sandbox (default fleet: 40 functions, one region) and the collector share a moving clock for ~2 simulated hours
 * (a tick every 30 s), into a SQLite file. Then, per table and resolution:
 * - bytes per row: the function rows of that resolution copied (repeated with shifted times until ≥ 20,000 rows, in
 *   time order as the collector appends) into a fresh store with the same schema, measured with SQLite's dbstat
 *   (table + its index, pages as allocated). Region rows (fn = "" / log_group = "") and per-version rows are a fixed
 *   cost per region, reported apart. No 6-hour bucket completes in 2 hours, so 6-hour, daily and weekly rows are
 *   rolled up from the collected hours (the tier's row shape; a whole day's histogram may hold a few more buckets).
 * - rows per function-day: the share of buckets with a row (a function not invoked in a minute has no row there)
 *   × buckets a day; bytes per function-day = rows × bytes per row, metrics + logs.
 * - retained per function: 15 d of 1-minute, 63 d of 5-minute, 455 d of hourly and coarser rows (the retention).
 * Also the whole store as store.telemetry.size() reports it. Baseline in the same run: the same fleet with every
 * function invoked about every 3 minutes (peak 0.3/min, no daily dip, no bursts).
 * Usage: npm run bench -- store-size [hours=2]
 * Prints one JSON line: {"bench":"store-size", …}.
 */
import { parseAccountId } from "@/lib/core/accounts";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import type { AccountId } from "@/lib/core/accounts/account-id";
import { DEFAULT_TIMING } from "@/lib/aws/logs";
import { createCollector } from "@/lib/collector/collector";
import { DEFAULT_SETTINGS, resetPublishers } from "@/lib/collector/region";
import {
  addLog,
  addMetric,
  emptyLog,
  emptyMetric,
  REGION_ROW,
  RESOLUTIONS,
  rollUp,
  type Resolution,
} from "@/lib/core/rollup/types";
import { startSandbox } from "@fleetscope/sandbox";
import { migrateSqlite, openDatabase } from "@/lib/store/database";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { collectorPorts, countedStore, round } from "./_collector-rig";

const REGION = "us-east-1";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HOURS = Number(process.argv[2] ?? 2);
const START = Date.UTC(2026, 10, 23, 10, 2, 0);
const TICK_MS = 30_000;
const MIN_ROWS = 20_000;
const TABLES = {
  metric_rollups: { key: "fn", index: "metric_rollups_fn" },
  log_rollups: { key: "log_group", index: "log_rollups_group" },
} as const;
type Table = keyof typeof TABLES;
const log = (m: string) => console.error(m);

/** Function rows only: not the region row, not a version row ("fn:alias:version"). */
const functionRows = (key: string) => `${key} <> '' AND instr(${key}, ':') = 0`;

/** Collects HOURS of simulated time into a file store; returns its path and the fleet size. */
async function collect(dir: string, sparse: boolean): Promise<{ file: string; functions: number }> {
  resetPublishers();
  const clock = { t: START };
  const sb = await startSandbox({ port: 0, seed: 7, now: () => clock.t, regions: [REGION] });
  const fleet = [...(sb.account.regions.get(REGION)?.functions.values() ?? [])];
  if (sparse)
    for (const f of fleet) {
      f.traffic.peakPerMinute = 0.3;
      f.traffic.dailyDip = 0;
      f.traffic.burstChance = 0;
    }
  const file = path.join(dir, `${sparse ? "sparse" : "default"}.db`);
  const db = openDatabase(`file:${file}`);
  const collector = createCollector({
    scopes: () => [{ account: parseAccountId(sb.account.accountId), region: REGION }],
    portsFor: collectorPorts(sb.url, { ...DEFAULT_TIMING, firstPollMs: 20 }),
    store: countedStore(db),
    owner: "bench",
    settings: { horizonMs: 5 * MINUTE },
    tickMs: TICK_MS,
    now: () => clock.t,
    retryPauseMs: 1000,
  });
  try {
    for (const end = START + HOURS * HOUR + 5 * MINUTE; clock.t < end; clock.t += TICK_MS)
      await collector.tick();
  } finally {
    await collector.stop();
    await sb.close();
    await db.close();
  }
  return { file, functions: fleet.length };
}

/**
 * The rows the roll-up would write at `res` from the hourly rows collected in `src`, written through the store
 * into a new file `dest` (no whole 6-hour bucket completes in the run).
 */
async function writeRolledUp(src: string, dest: string, table: Table, res: Resolution): Promise<void> {
  const srcDb = openDatabase(`file:${src}`);
  const destDb = openDatabase(`file:${dest}`);
  try {
    const from = createTelemetryStore(srcDb);
    const to = createTelemetryStore(destDb);
    // The one account the collector ran for (the sandbox's).
    const { rows: accounts } = await sql<{ account: AccountId }>`
      SELECT DISTINCT account FROM metric_rollups`.execute(srcDb.kysely);
    if (accounts.length !== 1) throw new Error(`expected one account's rows, found ${accounts.length}`);
    const scope = { account: accounts[0]!.account, region: REGION };
    if (table === "metric_rollups")
      await to.putMetrics(
        rollUp(
          await from.metricRows(scope, 3600, 0, Number.MAX_SAFE_INTEGER),
          res,
          (r) => r.fn,
          (r, t) => emptyMetric(r, r.fn, res, t),
          addMetric,
        ),
      );
    else
      await to.putLogs(
        rollUp(
          await from.logRows(scope, 3600, 0, Number.MAX_SAFE_INTEGER),
          res,
          (r) => r.logGroup,
          (r, t) => emptyLog(r, r.logGroup, res, t),
          addLog,
        ),
      );
  } finally {
    await srcDb.close();
    await destDb.close();
  }
}

/** Bytes per row of `table`'s function rows at `res`, copied from `src` into a fresh store until ≥ MIN_ROWS. */
async function bytesPerRow(
  src: string,
  table: Table,
  res: Resolution,
): Promise<{ rows: number; bytesPerRow: number | null }> {
  const { key, index } = TABLES[table];
  const rolled = src.replace(/\.db$/, `-rolled-${table}-${res}.db`);
  if (res > 3600) {
    rmSync(rolled, { force: true });
    await writeRolledUp(src, rolled, table, res);
  }
  // A raw connection: ATTACH, temp tables and dbstat('main') of an in-memory copy are SQLite's, not the store's.
  const scratch = new Database(":memory:");
  try {
    migrateSqlite(scratch);
    scratch.prepare("ATTACH DATABASE ? AS src").run(res > 3600 ? rolled : src);
    if (res > 3600) {
      scratch.exec(`CREATE TEMP TABLE one AS SELECT * FROM src.${table} WHERE ${functionRows(key)}`);
    } else {
      scratch
        .prepare(`CREATE TEMP TABLE one AS SELECT * FROM src.${table} WHERE res = ? AND ${functionRows(key)}`)
        .run(res);
    }
    const base = (scratch.prepare("SELECT COUNT(*) AS n, MIN(t) AS lo, MAX(t) AS hi FROM temp.one").get() as {
      n: number;
      lo: number | null;
      hi: number | null;
    }) ?? { n: 0, lo: null, hi: null };
    if (base.n === 0 || base.lo === null || base.hi === null) return { rows: 0, bytesPerRow: null };
    const span = base.hi - base.lo + res * 1000;
    const copies = Math.max(1, Math.ceil(MIN_ROWS / base.n));
    const copy = scratch.prepare(`INSERT INTO main.${table} SELECT * FROM temp.one ORDER BY t`);
    const shift = scratch.prepare("UPDATE temp.one SET t = t + ?");
    scratch.transaction(() => {
      for (let k = 0; k < copies; k++) {
        copy.run();
        shift.run(span);
      }
    })();
    const rows = base.n * copies;
    const bytes = (
      scratch
        .prepare("SELECT SUM(pgsize) AS b FROM dbstat('main') WHERE name IN (?, ?)")
        .get(table, index) as { b: number }
    ).b;
    return { rows: base.n, bytesPerRow: round(bytes / rows) };
  } finally {
    scratch.close();
  }
}

async function measure(file: string, functions: number) {
  const db = new Database(file, { readonly: true });
  try {
    const perRow: Record<string, Record<number, number | null>> = { metric_rollups: {}, log_rollups: {} };
    const presence: Record<string, Record<number, number | null>> = { metric_rollups: {}, log_rollups: {} };
    const otherRowsPerDay: Record<string, Record<number, number | null>> = {
      metric_rollups: {},
      log_rollups: {},
    };
    for (const table of Object.keys(TABLES) as Table[]) {
      const { key } = TABLES[table];
      const source = table === "metric_rollups" ? "metrics" : "logs";
      for (const res of RESOLUTIONS) {
        const m = await bytesPerRow(file, table, res);
        perRow[table]![res] = m.bytesPerRow;
        const cov = db
          .prepare("SELECT from_ms, to_ms FROM rollup_coverage WHERE region = ? AND source = ? AND res = ?")
          .get(REGION, source, res) as { from_ms: number; to_ms: number } | undefined;
        if (res > 3600 || !cov) {
          presence[table]![res] = res > 3600 ? 1 : null;
          continue;
        }
        const buckets = (cov.to_ms - cov.from_ms) / (res * 1000);
        const count = (where: string) =>
          (
            db
              .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE res = ? AND t >= ? AND t < ? AND ${where}`)
              .get(res, cov.from_ms, cov.to_ms) as { n: number }
          ).n;
        presence[table]![res] = round(count(functionRows(key)) / (functions * buckets), 3);
        otherRowsPerDay[table]![res] = round(
          (count(`NOT (${functionRows(key)})`) / buckets) * (86400 / res),
          0,
        );
      }
    }
    const perFunctionDay: Record<number, number | null> = {};
    for (const res of RESOLUTIONS) {
      let bytes = 0;
      for (const table of Object.keys(TABLES) as Table[]) {
        const b = perRow[table]![res];
        const p = presence[table]![res];
        if (b === null || b === undefined || p === null || p === undefined) {
          bytes = Number.NaN;
          break;
        }
        bytes += (86400 / res) * p * b;
      }
      perFunctionDay[res] = Number.isNaN(bytes) ? null : Math.round(bytes);
    }
    const retain = DEFAULT_SETTINGS.retentionMs;
    const days = (res: Resolution) => retain[res] / DAY;
    const retained = Object.fromEntries(
      RESOLUTIONS.map((res) => [
        `${res}s x ${days(res)}d`,
        Math.round((perFunctionDay[res] ?? 0) * days(res)),
      ]),
    );
    const retainedTotal = Object.values(retained).reduce((a, b) => a + b, 0);
    const store = openDatabase(`file:${file}`);
    const size = await createTelemetryStore(store)
      .size()
      .finally(() => store.close());
    // size() splits each table's bytes by row share and leaves its index out; the file's pages by b-tree, whole:
    const byName = db
      .prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC")
      .all() as { name: string; bytes: number }[];
    return {
      F: functions,
      bytesPerRow: perRow,
      rowsPresentShare: presence,
      bytesPerFunctionDay: perFunctionDay,
      retainedPerFunctionBytes: { ...retained, total: retainedTotal },
      retainedMB: {
        perFunction: round(retainedTotal / 1e6, 2),
        F1000: Math.round((retainedTotal * 1000) / 1e6),
        F5000: Math.round((retainedTotal * 5000) / 1e6),
      },
      regionAndVersionRowsPerDay: otherRowsPerDay,
      storeSize: size,
      fileBytesByBtree: Object.fromEntries(
        byName.filter((r) => r.bytes > 8192).map((r) => [r.name, r.bytes]),
      ),
    };
  } finally {
    db.close();
  }
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "fleetscope-store-size-"));
  try {
    const out: Record<string, unknown> = {
      bench: "store-size",
      simulatedHours: HOURS,
      region: REGION,
      regionRowKey: REGION_ROW,
    };
    for (const sparse of [false, true]) {
      const t = performance.now();
      const { file, functions } = await collect(dir, sparse);
      log(
        `${sparse ? "sparse" : "default"}: collected ${HOURS} h in ${Math.round((performance.now() - t) / 1000)} s`,
      );
      out[sparse ? "sparseFleet" : "defaultFleet"] = {
        ...(sparse ? { traffic: "peak 0.3/min, no dip, no bursts" } : { traffic: "sandbox default" }),
        ...(await measure(file, functions)),
      };
    }
    console.log(JSON.stringify(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
