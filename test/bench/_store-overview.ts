/**
 * Server time of the store-backed fleet overview (`loadFleetOverview(…, { source: "store" })`, what `/?range=7d`
 * and `/?range=30d` render) at F = 1,000 and 5,000 functions in one region, on a store of synthetic rollups shaped
 * as the collector writes them (_synthetic-store.ts: what is synthetic and why it reads the same). Every run gets
 * fresh caches, so it recomputes; the store's connection is kept, as in the server. The
 * AWS ports throw: a store-backed view must make no AWS call. p50/p95 over `runs` runs after one first run, and a
 * breakdown of one more run by store method (the rest is assembly: lib/data/telemetry/assemble.ts), and the
 * process's CPU time per view (p50): on a machine shared with other work, wall time measures that work too.
 * Baseline in the same run: today's live path (`source: "live"`, its 25 s Insights deadline) for 7 d at F = 1,000
 * against a sandbox of 1,000 functions in its own process: its time (capped, `--live-cap` seconds, default 300),
 * each panel's time, its AWS requests, and whether the logs panel failed.
 * Targets (issue 10): 7 d and 30 d at F = 1,000 under 300 ms; 30 d at F = 5,000 under 1 s.
 * Usage: npm run bench -- store-overview [runs=15] [--sizes 1000,5000] [--no-live] [--live-cap 300]
 * Prints one JSON line: {"bench":"store-overview", …}.
 */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { createLambdaPort } from "@/lib/aws/lambda";
import { epochMs } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { loadFleetOverview, startFleetOverview } from "@/lib/data/telemetry/overview";
import type { StoreReader } from "@/lib/data/telemetry/store-source";
import { bucketForRange } from "@/lib/core/time/bucket";
import { startSandbox, type Sandbox } from "@fleetscope/sandbox";
import type { Db } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { freePort } from "../e2e/support/ports";
import { startSandboxProcess } from "../e2e/support/sandbox-process";
import { benchDeps } from "./_overview-harness";
import {
  DEFAULT_LAYOUT,
  openSyntheticStore,
  SYNTHETIC_ACCOUNT,
  syntheticFunctions,
  type FillReport,
} from "./_synthetic-store";

const REGION = "us-east-1";
/** Where the synthetic store keeps its rows (read the overview with this account). */
const SYNTHETIC_SCOPE = { account: SYNTHETIC_ACCOUNT, region: REGION };
const DAY = 86_400_000;
/** Mid-slot, as a viewer's clock is: the window's newest edge reads 1- and 5-minute rows. */
const NOW = Date.UTC(2026, 10, 23, 12, 17, 0);
const RANGES = { "7d": 7 * DAY, "30d": 30 * DAY } as const;
const LAYOUT = { now: NOW, ...DEFAULT_LAYOUT };

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const RUNS = Number(process.argv[2]?.startsWith("--") ? 15 : (process.argv[2] ?? 15));
const SIZES = (arg("--sizes") ?? "1000,5000")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const LIVE_BASELINE = !process.argv.includes("--no-live");
const LIVE_CAP_S = Number(arg("--live-cap") ?? 300);
const log = (m: string) => console.error(m);

const round = (n: number) => Math.round(n * 10) / 10;
const rank = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)]!;

const startFleet = (functions: number): Promise<Sandbox> =>
  startSandbox({ port: 0, seed: 7, now: () => NOW, functionsPerRegion: functions, regions: [REGION] });

function bucketOf(range: keyof typeof RANGES) {
  return bucketForRange(
    { kind: "custom", from: epochMs(NOW - RANGES[range]), to: epochMs(NOW) },
    epochMs(NOW),
  );
}

/** The synthetic store for F functions, its inventory listed from a sandbox of the same fleet (filled once, cached). */
function storeFor(functions: number): Promise<{ db: Db; report: FillReport }> {
  return openSyntheticStore(
    "store-overview",
    REGION,
    functions,
    LAYOUT,
    async () => {
      const sb = await startFleet(functions);
      try {
        const lambda = createLambdaPort(
          new LambdaClient({
            endpoint: sb.url,
            region: REGION,
            credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
          }),
          REGION,
        );
        const [configs, account] = await Promise.all([lambda.listFunctions(), lambda.getAccountSettings()]);
        const fns = syntheticFunctions(sb.account.regions.get(REGION)?.functions.values() ?? []);
        return {
          fns,
          inventory: async (db: Db) => {
            const inv = createInventoryStore(db);
            await inv.putConfigs(SYNTHETIC_SCOPE, configs, NOW);
            await inv.putAccount(SYNTHETIC_SCOPE, account, NOW);
          },
        };
      } finally {
        await sb.close();
      }
    },
    log,
  );
}

const noAws = (): never => {
  throw new Error("a store-backed view called AWS");
};

