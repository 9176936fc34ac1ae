import Database from "better-sqlite3";
import { readdirSync } from "node:fs";
const file = "/tmp/fleetscope-bench/" + readdirSync("/tmp/fleetscope-bench").find((f) => f.includes("F1000") && f.endsWith(".db"))!;
const NOW = Date.UTC(2026, 10, 23, 12, 17, 0);
const DAY = 86400000;
const logSums = `SUM(reports) AS reports, SUM(cold_starts) AS cold_starts, SUM(init_sum) AS init_sum,
    MAX(init_max) AS init_max, SUM(billed_sum) AS billed_sum, MAX(mem_max) AS mem_max, MAX(mem_size) AS mem_size,
    SUM(duration_sum) AS duration_sum, MAX(duration_max) AS duration_max, SUM(timeouts) AS timeouts,
    SUM(ooms) AS ooms, COALESCE(group_concat(NULLIF(durations, ''), ','), '') AS durations`;
for (const pragmas of [[], ["temp_store = MEMORY"], ["cache_size = -65536"], ["cache_size = -65536", "temp_store = MEMORY"], []]) {
  const d = new Database(file, { readonly: true });
  for (const p of pragmas) d.pragma(p);
  const lt = d.prepare(`SELECT log_group, ${logSums} FROM log_rollups WHERE region = 'us-east-1' AND res = ? AND log_group <> '' AND t >= ? AND t < ? GROUP BY log_group`);
  const mt = d.prepare(`SELECT fn, SUM(invocations), SUM(errors), SUM(duration_sum), MAX(duration_max) FROM metric_rollups WHERE region = 'us-east-1' AND res = ? AND t >= ? AND t < ? GROUP BY fn`);
  const a = Math.ceil((NOW - 30 * DAY) / DAY) * DAY, b = Math.floor(NOW / DAY) * DAY;
  const run = () => { lt.all(86400, a, b); lt.all(3600, NOW - DAY - 3600000 * 12, NOW - 3600000 * 13); mt.all(86400, a, b); mt.all(3600, NOW - DAY - 3600000 * 12, NOW - 3600000 * 13); };
  run();
  const xs: number[] = [];
  for (let i = 0; i < 7; i++) { const t = performance.now(); run(); xs.push(performance.now() - t); }
  xs.sort((x, y) => x - y);
  console.log(JSON.stringify(pragmas), "median", xs[3]!.toFixed(1), "ms");
  d.close();
}
