import { generateAccount } from "@/lib/sandbox/fleet/generate";
import { createSimulator } from "@/lib/sandbox/sim/simulator";
import { handleCloudWatch } from "@/lib/sandbox/cloudwatch/handler";
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const DAY = 86_400_000;
const acct = generateAccount({ seed: 7, nowMs: NOW });
const sim = createSimulator(acct, { now: () => NOW });
const ctx = { account: acct, now: () => NOW, sim };
const RS = [["Invocations","Sum"],["Errors","Sum"],["Throttles","Sum"],["Duration","p50"],["Duration","p90"],["Duration","p99"],["ConcurrentExecutions","Maximum"]];
const FM = [["Invocations","Sum"],["Errors","Sum"],["Throttles","Sum"],["Duration","p99"],["Duration","Average"]];
const q = (id: string, m: string, s: string, p: number, fn?: string) => ({ Id: id, MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: m, Dimensions: fn ? [{ Name: "FunctionName", Value: fn }] : [] }, Period: p, Stat: s } });
async function overview() {
  for (const region of acct.regions.keys()) {
    const qs = RS.map(([m, s], i) => q(`r${i}`, m!, s!, 300));
    [...acct.regions.get(region)!.functions.keys()].forEach((f, j) => FM.forEach(([m, s], i) => qs.push(q(`f${j}_${i}`, m!, s!, 86400, f))));
    const res = await handleCloudWatch({ method: "POST", path: "/", query: new URLSearchParams(), headers: { "x-amz-target": "GraniteServiceVersion20100801.GetMetricData" }, body: Buffer.from(JSON.stringify({ MetricDataQueries: qs, StartTime: (NOW - DAY) / 1000, EndTime: NOW / 1000 })), region, service: "monitoring" }, ctx as never);
    if (res.status !== 200) throw new Error(String(res.body));
  }
}
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const label of ["cold", "warm", "warm2"]) {
  const c = cpu(); const t = performance.now();
  await overview();
  console.log(label, "cpu", Math.round(cpu() - c), "wall", Math.round(performance.now() - t));
}
