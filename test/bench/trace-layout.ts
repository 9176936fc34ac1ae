/**
 * The pure trace pipeline of lib/core/traces on synthetic traces: parse + validate the segment documents, build
 * the tree, the critical path and the waterfall rows (what the request page's server component does), then
 * encode it for the browser (toWaterfallData). 10,000 spans against a 100-span baseline, in the same run.
 *
 * Honest comparison: both sizes are warmed up first; every sample processes the same 10,000 spans (the
 * baseline runs its 100-span trace 100 times per sample), so both are exposed alike to time slicing and GC on
 * a shared machine; medians of SAMPLES. Two clocks: wall time, and process CPU time (process.cpuUsage, which
 * preemption by other processes does not inflate). perSpanRatio 1 = perfectly linear.
 * Prints one JSON line: {"bench":"trace-layout", …}.
 */
import { loadavg } from "node:os";
import { criticalPath } from "@/lib/core/traces/critical-path";
import { layoutTrace } from "@/lib/core/traces/layout";
import { readTrace } from "@/lib/core/traces/tree";
import type { SpanTree } from "@/lib/core/traces/types";
import { toWaterfallData } from "@/lib/core/traces/waterfall-data";
import { syntheticTrace, TRACE_ID } from "@/test/unit/core/traces/fixtures";

const LARGE = 10_000;
const SMALL = 100;
const SAMPLES = 15;
const WARM_UP = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (n: number) => Math.round(n * 1000) / 1000;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

interface Figures {
  wall: number;
  cpu: number;
  layoutWall: number;
  encodeWall: number;
}

function sampleOnce(raw: ReturnType<typeof syntheticTrace>, spans: number, reps: number): Figures {
  let layout = 0;
  const trees: [SpanTree, Uint8Array][] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    const tree = readTrace(TRACE_ID, raw);
    const critical = criticalPath(tree);
    const t1 = performance.now();
    const { rows } = layoutTrace(tree, { critical });
    layout += performance.now() - t1;
    if (rows.length !== spans) throw new Error(`expected ${spans} rows, got ${rows.length}`);
    trees.push([tree, critical]);
  }
  const wall = performance.now() - t0;
  const cpu = cpuMs(cpu0);
  const t2 = performance.now();
  for (const [tree, critical] of trees) toWaterfallData(tree, critical);
  const encode = performance.now() - t2;
  return { wall: wall / reps, cpu: cpu / reps, layoutWall: layout / reps, encodeWall: encode / reps };
}

function measure(spans: number) {
  const raw = syntheticTrace(spans);
  const reps = Math.ceil(LARGE / spans);
  const out: Figures[] = [];
  for (let i = 0; i < WARM_UP + SAMPLES; i++) {
    const f = sampleOnce(raw, spans, reps);
    if (i >= WARM_UP) out.push(f);
  }
  const pick = (k: keyof Figures) => median(out.map((f) => f[k]));
  return { wall: pick("wall"), cpu: pick("cpu"), layout: pick("layoutWall"), encode: pick("encodeWall") };
}

// Warm both sizes up before measuring either.
measure(SMALL);
measure(LARGE);
const small = measure(SMALL);
const large = measure(LARGE);
console.log(
  JSON.stringify({
    bench: "trace-layout",
    spans: LARGE,
    baselineSpans: SMALL,
    parseTreeLayoutMs: round(large.wall),
    baselineParseTreeLayoutMs: round(small.wall),
    ratio: round(large.wall / small.wall),
    perSpanRatio: round(large.wall / LARGE / (small.wall / SMALL)),
    parseTreeLayoutCpuMs: round(large.cpu),
    baselineParseTreeLayoutCpuMs: round(small.cpu),
    cpuPerSpanRatio: round(large.cpu / LARGE / (small.cpu / SMALL)),
    layoutOnlyMs: round(large.layout),
    baselineLayoutOnlyMs: round(small.layout),
    layoutOnlyRatio: round(large.layout / small.layout),
    encodeForBrowserMs: round(large.encode),
    samples: SAMPLES,
    loadAverage1m: Math.round((loadavg()[0] ?? NaN) * 10) / 10,
  }),
);
