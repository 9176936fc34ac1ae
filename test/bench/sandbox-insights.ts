/**
 * A fleet-wide Logs Insights aggregation against the sandbox, through the SDK over HTTP: `stats count(*),
 * avg(@duration), pct(@duration, 99) by @log` over the REPORT lines of 24 h of 50 log groups (the default
 * fleet's us-east-1 groups, grown to 50 functions), StartQuery then GetQueryResults polled until Complete.
 * Baseline in the same run: reading the same 24 h of invocations straight from the (then warm) simulator —
 * the floor below which rendering and evaluating log lines cannot go.
 * Prints one JSON line: {"bench":"sandbox-insights", …}.
 */
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { startSandbox } from "@/lib/sandbox";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const DAY = 86_400_000;
const GROUPS = 50;
const QUERY =
  'filter @type = "REPORT" | stats count(*) as invocations, avg(@duration), pct(@duration, 99) by @log';

async function main(): Promise<void> {
  const sb = await startSandbox({
    port: 0,
    seed: 7,
    now: () => NOW,
    functionsPerRegion: GROUPS,
    regions: ["us-east-1"],
  });
  const logs = new CloudWatchLogsClient({
    endpoint: sb.url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const fns = [...(sb.account.regions.get("us-east-1")?.functions.values() ?? [])];
  const groups = [...new Set(fns.map((f) => f.logGroup))].slice(0, GROUPS);

  const run = async () => {
    const t0 = performance.now();
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupNames: groups,
        startTime: Math.floor((NOW - DAY) / 1000),
        endTime: Math.floor(NOW / 1000) - 1,
        queryString: QUERY,
      }),
    );
    let polls = 0;
    for (;;) {
      polls++;
      const out = await logs.send(new GetQueryResultsCommand({ queryId }));
      if (out.status === "Complete") {
        return { ms: performance.now() - t0, polls, rows: out.results?.length ?? 0, stats: out.statistics };
      }
      if (out.status !== "Running" && out.status !== "Scheduled") throw new Error(`query ${out.status}`);
    }
  };

  const cold = await run();
  const warm = await run();
  const t1 = performance.now();
  let invocations = 0;
  for (const fn of fns.filter((f) => groups.includes(f.logGroup))) {
    for (const m of sb.ctx.sim.minutes(fn, NOW - DAY, NOW)) invocations += m.invocations.length;
  }
  const simWarmMs = performance.now() - t1;

  logs.destroy();
  await sb.close();
  const round = (n: number) => Math.round(n * 10) / 10;
  console.log(
    JSON.stringify({
      bench: "sandbox-insights",
      logGroups: groups.length,
      windowHours: 24,
      query: QUERY,
      resultRows: warm.rows,
      recordsScanned: warm.stats?.recordsScanned,
      recordsMatched: warm.stats?.recordsMatched,
      bytesScanned: warm.stats?.bytesScanned,
      polls: warm.polls,
      coldMs: round(cold.ms),
      warmMs: round(warm.ms),
      baselineSimReadMs: round(simWarmMs),
      invocations,
    }),
  );
}

void main();
