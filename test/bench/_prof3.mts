const { startSandbox } = await import("../../lib/sandbox/index.ts");
const { handleCloudWatch } = await import("../../lib/sandbox/cloudwatch/handler.ts");
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const H = 3_600_000;
const sb = await startSandbox({ port: 0, seed: 7, now: () => NOW, functionsPerRegion: 5000, regions: ["us-east-1"] });
const fns = [...sb.account.regions.get("us-east-1").functions.keys()] as string[];
const RS = [["Invocations","Sum"],["Errors","Sum"],["Throttles","Sum"],["Duration","p50"],["Duration","p90"],["Duration","p99"],["ConcurrentExecutions","Maximum"]];
const FM = [["Invocations","Sum"],["Errors","Sum"],["Throttles","Sum"],["Duration","p99"],["Duration","Average"]];
const q = (id: string, m: string, s: string, p: number, fn?: string) => ({ Id: id, MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: m, Dimensions: fn ? [{ Name: "FunctionName", Value: fn }] : [] }, Period: p, Stat: s } });
const all: any[] = RS.map(([m, s], i) => q(`r${i}`, m!, s!, 60));
fns.forEach((f, j) => FM.forEach(([m, s], i) => all.push(q(`f${j}_${i}`, m!, s!, 3600, f))));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const c = cpu(); const t = performance.now();
for (let i = 0; i < all.length; i += 500) {
  const t1 = performance.now();
  const res = await handleCloudWatch({ method: "POST", path: "/", query: new URLSearchParams(), headers: { "x-amz-target": "GraniteServiceVersion20100801.GetMetricData" }, body: Buffer.from(JSON.stringify({ MetricDataQueries: all.slice(i, i + 500), StartTime: (NOW - H) / 1000, EndTime: NOW / 1000 })), region: "us-east-1", service: "monitoring" }, sb.ctx);
  if (i < 1500 || i > 24000) console.log(i, Math.round(performance.now() - t1));
}
console.log("scale5000 cpu", Math.round(cpu() - c), "wall", Math.round(performance.now() - t));
await sb.close();
