const NOW = Date.UTC(2026, 10, 23, 12, 0, 0) + 25_000;
const M = Date.UTC(2026, 10, 23, 12, 0, 0);
for (const root of ["./_old/lib/sandbox", "../../lib/sandbox"]) {
  const { generateAccount } = await import(`${root}/fleet/generate.ts`);
  const { createSimulator } = await import(`${root}/sim/simulator.ts`);
  const { MetricStore } = await import(`${root}/cloudwatch/metric-store.ts`);
  const acct = generateAccount({ seed: 7, nowMs: NOW });
  const sim = createSimulator(acct, { now: () => NOW });
  const store = new MetricStore(sim, acct.regions.get("us-east-1"), M - 3 * 3600000, NOW, NOW);
  const s = store.get("AWS/Lambda", "Duration", []);
  console.log(root, s.minutes.length, s.samples.at(-1).sum, s.samples.at(-1).count);
  const fnSums = [...acct.regions.get("us-east-1").functions.values()].map((fn: any) => store.get("AWS/Lambda", "Duration", [{ Name: "FunctionName", Value: fn.name }]).samples.at(-1)?.sum);
  console.log(fnSums.slice(0, 12).join(","));
}
