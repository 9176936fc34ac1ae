/**
 * A fleet-wide Logs Insights aggregation against the sandbox, through the SDK over HTTP: `stats count(*),
 * avg(@duration), pct(@duration, 99) by @log` over the REPORT lines of 24 h of 50 log groups (the default
 * fleet's us-east-1 groups, grown to 50 functions), StartQuery then GetQueryResults polled until Complete.
 * Baseline in the same run: reading the same 24 h of invocations straight from the (then warm) simulator —
 * the floor below which rendering and evaluating log lines cannot go. Time spent inside the simulator during the
 * warm query is measured by wrapping ctx.sim.minutes (simMs, simShare); CPU time is reported too, since wall time
 * on a shared machine says little. `--compare` also runs the query in-process on both record kinds (REPORT cursors and
 * rendered lines) and checks they agree.
 * Prints one JSON line: {"bench":"sandbox-insights", …}.
 */
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { startSandbox } from "../src/index";
import { listGroups } from "../src/logs/groups";
import { compile, runQuery, type QueryPath } from "../src/logs/queries";

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
  // Measurement only: time spent inside the simulator.
  const sim = sb.ctx.sim;
  const minutes = sim.minutes.bind(sim);
  let simMs = 0;
  sb.ctx.sim = {
    ...sim,
    minute: sim.minute.bind(sim),
    minutes: (fn, fromMs, toMs) => {
      const t = performance.now();
      try {
        return minutes(fn, fromMs, toMs);
      } finally {
        simMs += performance.now() - t;
      }
    },
  };
  const fns = [...(sb.account.regions.get("us-east-1")?.functions.values() ?? [])];
  const groups = [...new Set(fns.map((f) => f.logGroup))].slice(0, GROUPS);

  const run = async () => {
    simMs = 0;
    const cpu0 = process.cpuUsage();
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
        const cpu = process.cpuUsage(cpu0);
        return {
          ms: performance.now() - t0,
          cpuMs: (cpu.user + cpu.system) / 1000,
          simMs,
          polls,
          rows: out.results?.length ?? 0,
          stats: out.statistics,
        };
      }
      if (out.status !== "Running" && out.status !== "Scheduled") throw new Error(`query ${out.status}`);
    }
  };

  const round = (n: number) => Math.round(n * 10) / 10;
  const cold = await run();
  const warm = await run();
  const t1 = performance.now();
  let invocations = 0;
  for (const fn of fns.filter((f) => groups.includes(f.logGroup))) {
    for (const m of sb.ctx.sim.minutes(fn, NOW - DAY, NOW)) invocations += m.invocations.length;
  }
  const simWarmMs = performance.now() - t1;

  // In-process A/B on the same (warm) simulator: REPORT cursors against rendering every line.
  const compare = async () => {
    const q = compile(QUERY);
    const gs = listGroups(sb.ctx, "us-east-1").filter((g) => groups.includes(g.name));
    const startSec = Math.floor((NOW - DAY) / 1000);
    const endSec = Math.floor(NOW / 1000) - 1;
    const time = (path: QueryPath) => {
      simMs = 0;
      const cpu0 = process.cpuUsage();
      const t = performance.now();
      const out = runQuery(sb.ctx, gs, q, startSec, endSec, 10_000, path);
      const cpu = process.cpuUsage(cpu0);
      return { out, ms: performance.now() - t, cpuMs: (cpu.user + cpu.system) / 1000, simMs };
    };
    const fast = time("auto");
    const rendered = time("rendered");
    const same = JSON.stringify(fast.out) === JSON.stringify(rendered.out);
    if (!same) throw new Error("REPORT cursors and rendered lines disagree");
    return {
      fastMs: round(fast.ms),
      fastCpuMs: round(fast.cpuMs),
      fastSimMs: round(fast.simMs),
      renderedMs: round(rendered.ms),
      renderedCpuMs: round(rendered.cpuMs),
      renderedSimMs: round(rendered.simMs),
      identical: same,
    };
  };
  const ab = process.argv.includes("--compare") ? await compare() : undefined;

  logs.destroy();
  await sb.close();
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
      warmCpuMs: round(warm.cpuMs),
      warmSimMs: round(warm.simMs),
      warmSimShare: Math.round((warm.simMs / warm.ms) * 100) / 100,
      warmOutsideSimMs: round(warm.ms - warm.simMs),
      baselineSimReadMs: round(simWarmMs),
      invocations,
      ...(ab ? { compare: ab } : {}),
    }),
  );
}

void main();
