const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0) + 25_000;
const STATS = [["Duration","Sum"],["Duration","SampleCount"],["Duration","p99"],["Duration","p50"],["Duration","Average"],["Duration","Maximum"],["Invocations","Sum"],["Errors","Sum"],["Errors","Average"],["Throttles","Sum"],["ConcurrentExecutions","Maximum"],["ProvisionedConcurrencySpilloverInvocations","Sum"],["ProvisionedConcurrencyUtilization","Maximum"],["UnreservedConcurrentExecutions","Maximum"],["ClaimedAccountConcurrency","Maximum"]];
async function run(root: string) {
  const { generateAccount } = await import(`${root}/fleet/generate.ts`);
  const { createSimulator } = await import(`${root}/sim/simulator.ts`);
  const { handleCloudWatch } = await import(`${root}/cloudwatch/handler.ts`);
  const acct = generateAccount({ seed: 7, nowMs: NOW });
  const ctx = { account: acct, now: () => NOW, sim: createSimulator(acct, { now: () => NOW }) };
  const names = [...acct.regions.get("us-east-1").functions.keys()] as string[];
  const queries: any[] = [];
  for (const [metric, stat] of STATS) {
    queries.push({ Id: `r_${metric}_${stat}`.replace(/\./g, ""), MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [] }, Period: 60, Stat: stat } });
    for (const name of names) {
      queries.push({ Id: `s_${metric}_${stat}_${name}`.replace(/[-.]/g, "_"), MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [{ Name: "FunctionName", Value: name }, { Name: "Resource", Value: `${name}:live` }] }, Period: 60, Stat: stat } });
      for (const v of ["1","2","7","8","12","13","4","5"]) queries.push({ Id: `e${v}_${metric}_${stat}_${name}`.replace(/[-.]/g, "_"), MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [{ Name: "FunctionName", Value: name }, { Name: "Resource", Value: `${name}:live` }, { Name: "ExecutedVersion", Value: v }] }, Period: 60, Stat: stat } });
    }
    for (const name of names) queries.push({ Id: `q_${metric}_${stat}_${name}`.replace(/[-.]/g, "_"), MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [{ Name: "FunctionName", Value: name }] }, Period: 60, Stat: stat } });
  }
  const out = new Map<string, any>();
  for (let i = 0; i < queries.length; i += 500) {
    const res = await handleCloudWatch({ method: "POST", path: "/", query: new URLSearchParams(), headers: { "x-amz-target": "GraniteServiceVersion20100801.GetMetricData" }, body: Buffer.from(JSON.stringify({ MetricDataQueries: queries.slice(i, i + 500), StartTime: (NOW - 3 * H) / 1000, EndTime: NOW / 1000 })), region: "us-east-1", service: "monitoring" }, ctx);
    for (const r of JSON.parse(String(res.body)).MetricDataResults) out.set(r.Id, r);
  }
  return out;
}
const a = await run("./_old/lib/sandbox"); const b = await run("../../lib/sandbox");
let n = 0;
for (const [id, r] of a) { const s = b.get(id); if (JSON.stringify(r) !== JSON.stringify(s)) { if (n++ < 8 || id.startsWith("r_Duration")) { const i = r.Values.findIndex((v: number, j: number) => v !== s.Values[j] || r.Timestamps[j] !== s.Timestamps[j]); console.log(id, r.Values.length, s.Values.length, i, r.Timestamps[i], r.Values[i], s.Timestamps[i], s.Values[i]); } } }
console.log("differing", n, "of", a.size);
for (const id of ["r_Duration_Sum", "r_Duration_SampleCount", "r_Duration_Average"]) console.log(id, a.get(id).Values[0], b.get(id).Values[0], a.get(id).Values[0] / a.get("r_Duration_SampleCount").Values[0]);
