const { mergeRuns, rankInRuns } = await import("../../lib/sandbox/cloudwatch/stats.ts");
for (const [m, L] of [[200, 25], [1440, 25], [5, 1000]]) {
  const runs = Array.from({ length: m }, () => Float64Array.from({ length: L }, () => Math.round(Math.random() * 1e5) / 100).sort());
  const n = m * L;
  let t = performance.now(); let x = 0;
  for (let r = 0; r < 50; r++) x += mergeRuns(runs)[Math.ceil(n / 2) - 1]!;
  const tm = (performance.now() - t) / 50;
  t = performance.now(); let y = 0;
  for (let r = 0; r < 50; r++) y += rankInRuns(runs, Math.ceil(n / 2), n);
  const th = (performance.now() - t) / 50;
  t = performance.now(); let z = 0;
  for (let r = 0; r < 50; r++) { const a = new Float64Array(n); let o = 0; for (const q of runs) { a.set(q, o); o += q.length; } a.sort(); z += a[Math.ceil(n / 2) - 1]!; }
  const ts = (performance.now() - t) / 50;
  console.log(m, L, "merge", tm.toFixed(3), "heap p50", th.toFixed(3), "sort", ts.toFixed(3), x === y && y === z);
}
