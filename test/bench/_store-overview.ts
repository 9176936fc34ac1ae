/**
 * Server time of the store-backed fleet overview (`loadFleetOverview(…, { source: "store" })`, what `/?range=7d`
 * and `/?range=30d` render) at F = 1,000 and 5,000 functions in one region, on a store of synthetic rollups shaped
 * as the collector writes them (_synthetic-store.ts: what is synthetic and why it reads the same). Every run gets
 * fresh caches, so it recomputes; the store's connection and prepared statements are kept, as in the server. The
 * AWS ports throw: a store-backed view must make no AWS call. p50/p95 over `runs` runs after one first run, and a
 * breakdown of one more run by store method (the rest is assembly: lib/data/telemetry/assemble.ts).
 * Baseline in the same run: today's live path (`source: "live"`, its 25 s Insights deadline) for 7 d at F = 1,000
 * against an in-process sandbox of 1,000 functions (sandbox and console share this process, as in
 * overview-requests): its time, AWS requests, and whether the logs panel failed.
 * Targets (issue 10): 7 d and 30 d at F = 1,000 under 300 ms; 30 d at F = 5,000 under 1 s.
 * Usage: npm run bench -- store-overview [runs=15] [--sizes 1000,5000] [--no-live]
 * Prints one JSON line: {"bench":"store-overview", …}.
 */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { createLambdaPort } from "@/lib/aws/lambda";
import { epochMs } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { loadFleetOverview } from "@/lib/data/telemetry/overview";
import type { StoreReader } from "@/lib/data/telemetry/store-source";
import { bucketForWindow } from "@/lib/data/telemetry/window";
import { startSandbox, type Sandbox } from "@/lib/sandbox";
import type { Db } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { benchDeps, pick } from "./_overview-harness";
import { DEFAULT_LAYOUT, openSyntheticStore, syntheticFunctions, type FillReport } from "./_synthetic-store";

const REGION = "us-east-1";
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
const SIZES = (arg("--sizes") ?? "1000,5000").split(",").map(Number);
const LIVE_BASELINE = !process.argv.includes("--no-live");
const log = (m: string) => console.error(m);

const round = (n: number) => Math.round(n * 10) / 10;
const rank = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)]!;

const startFleet = (functions: number): Promise<Sandbox> =>
  startSandbox({ port: 0, seed: 7, now: () => NOW, functionsPerRegion: functions, regions: [REGION] });

function bucketOf(range: keyof typeof RANGES) {
  return bucketForWindow(NOW - RANGES[range], NOW, epochMs(NOW));
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
          inventory: (db: Db) => {
            const inv = createInventoryStore(db);
            inv.putConfigs(REGION, configs, NOW);
            inv.putAccount(REGION, account, NOW);
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

/** The reader with each call's time added to `acc` by method: where a view's time goes. */
function timedReader(reader: StoreReader, acc: Map<string, number>): StoreReader {
  const wrap = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const v = Reflect.get(t, prop, receiver) as unknown;
        if (typeof v !== "function") return v;
        return (...args: unknown[]) => {
          const start = performance.now();
          try {
            return (v as (...a: unknown[]) => unknown).apply(t, args);
          } finally {
            const key = `${prefix}.${String(prop)}`;
            acc.set(key, (acc.get(key) ?? 0) + performance.now() - start);
          }
        };
      },
    });
  return { telemetry: wrap(reader.telemetry, "telemetry"), inventory: wrap(reader.inventory, "inventory") };
}

async function view(reader: StoreReader, range: keyof typeof RANGES) {
  const deps = storeDeps(reader);
  const t = performance.now();
  const o = await loadFleetOverview([REGION], bucketOf(range), deps, { source: "store" });
  return { ms: performance.now() - t, o };
}

async function measureStore(functions: number) {
  const { db, report } = await storeFor(functions);
  try {
    const reader: StoreReader = { telemetry: createTelemetryStore(db), inventory: createInventoryStore(db) };
    const ranges: Record<string, unknown> = {};
    for (const range of Object.keys(RANGES) as (keyof typeof RANGES)[]) {
      const first = await view(reader, range);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push((await view(reader, range)).ms);
      const acc = new Map<string, number>();
      const profiled = performance.now();
      await loadFleetOverview([REGION], bucketOf(range), storeDeps(timedReader(reader, acc)), {
        source: "store",
      });
      const profiledMs = performance.now() - profiled;
      const inStore = [...acc.values()].reduce((a, b) => a + b, 0);
      const { o } = first;
      const rows = o.table.rows;
      const coverage = o.table.status.coverage;
      ranges[range] = {
        period: o.bucket.period,
        firstMs: round(first.ms),
        p50Ms: round(rank(times, 0.5)),
        p95Ms: round(rank(times, 0.95)),
        runs: times.length,
        profileMs: {
          total: round(profiledMs),
          ...Object.fromEntries([...acc].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v)])),
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
    db.close();
  }
}

/** Today's live path for 7 d at F = 1,000: one refresh, fresh caches, the server's 25 s Insights deadline. */
async function measureLive() {
  const sb = await startFleet(1000);
  try {
    const deps: TelemetryDeps = { ...benchDeps(sb), now: () => epochMs(NOW), insightsTimeoutMs: 25_000 };
    sb.resetStats();
    const t = performance.now();
    const o = await loadFleetOverview([REGION], bucketOf("7d"), deps, { source: "live" });
    const ms = performance.now() - t;
    const s = sb.stats();
    const failures = [o.metrics.failures, o.coldStarts.failures, o.table.failures].flat();
    const logs = failures.find((f) => f.source === "logs");
    return {
      F: 1000,
      range: "7d",
      ms: Math.round(ms),
      logsPanelFailed: logs !== undefined,
      logsError: logs?.error.code ?? null,
      failures: [...new Set(failures.map((f) => `${f.source}: ${f.error.code}`))],
      rows: o.table.rows.length,
      rowsWithColdStartRate: o.table.rows.filter((r) => r.coldStartRate !== null).length,
      awsRequests: Object.values(s).reduce((a, b) => a + b, 0),
      getMetricData: pick(s, "monitoring.GetMetricData"),
      startQuery: pick(s, "logs.StartQuery"),
      getQueryResults: pick(s, "logs.GetQueryResults"),
    };
  } finally {
    await sb.close();
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
        live && at(1000, "7d") ? Math.round(live.ms / Math.max(0.1, at(1000, "7d")!.p50Ms)) : null,
      targets,
    }),
  );
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
