/**
 * AWS requests of one whole-fleet Advisor run vs one fleet-overview refresh, same sandbox, same window, counted
 * at the sandbox (`/_sandbox/stats`). The Advisor must cost no more than the overview.
 * Usage: npm run bench -- advisor-requests [F,F,…] [minutes]   (default 100,1000 and 15; 10080 is the Advisor's
 * own 7-day window, for which both sides read the same whole-day window)
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { createMetricListPort } from "@/lib/aws/cloudwatch-list-metrics";
import { DEFAULT_THRESHOLDS } from "@/lib/core/advisor";
import { advisorWindow, getFleetAdvice } from "@/lib/data/advisor";
import { FUNCTION_METRICS as ADVISOR_METRICS } from "@/lib/data/advisor/plan";
import { loadFleetOverview } from "@/lib/data/telemetry/overview";
import { NOW, REGION, benchBucket, benchDeps, pick, startBenchSandbox } from "./_overview-harness";

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
      await loadFleetOverview([REGION], benchBucket(WINDOW_MINUTES), benchDeps(sb));
      const overviewMs = performance.now() - t;
      const overview = summarise(sb.stats());

      const d = benchDeps(sb);
      sb.resetStats();
      t = performance.now();
      const deps = {
        ports: (r: string) => ({
          lambda: d.lambda(r),
          cloudwatch: d.cloudwatch(r),
          logs: d.logs(r),
          metricList: createMetricListPort(
            new CloudWatchClient({
              endpoint: sb.url,
              region: r,
              credentials: { accessKeyId: "b", secretAccessKey: "b" },
            }),
            r,
          ),
        }),
        thresholds: () => DEFAULT_THRESHOLDS,
        cache: null,
        collect: { insightsDeadlineMs: 600_000 },
      };
      const advice = await getFleetAdvice([REGION], ADVISOR_WINDOW, deps);
      const advisorMs = performance.now() - t;
      const advisor = summarise(sb.stats());
      // A second run: published versions' configurations (immutable) are known by now, as on any refresh.
      sb.resetStats();
      await getFleetAdvice([REGION], ADVISOR_WINDOW, deps);
      const refresh = summarise(sb.stats());
      results.push({
        F,
        flags: advice.flags.length,
        advisorPartial: advice.regions.map((r) => r.message).filter(Boolean),
        advisorMetricsQueriesPerFunction: ADVISOR_METRICS.length,
        advisorFirstRun: { ...advisor, ms: Math.round(advisorMs) },
        advisorRefresh: refresh,
        overview: { ...overview, ms: Math.round(overviewMs) },
        refreshOverOverviewTotal: +(refresh.total / Math.max(1, overview.total)).toFixed(2),
        refreshWithinBudget: refresh.total <= overview.total,
      });
    } finally {
      await sb.close();
    }
    console.error(JSON.stringify(results.at(-1)));
  }
  console.log(JSON.stringify({ bench: "advisor-requests", rangeMinutes: WINDOW_MINUTES, sizes: results }));
}

void main();