/** Deps for one store-backed view: fresh caches (so it recomputes), the given reader, no AWS. */
const storeDeps = (reader: StoreReader): TelemetryDeps => ({
  lambda: noAws,
  cloudwatch: noAws,
  logs: noAws,
  store: () => reader,
  liveCache: createCache({ ttlMs: 30_000, maxEntries: 100 }),
  settledCache: createCache({ ttlMs: 600_000, maxEntries: 100 }),
  now: () => epochMs(NOW),
  insightsTimeoutMs: 25_000,
});

/**
 * The reader with each call's time, from the call until its promise settles, added to `acc` by method: where a
 * view's time goes. Calls made side by side each count their whole time (on SQLite they queue for its one
 * connection), so `spans` also keeps each call's [start, end]: their union is the time the store was busy.
 */
function timedReader(reader: StoreReader, acc: Map<string, number>, spans: [number, number][]): StoreReader {
  const wrap = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const v = Reflect.get(t, prop, receiver) as unknown;
        if (typeof v !== "function") return v;
        return (...args: unknown[]) => {
          const start = performance.now();
          const done = () => {
            const key = `${prefix}.${String(prop)}`;
            const end = performance.now();
            acc.set(key, (acc.get(key) ?? 0) + end - start);
            spans.push([start, end]);
          };
          const result = (v as (...a: unknown[]) => unknown).apply(t, args);
          if (result instanceof Promise) return result.finally(done);
          done();
          return result;
        };
      },
    });
  return { telemetry: wrap(reader.telemetry, "telemetry"), inventory: wrap(reader.inventory, "inventory") };
}

/** Total length of the union of [start, end] spans. */
function unionMs(spans: [number, number][]): number {
  let total = 0;
  let reach = -Infinity;
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    if (b <= reach) continue;
    total += b - Math.max(a, reach);
    reach = b;
  }
  return total;
}

/** One view: its wall time, and this process's CPU time for it (SQLite runs in this process). */
async function view(reader: StoreReader, range: keyof typeof RANGES) {
  const deps = storeDeps(reader);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const o = await loadFleetOverview([SYNTHETIC_SCOPE], bucketOf(range), deps, { source: "store" });
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, o };
}

async function measureStore(functions: number) {
  const { db, report } = await storeFor(functions);
  try {
    const reader: StoreReader = { telemetry: createTelemetryStore(db), inventory: createInventoryStore(db) };
    const ranges: Record<string, unknown> = {};
    for (const range of Object.keys(RANGES) as (keyof typeof RANGES)[]) {
      const first = await view(reader, range);
      const times: number[] = [];
      const cpuTimes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const run = await view(reader, range);
        times.push(run.ms);
        cpuTimes.push(run.cpuMs);
      }
      const acc = new Map<string, number>();
      const spans: [number, number][] = [];
      const profiled = performance.now();
      await loadFleetOverview(
        [SYNTHETIC_SCOPE],
        bucketOf(range),
        storeDeps(timedReader(reader, acc, spans)),
        {
          source: "store",
        },
      );
      const profiledMs = performance.now() - profiled;
      const inStore = unionMs(spans);
      const { o } = first;
      const rows = o.table.rows;
      const coverage = o.table.status.coverage;
      ranges[range] = {
        period: o.bucket.period,
        firstMs: round(first.ms),
        p50Ms: round(rank(times, 0.5)),
        p95Ms: round(rank(times, 0.95)),
        cpuP50Ms: round(rank(cpuTimes, 0.5)),
        runs: times.length,
        profileMs: {
          total: round(profiledMs),
          ...Object.fromEntries([...acc].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v)])),
          storeBusy: round(inStore),
          assemblyAndRest: round(profiledMs - inStore),
        },
        sanity: {
          rows: rows.length,
          rowsWithColdStartRate: rows.filter((r) => r.coldStartRate !== null).length,
          rowsWithMaxMemory: rows.filter((r) => r.maxMemoryUsed !== null).length,
          failures: [o.metrics.failures, o.coldStarts.failures, o.table.failures].flat().length,
          coveredShare: coverage.map(
            (c) => `${c.source} ${round((100 * c.coveredMs) / (o.bucket.end - o.bucket.start))}%`,
          ),
        },
      };
      log(`F=${functions} ${range}: ${JSON.stringify(ranges[range])}`);
    }
    return {
      F: functions,
      store: {
        reused: report.reused,
        fillSeconds: report.fillSeconds,
        fileMB: Math.round(report.fileBytes / 1e6),
        rows: Object.fromEntries(report.rows.map((r) => [`${r.table}@${r.res}`, r.rows])),
      },
      ...ranges,
    };
  } finally {
    await db.close();
  }
}

/** Each call of a port's methods: when it started and ended (ms since `t0`) and how it ended. */
interface Call {
  call: string;
  startMs: number;
  endMs: number;
  outcome: string;
}

function recorded<T extends object>(port: T, name: string, t0: number, calls: Call[]): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== "function") return v;
      return async (...args: unknown[]) => {
        const startMs = Math.round(performance.now() - t0);
        const done = (outcome: string) =>
          calls.push({
            call: `${name}.${String(prop)}`,
            startMs,
            endMs: Math.round(performance.now() - t0),
            outcome,
          });
        try {
          const r = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          done("ok");
          return r;
        } catch (e) {
          done(
            e instanceof Error
              ? `${(e as { code?: string }).code ?? e.name}: ${e.message.slice(0, 120)}`
              : "error",
          );
          throw e;
        }
      };
    },
  });
}

