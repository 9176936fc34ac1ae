/**
 * What collecting costs AWS per hour at F = 1,000 functions (one region), and what views add to it: an in-process
 * sandbox and the real collector share a moving clock. Once the collector is caught up (backfill horizon 15 min,
 * every function's details read), the clock moves 60 minutes in steady state, a tick every 30 s, and we report:
 * - AWS requests in that hour by operation, counted at the sandbox (GetQueryResults depends on polling: the bench
 *   polls every 20 ms at first, the console's background timing every second);
 * - Insights bytes scanned in that hour, from the store's collector_costs ledger, against the bytes the simulated
 *   fleet wrote: one `stats count(*)` over exactly the minutes the collector read in that hour, every log group
 *   (its bytesScanned is the bytes of every line in the window). Target: ratio ≤ 1.1.
 * - Views read the store: during the hour one 24 h overview per tick (a viewer on 30 s auto-refresh: 120 loads),
 *   and every 6 minutes 50 concurrent 24 h viewers and one 7 d view, each with fresh caches and AWS ports wired to
 *   the sandbox — its counters must not move while they run.
 * Baseline in the same run: ONE live overview refresh of a 1 h range at F = 1,000 (InsightsResult.bytesScanned
 * summed, requests counted at the sandbox), scaled ×24 and ×168 to the 24 h and 7 d windows (an Insights query scans
 * every byte of its window; a scaled figure, not a measured one) and ×120 refreshes an hour.
 * Usage: npm run bench -- collector-cost [F=1000]
 * Prints one JSON line: {"bench":"collector-cost", …}.
 */
import { DEFAULT_TIMING, type InsightsResult, type LogsPort } from "@/lib/aws/logs";
import { createCollector } from "@/lib/collector/collector";
import { DEFAULT_SETTINGS, resetPublishers, type CollectorSettings } from "@/lib/collector/region";
import { epochMs } from "@/lib/core/units";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { loadFleetOverview } from "@/lib/data/telemetry/overview";
import { bucketForRange } from "@/lib/core/time/bucket";
import { startSandbox } from "@fleetscope/sandbox";
import { openDatabase } from "@/lib/store/database";
import {
  benchScope,
  caughtUp,
  collectorPorts,
  countedStore,
  detailsComplete,
  diffStats,
  round,
  total,
} from "./_collector-rig";
import { benchDeps } from "./_overview-harness";

const F = Number(process.argv[2] ?? 1000);
const REGION = "us-east-1";
const SCOPE = benchScope(REGION);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2026, 10, 23, 12, 0, 0);
const TICK_MS = 30_000;
const SETTINGS: Partial<CollectorSettings> = { horizonMs: 15 * MINUTE };
const log = (m: string) => console.error(m);

