import { generateAccount } from "@/lib/sandbox/fleet/generate";
import { createSimulator } from "@/lib/sandbox/sim/simulator";
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const acct = generateAccount({ seed: 7, nowMs: NOW });
const sim = createSimulator(acct, { now: () => NOW });
const fns = [...acct.regions.values()].flatMap((r) => [...r.functions.values()]);
const mode = process.argv[2] ?? "summary";
const t0 = performance.now();
let n = 0;
for (const fn of fns) {
  for (let m = NOW - 86_400_000; m < NOW; m += 60_000) {
    if (mode === "summary") { const s = sim.summary!(fn, m); for (const v of s.versions) n += v.invocations; }
    else { n += sim.minute(fn, m).invocations.length; }
  }
}
console.log(mode, "fns", fns.length, "inv", n, "ms", Math.round(performance.now() - t0));