/**
 * Today's live path for 7 d at F = 1,000: one refresh, fresh caches, the server's 25 s Insights deadline, against a
 * sandbox of 1,000 functions in its own process (`npm run sandbox -- --functions 1000`, real clock, node's default
 * heap): in this process its simulation of a week of the fleet would share the event loop with the view. Capped at
 * LIVE_CAP_S; each AWS call's time and outcome are recorded, and whether the sandbox process survived.
 */
async function measureLive() {
  const sandbox = await startSandboxProcess(await freePort(), REGION, 7, ["--functions", "1000"]);
  const calls: Call[] = [];
  let sandboxDiedAtMs: number | null = null;
  const t0 = performance.now();
  const alive = setInterval(() => {
    try {
      if (sandbox.pid !== undefined) process.kill(sandbox.pid, 0);
    } catch {
      sandboxDiedAtMs ??= Math.round(performance.now() - t0);
    }
  }, 1000);
  try {
    const now = Date.now();
    const base = benchDeps(sandbox);
    const deps: TelemetryDeps = {
      ...base,
      lambda: (r) => recorded(base.lambda(r), "lambda", t0, calls),
      cloudwatch: (r) => recorded(base.cloudwatch(r), "cloudwatch", t0, calls),
      logs: (r) => recorded(base.logs(r), "logs", t0, calls),
      now: () => epochMs(now),
      insightsTimeoutMs: 25_000,
    };
    await fetch(`${sandbox.url}/_sandbox/stats/reset`, { method: "POST" });
    const t = performance.now();
    const o = startFleetOverview(
      [SYNTHETIC_SCOPE],
      bucketForRange({ kind: "custom", from: epochMs(now - RANGES["7d"]), to: epochMs(now) }, epochMs(now)),
      deps,
      {
        source: "live",
      },
    );
    const capped = new Promise<null>((resolve) => setTimeout(() => resolve(null), LIVE_CAP_S * 1000).unref());
    const done = await Promise.race([Promise.all([o.metrics, o.coldStarts, o.table]), capped]);
    const ms = performance.now() - t;
    let stats: Record<string, number> | null = null;
    try {
      stats = (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as Record<string, number>;
    } catch {
      stats = null; // The sandbox process is gone.
    }
    const result = {
      F: 1000,
      range: "7d",
      sandbox: "own process, real clock, default heap",
      completed: done !== null,
      ms: Math.round(ms),
      sandboxDiedAtMs,
      awsCalls: calls,
      awsRequests: stats ? Object.values(stats).reduce((a, b) => a + b, 0) : null,
      byOperation: stats,
    };
    if (done === null) return { ...result, note: `not complete after the ${LIVE_CAP_S} s cap` };
    const [metrics, coldStarts, table] = done;
    const failures = [metrics.failures, coldStarts.failures, table.failures].flat();
    const logs = failures.find((f) => f.source === "logs");
    return {
      ...result,
      logsPanelFailed: logs !== undefined,
      logsError: logs ? `${logs.error.code}: ${logs.error.message}` : null,
      failures: [...new Set(failures.map((f) => `${f.source}: ${f.error.code}`))],
      rows: table.rows.length,
      rowsWithInvocations: table.rows.filter((r) => r.invocations !== null).length,
      rowsWithColdStartRate: table.rows.filter((r) => r.coldStartRate !== null).length,
    };
  } finally {
    clearInterval(alive);
    await sandbox.stop();
  }
}

async function main() {
  const sizes: Awaited<ReturnType<typeof measureStore>>[] = [];
  for (const F of SIZES) sizes.push(await measureStore(F));
  const live = LIVE_BASELINE ? await measureLive() : null;
  if (live) log(`live: ${JSON.stringify(live)}`);
  const at = (F: number, range: string) =>
    (sizes.find((s) => s.F === F) as Record<string, { p50Ms: number; p95Ms: number }> | undefined)?.[range];
  const targets = {
    "F1000 7d p95 < 300 ms": at(1000, "7d") ? at(1000, "7d")!.p95Ms < 300 : null,
    "F1000 30d p95 < 300 ms": at(1000, "30d") ? at(1000, "30d")!.p95Ms < 300 : null,
    "F5000 30d p95 < 1000 ms": at(5000, "30d") ? at(5000, "30d")!.p95Ms < 1000 : null,
  };
  console.log(
    JSON.stringify({
      bench: "store-overview",
      now: new Date(NOW).toISOString(),
      layout: DEFAULT_LAYOUT,
      runs: RUNS,
      sizes,
      live,
      speedup7dF1000:
        live && at(1000, "7d")
          ? `${live.completed ? "" : "> "}${Math.round(live.ms / Math.max(0.1, at(1000, "7d")!.p50Ms))}x`
          : null,
      targets,
    }),
  );
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
