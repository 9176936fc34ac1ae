/**
 * The console collector's Logs Insights query (REPORT aggregates per log group, minute and log-spaced duration
 * bucket, with two `parse` commands before `stats`) on the sandbox, in-process through runQuery (the steps the
 * StartQuery handler runs, without HTTP). Default fleet: seed 7, 40 functions in each of us-east-1 and eu-west-1,
 * one chunk of 40 log groups per region; clock pinned; windows end two minutes before it.
 * - minute: one minute of us-east-1's chunk, cold (fresh simulator) then warm (median of repeated runs).
 * - tenMinutes: ten minutes of both chunks (40 + 40 groups), cold then warm.
 * - backfill24h: a day of us-east-1 in 144 ten-minute queries on a fresh simulator, as the collector backfills.
 * Baseline in the same run, on the same warm windows: the console's advisor-style aggregate
 * (`stats count(*), avg(@duration), pct(@duration, 99) by @log`). Targets: warm minute ≤ 100 ms; backfill
 * ≤ 90 s CPU. CPU time is reported beside wall time (a shared machine's wall time says little). The minute's
 * answer is also computed on rendered lines and must be identical. `--no-backfill` skips the day.
 * Prints one JSON line: {"bench":"sandbox-insights-collector", …}.
 */
import { generateAccount } from "../src/fleet/generate";
import type { SandboxContext } from "../src/http/types";
import { listGroups, type LogGroupInfo } from "../src/logs/groups";
import { compile, runQuery, type QueryPath } from "../src/logs/queries";
import { createSimulator } from "../src/sim/simulator";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const END_SEC = NOW / 1000 - 120;
const QUERY = [
  'filter @type = "REPORT"',
  "parse @message /(?<timedOut>Status: timeout)/",
  "parse @message /(?<oomKilled>Runtime\\.OutOfMemory)/",
  "stats count(*) as n, count(@initDuration) as cold, sum(@initDuration) as initSum, max(@initDuration) as initMax, " +
    "sum(@billedDuration) as billedSum, max(@maxMemoryUsed) as memMax, max(@memorySize) as memSize, " +
    "sum(@duration) as durSum, max(@duration) as durMax, count(timedOut) as timeouts, count(oomKilled) as ooms " +
    "by @log, bin(1m) as t, floor(log(@duration) / log(1.1)) as dk",
].join("\n| ");
const BASELINE =
  'filter @type = "REPORT" | stats count(*) as invocations, avg(@duration), pct(@duration, 99) by @log';
const WARM_RUNS = 15;

const account = generateAccount({ seed: 7, nowMs: NOW });
const freshContext = (): SandboxContext => ({
  account,
  now: () => NOW,
  sim: createSimulator(account, { now: () => NOW }),
});

const round = (n: number) => Math.round(n * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function measure<T>(f: () => T): { out: T; ms: number; cpuMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = f();
  const cpu = process.cpuUsage(cpu0);
  return { out, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** One query per chunk over [END_SEC - minutes·60, END_SEC). */
function run(
  ctx: SandboxContext,
  chunks: LogGroupInfo[][],
  query: string,
  minutes: number,
  path: QueryPath = "auto",
) {
  const q = compile(query);
  return chunks.map((gs) => runQuery(ctx, gs, q, END_SEC - minutes * 60, END_SEC - 1, 10_000, path));
}

function coldWarm(chunks: (ctx: SandboxContext) => LogGroupInfo[][], minutes: number) {
  const ctx = freshContext();
  const cs = chunks(ctx);
  const cold = measure(() => run(ctx, cs, QUERY, minutes));
  const warm: number[] = [];
  const warmCpu: number[] = [];
  const base: number[] = [];
  const baseCpu: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const w = measure(() => run(ctx, cs, QUERY, minutes));
    warm.push(w.ms);
    warmCpu.push(w.cpuMs);
    const b = measure(() => run(ctx, cs, BASELINE, minutes));
    base.push(b.ms);
    baseCpu.push(b.cpuMs);
  }
  const outs = cold.out;
  return {
    ctx,
    cs,
    figures: {
      logGroups: cs.reduce((n, c) => n + c.length, 0),
      queries: cs.length,
      resultRows: outs.reduce((n, o) => n + o.results.length, 0),
      recordsMatched: outs.reduce((n, o) => n + o.recordsMatched, 0),
      recordsScanned: outs.reduce((n, o) => n + o.recordsScanned, 0),
      bytesScanned: outs.reduce((n, o) => n + o.bytesScanned, 0),
      coldMs: round(cold.ms),
      coldCpuMs: round(cold.cpuMs),
      warmMs: round(median(warm)),
      warmCpuMs: round(median(warmCpu)),
      baselineWarmMs: round(median(base)),
      baselineWarmCpuMs: round(median(baseCpu)),
    },
  };
}

function main(): void {
  const east = (ctx: SandboxContext) => [listGroups(ctx, "us-east-1")];
  const both = (ctx: SandboxContext) => [listGroups(ctx, "us-east-1"), listGroups(ctx, "eu-west-1")];

  const minute = coldWarm(east, 1);
  // The same answer from rendered lines (the same engine), on the now warm simulator.
  const fast = JSON.stringify(run(minute.ctx, minute.cs, QUERY, 1, "auto"));
  const identical = fast === JSON.stringify(run(minute.ctx, minute.cs, QUERY, 1, "rendered"));
  if (!identical) throw new Error("REPORT cursors and rendered lines disagree");
  const tenMinutes = coldWarm(both, 10);

  let backfill24h: Record<string, number> | undefined;
  if (!process.argv.includes("--no-backfill")) {
    const ctx = freshContext();
    const gs = listGroups(ctx, "us-east-1");
    const q = compile(QUERY);
    let rows = 0;
    const day = measure(() => {
      for (let s = NOW / 1000 - 86_400; s < NOW / 1000; s += 600) {
        rows += runQuery(ctx, gs, q, s, s + 599, 10_000).results.length;
      }
    });
    backfill24h = {
      logGroups: gs.length,
      queries: 144,
      resultRows: rows,
      ms: round(day.ms),
      cpuMs: round(day.cpuMs),
    };
  }

  console.log(
    JSON.stringify({
      bench: "sandbox-insights-collector",
      query: QUERY,
      baselineQuery: BASELINE,
      minute: { ...minute.figures, identicalToGeneralPath: identical },
      tenMinutes: tenMinutes.figures,
      ...(backfill24h ? { backfill24h } : {}),
      targets: { warmMinuteMs: 100, backfill24hCpuMs: 90_000 },
    }),
  );
}

main();
