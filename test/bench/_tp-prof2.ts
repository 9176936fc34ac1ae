import { parseSegments } from "@/lib/core/traces/parse";
import { buildSpanTree } from "@/lib/core/traces/tree";
import { syntheticTrace, TRACE_ID } from "@/test/unit/core/traces/fixtures";
const med = (x: number[]) => x.sort((a, b) => a - b)[x.length >> 1]!;
function m(n: number, runs: number) {
  const raw = syntheticTrace(n);
  const j: number[] = [], p: number[] = [], t: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const a = performance.now(); for (const s of raw) JSON.parse(s.document); const b = performance.now();
    const parsed = parseSegments(raw); const c = performance.now();
    buildSpanTree(TRACE_ID, parsed); const d = performance.now();
    if (i >= 3) { j.push(b - a); p.push(c - b); t.push(d - c); }
  }
  return { n, json: med(j) / n * 1000, parse: med(p) / n * 1000, tree: med(t) / n * 1000 };
}
console.log("µs per span", m(100, 500), m(1000, 100), m(10000, 15));