async function main() {
  resetPublishers();
  const clock = { t: START };
  const sb = await startSandbox({
    port: 0,
    seed: 7,
    now: () => clock.t,
    functionsPerRegion: F,
    regions: [REGION],
  });
  const db = openDatabase(":memory:");
  const store = countedStore(db);
  const settings = { ...DEFAULT_SETTINGS, ...SETTINGS };
  const collector = createCollector({
    scopes: () => [SCOPE],
    portsFor: collectorPorts(sb.url, { ...DEFAULT_TIMING, firstPollMs: 20 }),
    store,
    owner: "bench",
    settings: SETTINGS,
    tickMs: TICK_MS,
    now: () => clock.t,
    retryPauseMs: 1000,
  });
  try {
    // Catch up: backfill to the horizon, the forward edge, and every function's details (the inventory's sweep).
    const catchUpStarted = performance.now();
    let catchUpTicks = 0;
    for (;;) {
      await collector.tick();
      catchUpTicks++;
      if (
        (await caughtUp(store, SCOPE, settings, clock.t)) &&
        (await detailsComplete(store.inventory, SCOPE))
      )
        break;
      if (catchUpTicks > 400) throw new Error("collector did not catch up in 400 ticks");
      clock.t += TICK_MS;
    }
    log(
      `caught up after ${catchUpTicks} ticks (${Math.round((performance.now() - catchUpStarted) / 1000)} s)`,
    );

    const costsBefore = await store.telemetry.costs(0);
    const logsFrom = (await store.telemetry.coverage(SCOPE, "logs", 60))!.to;
    const hourStart = clock.t;
    sb.resetStats();
    const written0 = { ...store.written };

    const viewDeps = (): TelemetryDeps => ({ ...benchDeps(sb, undefined, db), now: () => epochMs(clock.t) });
    const bucket = (ms: number) =>
      bucketForRange({ kind: "custom", from: epochMs(clock.t - ms), to: epochMs(clock.t) }, epochMs(clock.t));
    const views = {
      loads24h: 0,
      loads24hFiftyViewers: 0,
      loads7d: 0,
      awsRequestsDuringViews: 0,
      ms: [] as number[],
    };
    const view = async (range: number, viewers: number) => {
      const before = sb.stats();
      const t = performance.now();
      const loaded = await Promise.all(
        Array.from({ length: viewers }, () =>
          loadFleetOverview([SCOPE], bucket(range), viewDeps(), { source: "store" }),
        ),
      );
      views.ms.push((performance.now() - t) / viewers);
      views.awsRequestsDuringViews += total(diffStats(sb.stats(), before));
      if (loaded.some((o) => o.table.rows.length !== F))
        throw new Error("a store-backed view lost functions");
    };

    const tickMs: number[] = [];
    for (let i = 0; i < HOUR / TICK_MS; i++) {
      clock.t += TICK_MS;
      const t = performance.now();
      await collector.tick();
      tickMs.push(performance.now() - t);
      await view(24 * HOUR, 1);
      views.loads24h++;
      if (i % 12 === 0) {
        await view(24 * HOUR, 50);
        views.loads24hFiftyViewers += 50;
        await view(7 * 24 * HOUR, 1);
        views.loads7d++;
      }
    }
    const hourStats = sb.stats();
    const written = {
      metrics: store.written.metrics - written0.metrics,
      logs: store.written.logs - written0.logs,
    };
    const logsTo = (await store.telemetry.coverage(SCOPE, "logs", 60))!.to;
    const costsAfter = await store.telemetry.costs(0);
    const ledger = (source: string) => {
      const sum = (rows: typeof costsBefore) =>
        rows
          .filter((r) => r.source === source)
          .reduce((a, r) => ({ requests: a.requests + r.requests, bytes: a.bytes + r.bytesScanned }), {
            requests: 0,
            bytes: 0,
          });
      const after = sum(costsAfter);
      const before = sum(costsBefore);
      return { requests: after.requests - before.requests, bytes: after.bytes - before.bytes };
    };
    const ledgerLogs = ledger("logs");
    const ledgerMetrics = ledger("metrics");

    // What the fleet wrote in the minutes the collector read this hour: every line, every group.
    const ports = collectorPorts(sb.url, { ...DEFAULT_TIMING, firstPollMs: 20 })(REGION);
    const groups = [...new Set((await store.inventory.functions(SCOPE)).map((e) => e.config.logGroup))];
    const wrote = await ports.logs.runInsights(
      "stats count(*) as lines",
      groups,
      { start: epochMs(logsFrom), end: epochMs(logsTo) },
      { timeoutMs: 10 * MINUTE },
    );
    const fleetBytes = wrote.bytesScanned;
    const fleetLines = wrote.rows.reduce((a, r) => a + Number(r.lines ?? 0), 0);

    // Baseline: one live refresh of a 1 h range, its Insights bytes summed at the port.
    let liveBytes = 0;
    const liveDeps = benchDeps(sb);
    const countingLogs = (port: LogsPort): LogsPort => ({
      region: port.region,
      filterLogEvents: (...a) => port.filterLogEvents(...a),
      runInsights: async (...a): Promise<InsightsResult> => {
        const r = await port.runInsights(...a);
        liveBytes += r.bytesScanned;
        return r;
      },
    });
    const live: TelemetryDeps = {
      ...liveDeps,
      logs: (region) => countingLogs(liveDeps.logs(region)),
      now: () => epochMs(clock.t),
      insightsTimeoutMs: 25_000,
    };
    const liveBefore = sb.stats();
    const liveStarted = performance.now();
    const liveView = await loadFleetOverview([SCOPE], bucket(HOUR), live, { source: "live" });
    const liveMs = performance.now() - liveStarted;
    const liveStats = diffStats(sb.stats(), liveBefore);
    const liveFailures = [
      liveView.metrics.failures,
      liveView.coldStarts.failures,
      liveView.table.failures,
    ].flat();
    const liveRequests = total(liveStats);
    const refreshesPerHour = HOUR / 30_000;

    const collectorBytesPerHour = ledgerLogs.bytes;
    const sorted = [...tickMs].sort((a, b) => a - b);
    const viewSorted = [...views.ms].sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        bench: "collector-cost",
        F,
        simulatedMinutes: (clock.t - hourStart) / MINUTE,
        tickEverySimulatedS: TICK_MS / 1000,
        catchUpTicks,
        collector: {
          awsRequestsPerHour: total(hourStats),
          byOperation: hourStats,
          ledger: { metrics: ledgerMetrics, logs: ledgerLogs },
          insightsBytesPerHour: collectorBytesPerHour,
          insightsGBPerHour: round(collectorBytesPerHour / 1e9, 4),
          rowsWrittenPerHour: written,
          tickRealMs: {
            p50: Math.round(sorted[Math.floor(sorted.length / 2)]!),
            max: Math.round(sorted.at(-1)!),
          },
        },
        fleetWrote: {
          windowMinutes: (logsTo - logsFrom) / MINUTE,
          bytes: fleetBytes,
          lines: fleetLines,
          logGroups: groups.length,
        },
        bytesRatio: round(collectorBytesPerHour / Math.max(1, fleetBytes), 3),
        views: {
          loads24h: views.loads24h,
          loads24hFiftyViewers: views.loads24hFiftyViewers,
          loads7d: views.loads7d,
          awsRequestsDuringViews: views.awsRequestsDuringViews,
          msPerLoadP50: round(viewSorted[Math.floor(viewSorted.length / 2)]!),
        },
        liveBaseline: {
          oneRefresh1h: {
            ms: Math.round(liveMs),
            bytesScanned: liveBytes,
            awsRequests: liveRequests,
            byOperation: liveStats,
            failures: liveFailures.map((f) => `${f.source}: ${f.error.code}`),
          },
          scaled: "bytes of a 1 h refresh × (window / 1 h) × 120 refreshes an hour (30 s auto-refresh)",
          view24hBytesPerHour: liveBytes * 24 * refreshesPerHour,
          view7dBytesPerHour: liveBytes * 168 * refreshesPerHour,
          requestsPerHour: liveRequests * refreshesPerHour,
          ratioToFleetBytes24h: round((liveBytes * 24 * refreshesPerHour) / Math.max(1, fleetBytes)),
          ratioToFleetBytes7d: round((liveBytes * 168 * refreshesPerHour) / Math.max(1, fleetBytes)),
        },
        targets: { "bytesRatio <= 1.1": collectorBytesPerHour / Math.max(1, fleetBytes) <= 1.1 },
      }),
    );
  } finally {
    await collector.stop();
    await sb.close();
    db.close();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
