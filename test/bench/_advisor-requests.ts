/**
 * AWS requests of one whole-fleet Advisor run vs one fleet-overview refresh, same sandbox, same window, counted
 * at the sandbox (`/_sandbox/stats`). The Advisor must cost no more than the overview.
 * Usage: npm run bench -- advisor-requests [F,F,…] [minutes]   (default 100,1000 and 15; 10080 is the Advisor's
 * own 7-day window, for which both sides read the same whole-day window)
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { createMetricListPort } from "@/lib/aws/cloudwatch-list-metrics";
import { BACKGROUND_TIMING, createLogsPort } from "@/lib/aws/logs";
import { DEFAULT_THRESHOLDS } from "@/lib/core/advisor";
import { advisorWindow, getFleetAdvice } from "@/lib/data/advisor";
import { FUNCTION_METRICS as ADVISOR_METRICS } from "@/lib/data/advisor/plan";
import { loadFleetOverview } from "@/lib/data/telemetry/overview";
import { openDatabase } from "@/lib/store/database";
import { createVersionConfigStore, memoizedVersionConfigs } from "@/lib/store/version-configs";
import { LIVE, NOW, benchBucket, benchDeps, benchScopes, pick, startBenchSandbox } from "./_overview-harness";

const sizes = (process.argv[2] ?? "100,1000").split(",").map(Number);
const RANGE_MINUTES = Number(process.argv[3] ?? 15);
const ADVISOR_WINDOW = advisorWindow(NOW, RANGE_MINUTES / 1440);
const WINDOW_MINUTES = (ADVISOR_WINDOW.end - ADVISOR_WINDOW.start) / 60_000;

const summarise = (s: Record<string, number>) => ({
  total: Object.values(s).reduce((a, b) => a + b, 0),
  getMetricData: pick(s, "monitoring.GetMetricData"),
  startQuery: pick(s, "logs.StartQuery"),
  getQueryResults: pick(s, "logs.GetQueryResults"),
  lambda: Object.entries(s)
    .filter(([k]) => k.startsWith("lambda."))
    .reduce((a, [, v]) => a + v, 0),
  byOperation: s,
});

async function main() {
  const results = [];
  for (const F of sizes) {
    const sb = await startBenchSandbox(F);
    try {
      sb.resetStats();
      let t = performance.now();
      await loadFleetOverview(benchScopes(sb), benchBucket(WINDOW_MINUTES), benchDeps(sb), LIVE);
      const overviewMs = performance.now() - t;
      const overview = summarise(sb.stats());

      const d = benchDeps(sb);
      const client = (region: string) => ({
        endpoint: sb.url,
        region,
        credentials: { accessKeyId: "b", secretAccessKey: "b" },
      });
      // The console's database, empty: this is the first run ever against this account.
      const versionStore = createVersionConfigStore(openDatabase(":memory:"));
      sb.resetStats();
      t = performance.now();
      // The sandbox's one account, read with the console's own credentials.
      const advised = benchScopes(sb).map(({ account, region }) => ({
        target: {
          id: account,
          name: null,
          source: "home" as const,
          roleArn: null,
          externalId: null,
          telemetry: "direct" as const,
        },
        region,
      }));
      const deps = {
        // The live path: what this benchmark has measured since before the store existed.
        source: "live" as const,
        ports: (r: string) => ({
          lambda: d.lambda(r),
          cloudwatch: d.cloudwatch(r),
          // As the Advisor's own ports poll Insights (lib/data/advisor defaultAdvisorDeps): gently.
          logs: createLogsPort(new CloudWatchLogsClient(client(r)), r, BACKGROUND_TIMING),
          metricList: createMetricListPort(new CloudWatchClient(client(r)), r),
        }),
        thresholds: () => DEFAULT_THRESHOLDS,
        cache: null,
        collect: { insightsDeadlineMs: 600_000, versionConfigs: memoizedVersionConfigs(versionStore) },
      };
      // First runs ever: the published-version inventory is spread over runs (version-inventory.ts). Run
      // until it is complete, as the console does every 15 minutes.
      const firstRuns: (ReturnType<typeof summarise> & { ms: number; unreadVersions: boolean })[] = [];
      let flags = 0;
      let partial: string[] = [];
      for (let run = 0; run < 12; run++) {
        sb.resetStats();
        t = performance.now();
        const advice = await getFleetAdvice(advised, ADVISOR_WINDOW, deps);
        const messages = advice.regions.map((r) => r.message ?? "").filter(Boolean);
        const unreadVersions = messages.some((m) => m.includes("not read yet"));
        firstRuns.push({ ...summarise(sb.stats()), ms: Math.round(performance.now() - t), unreadVersions });
        flags = advice.flags.length;
        partial = messages;
        if (!unreadVersions) break;
      }
      // A refresh in the same process once the inventory is complete (every 15 minutes in the console).
      sb.resetStats();
      await getFleetAdvice(advised, ADVISOR_WINDOW, deps);
      const refresh = summarise(sb.stats());
      // A restarted console: empty memory, the same database (published versions are immutable).
      sb.resetStats();
      await getFleetAdvice(advised, ADVISOR_WINDOW, {
        ...deps,
        collect: { ...deps.collect, versionConfigs: memoizedVersionConfigs(versionStore) },
      });
      const restarted = summarise(sb.stats());
      const worst = Math.max(...firstRuns.map((r) => r.total), refresh.total, restarted.total);
      const ratio = (n: number) => +(n / Math.max(1, overview.total)).toFixed(2);
      results.push({
        F,
        flags,
        advisorPartialAtEnd: partial,
        advisorMetricsQueriesPerFunction: ADVISOR_METRICS.length,
        overview: { ...overview, ms: Math.round(overviewMs) },
        advisorFirstRuns: firstRuns,
        runsUntilInventoryComplete: firstRuns.length,
        advisorRefresh: refresh,
        advisorAfterRestart: restarted,
        firstRunsOverOverviewTotal: firstRuns.map((r) => ratio(r.total)),
        refreshOverOverviewTotal: ratio(refresh.total),
        restartOverOverviewTotal: ratio(restarted.total),
        worstRunOverOverviewTotal: ratio(worst),
        everyRunWithinBudget: worst <= overview.total,
      });
    } finally {
      await sb.close();
    }
    console.error(JSON.stringify(results.at(-1)));
  }
  console.log(JSON.stringify({ bench: "advisor-requests", rangeMinutes: WINDOW_MINUTES, sizes: results }));
}

void main();
