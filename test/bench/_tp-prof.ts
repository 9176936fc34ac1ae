import { readTrace } from "@/lib/core/traces/tree";
import { parseSegments } from "@/lib/core/traces/parse";
import { syntheticTrace, TRACE_ID } from "@/test/unit/core/traces/fixtures";
const raw = syntheticTrace(10_000);
const small = syntheticTrace(100);
for (let i = 0; i < 3; i++) readTrace(TRACE_ID, raw);
const t: number[] = [];
for (let i = 0; i < 10; i++) { const a = performance.now(); readTrace(TRACE_ID, raw); t.push(performance.now() - a); }
const p: number[] = [];
for (let i = 0; i < 10; i++) { const a = performance.now(); parseSegments(raw); p.push(performance.now() - a); }
const j: number[] = [];
for (let i = 0; i < 10; i++) { const a = performance.now(); for (const s of raw) JSON.parse(s.document); j.push(performance.now() - a); }
const s: number[] = [];
for (let i = 0; i < 1000; i++) { const a = performance.now(); readTrace(TRACE_ID, small); s.push(performance.now() - a); }
const med = (x: number[]) => x.sort((a, b) => a - b)[x.length >> 1];
console.log({ readTrace: med(t), parse: med(p), jsonOnly: med(j), small: med(s) });
