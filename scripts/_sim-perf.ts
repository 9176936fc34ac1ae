import { createSimulator } from "@/lib/sandbox/sim/simulator";
import { fn, account, NOW, HOUR } from "@/test/unit/sandbox/sim-fixtures";
const N = Number(process.env.N ?? 5000);
const fns = Array.from({ length: N }, (_, i) => fn({ name: `f-${i}`, seed: i * 7919 + 1, traffic: { peakPerMinute: 1 + (i % 5), dailyDip: 0.5, burstChance: 0.01, burstFactor: 4, viaAlias: null } }));
const sim = createSimulator(account(...fns), { now: () => NOW, maxCachedInvocations: Number(process.env.RC ?? 200000), maxSchedules: Number(process.env.SC ?? 50000) });
let t = performance.now();
let n = 0;
for (const f of fns) for (const r of sim.minutes(f, NOW - HOUR, NOW)) n += r.invocations.length;
console.log(`1h x ${N}:`, (performance.now() - t).toFixed(0), "ms", n, "invocations");
