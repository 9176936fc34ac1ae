/**
 * AWS requests of one fleet-overview refresh, counted at the sandbox (`/_sandbox/stats`), for F functions, vs the
 * AWS console's approach of one metrics request per function per metric and one Insights query per function.
 * Also: 50 concurrent viewers of the same overview vs one (fresh caches each time).
 * Usage: npm run bench -- overview-requests [F,F,…]   (default 10,100,1000,5000)
 */
import { FUNCTION_METRICS, FLEET_SERIES } from "@/lib/data/telemetry/plan";
import { loadFleetOverview } from "@/lib/data/telemetry/overview";
import { LIVE, benchBucket, benchDeps, benchScopes, pick, startBenchSandbox } from "./_overview-harness";

const sizes = (process.argv[2] ?? "10,100,1000,5000").split(",").map(Number);
const METRICS = FUNCTION_METRICS.length;

async function main() {
  const results = [];
  let viewers: Record<string, number> | null = null;
  for (const F of sizes) {
    const sb = await startBenchSandbox(F);
    try {
      const bucket = benchBucket(15);
      sb.resetStats();
      const t = performance.now();
      const o = await loadFleetOverview(benchScopes(sb), bucket, benchDeps(sb), LIVE);
      const ms = performance.now() - t;
      const s = sb.stats();
      const metrics = pick(s, "monitoring.GetMetricData");
      const insights = pick(s, "logs.StartQuery");
      const total = Object.values(s).reduce((a, b) => a + b, 0);
      const naiveMetrics = F * METRICS + FLEET_SERIES.length;
      const naiveInsights = F;
      const naiveTotal =
        naiveMetrics + naiveInsights + pick(s, "lambda.ListFunctions") + pick(s, "lambda.GetAccountSettings");
      const failed = [o.metrics.failures, o.coldStarts.failures, o.table.failures].flat().length;
      results.push({
        F,
        rows: o.table.rows.length,
        failedSources: failed,
        getMetricData: metrics,
        metricsBound: Math.ceil((F * METRICS + FLEET_SERIES.length) / 500),
        startQuery: insights,
        insightsBound: Math.ceil(F / 50) + 1,
        getQueryResults: pick(s, "logs.GetQueryResults"),
        listFunctions: pick(s, "lambda.ListFunctions"),
        totalRequests: total,
        naiveMetricsRequests: naiveMetrics,
        naiveInsightsQueries: naiveInsights,
        ratioMetrics: +(naiveMetrics / Math.max(1, metrics)).toFixed(1),
        ratioTotal: +(naiveTotal / Math.max(1, total - pick(s, "logs.GetQueryResults"))).toFixed(1),
        refreshMs: Math.round(ms),
      });
      if (F === (sizes.includes(100) ? 100 : sizes[0])) {
        // 50 viewers at once, fresh caches: the coalescing cache must make them cost what one costs.
        const deps = benchDeps(sb);
        sb.resetStats();
        await loadFleetOverview(benchScopes(sb), bucket, deps, LIVE);
        const one = sb.stats();
        const deps50 = benchDeps(sb);
        sb.resetStats();
        await Promise.all(
          Array.from({ length: 50 }, () => loadFleetOverview(benchScopes(sb), bucket, deps50, LIVE)),
        );
        const fifty = sb.stats();
        // GetQueryResults polls depend on how long the sandbox takes to finish a query, not on the viewers.
        const work = (s: Record<string, number>) =>
          Object.entries(s).reduce((a, [k, v]) => (k === "logs.GetQueryResults" ? a : a + v), 0);
        viewers = {
          F,
          oneViewerRequests: work(one),
          fiftyViewersRequests: work(fifty),
          oneViewerPolls: pick(one, "logs.GetQueryResults"),
          fiftyViewersPolls: pick(fifty, "logs.GetQueryResults"),
        };
      }
    } finally {
      await sb.close();
    }
    console.error(JSON.stringify(results.at(-1)));
  }
  console.log(JSON.stringify({ bench: "overview-requests", rangeMinutes: 15, sizes: results, viewers }));
}

void main();
