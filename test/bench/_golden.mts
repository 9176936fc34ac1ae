import { createHash } from "node:crypto";
const root = process.argv[2] === "old" ? "./_old/lib/sandbox" : "../../lib/sandbox";
const { generateAccount } = await import(`${root}/fleet/generate.ts`);
const { createSimulator } = await import(`${root}/sim/simulator.ts`);
const { handleCloudWatch } = await import(`${root}/cloudwatch/handler.ts`);
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0) + 25_000;
const H = 3_600_000;
const acct = generateAccount({ seed: 7, nowMs: NOW });
const fns = [...acct.regions.values()].flatMap((r: any) => [...r.functions.values()]) as any[];
const out: Record<string, string> = {};
const h = (x: unknown) => createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, 16);
{
  const sim = createSimulator(acct, { now: () => NOW });
  const parts: string[] = [];
  for (const fn of fns) parts.push(h(sim.minutes(fn, NOW - 3 * H, NOW + H)));
  out.minutes3h = h(parts);
  // out of order single minutes from a fresh simulator
  const sim2 = createSimulator(acct, { now: () => NOW });
  const p2: string[] = [];
  for (const fn of fns.slice(0, 20)) for (const back of [7, 300, 61, 2]) p2.push(h(sim2.minute(fn, Math.floor(NOW / 60000) * 60000 - back * 60000)));
  out.single = h(p2);
  const p3: string[] = [];
  for (const fn of fns) for (let m = NOW - 24 * H; m < NOW + 60000; m += 60000) p3.push(h({ ...sim.summary!(fn, m), durationSumMs: undefined }));
  out.summary24h = h(p3);
}
const sim = createSimulator(acct, { now: () => NOW });
const ctx = { account: acct, now: () => NOW, sim };
const STATS = [["Duration","p99"],["Duration","p50"],["Duration","Average"],["Duration","Maximum"],["Invocations","Sum"],["Errors","Sum"],["Errors","Average"],["Throttles","Sum"],["ConcurrentExecutions","Maximum"],["ProvisionedConcurrencySpilloverInvocations","Sum"],["ProvisionedConcurrencyUtilization","Maximum"],["UnreservedConcurrentExecutions","Maximum"],["ClaimedAccountConcurrency","Maximum"]];
for (const region of acct.regions.keys()) {
  const names = [...acct.regions.get(region)!.functions.keys()] as string[];
  for (const [period, hours] of [[60, 3], [300, 8], [86400, 8]] as const) {
    const queries: unknown[] = [];
    for (const [metric, stat] of STATS) {
      queries.push({ Id: `r${queries.length}`, MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [] }, Period: period, Stat: stat } });
      for (const name of names) {
        queries.push({ Id: `q${queries.length}`, MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [{ Name: "FunctionName", Value: name }] }, Period: period, Stat: stat } });
        queries.push({ Id: `s${queries.length}`, MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [{ Name: "FunctionName", Value: name }, { Name: "Resource", Value: `${name}:live` }] }, Period: period, Stat: stat } });
        for (const v of ["1","2","7","8","12","13","4","5"]) queries.push({ Id: `e${queries.length}`, MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [{ Name: "FunctionName", Value: name }, { Name: "Resource", Value: `${name}:live` }, { Name: "ExecutedVersion", Value: v }] }, Period: period, Stat: stat } });
      }
    }
    const bodies: string[] = [];
    for (let i = 0; i < queries.length; i += 500) {
      let token: string | undefined;
      do {
        const res = await handleCloudWatch({ method: "POST", path: "/", query: new URLSearchParams(), headers: { "x-amz-target": "GraniteServiceVersion20100801.GetMetricData" }, body: Buffer.from(JSON.stringify({ MetricDataQueries: queries.slice(i, i + 500), StartTime: (NOW - hours * H) / 1000, EndTime: NOW / 1000, NextToken: token })), region, service: "monitoring" }, ctx as never);
        const b = String(res.body); bodies.push(h(b)); token = (JSON.parse(b) as { NextToken?: string }).NextToken;
      } while (token);
    }
    out[`gmd-${region}-${period}`] = h(bodies);
  }
}
console.log(JSON.stringify(out, null, 1));
