const NOW = Date.UTC(2026, 10, 23, 12, 0, 0) + 25_000;
const M = Date.UTC(2026, 10, 23, 9, 0, 0);
const { generateAccount } = await import(`../../lib/sandbox/fleet/generate.ts`);
const { createSimulator } = await import(`../../lib/sandbox/sim/simulator.ts`);
const acct = generateAccount({ seed: 7, nowMs: NOW });
const sim = createSimulator(acct, { now: () => NOW });
let a = 0, b = 0;
for (const fn of acct.regions.get("us-east-1").functions.values()) {
  const r = sim.minute(fn, M); let s = 0; for (const i of r.invocations) s += i.durationMs;
  const su = sim.summary(fn, M);
  if (s !== su.durationSumMs) console.log(fn.name, s, su.durationSumMs, su.versions.length);
  a += s; b += su.durationSumMs;
}
console.log(a, b);
