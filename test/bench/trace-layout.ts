/**
 * The pure trace pipeline of lib/core/traces on synthetic traces: parse + validate the segment documents, build
 * the tree, the critical path and the waterfall rows. 10,000 spans against a 100-span baseline measured in the
 * same run (median of repeated runs after a warm-up), and the ratio per span (1 = perfectly linear).
 * Prints one JSON line: {"bench":"trace-layout", …}.
 */
import { criticalPath } from "@/lib/core/traces/critical-path";
import { layoutTrace } from "@/lib/core/traces/layout";
import { readTrace } from "@/lib/core/traces/tree";
import { syntheticTrace, TRACE_ID } from "@/test/unit/core/traces/fixtures";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (n: number) => Math.round(n * 1000) / 1000;

function measure(spans: number, runs: number) {
  const raw = syntheticTrace(spans);
  const total: number[] = [];
  const layoutOnly: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    const tree = readTrace(TRACE_ID, raw);
    const critical = criticalPath(tree);
    const t1 = performance.now();
    const { rows } = layoutTrace(tree, { critical });
    const t2 = performance.now();
    if (rows.length !== spans) throw new Error(`expected ${spans} rows, got ${rows.length}`);
    // The first two runs warm the JIT up.
    if (i >= 2) {
      total.push(t2 - t0);
      layoutOnly.push(t2 - t1);
    }
  }
  return { totalMs: median(total), layoutMs: median(layoutOnly) };
}

const small = measure(100, 200);
const large = measure(10_000, 15);
console.log(
  JSON.stringify({
    bench: "trace-layout",
    spans: 10_000,
    baselineSpans: 100,
    parseTreeLayoutMs: round(large.totalMs),
    baselineParseTreeLayoutMs: round(small.totalMs),
    ratio: round(large.totalMs / small.totalMs),
    perSpanRatio: round(large.totalMs / 10_000 / (small.totalMs / 100)),
    layoutOnlyMs: round(large.layoutMs),
    baselineLayoutOnlyMs: round(small.layoutMs),
    layoutOnlyRatio: round(large.layoutMs / small.layoutMs),
  }),
);
