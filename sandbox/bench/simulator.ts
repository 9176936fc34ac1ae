/**
 * The simulator's two read paths over the default fleet (2 regions × 40 functions) and at scale.
 *
 * - records: `minutes()` (ids, cold starts, strings: what Logs and X-Ray read) vs `summary()` (what CloudWatch
 *   reads) over the same 2 h of every function, each on a fresh simulator: the same-run baseline.
 * - day: `summary()` over 24 h of the whole fleet, cold then warm (cached complete minutes).
 * - scale: 1 h of `summary()` for 1,000 and 5,000 low-traffic functions in one region (fleet generation timed
 *   apart).
 * - generate: `generateAccount` for the default two regions × 5,000 functions against two × 500 in the same run;
 *   the cost per function should stay flat as the fleet grows (perFunctionRatio ≈ 1).
 * Prints one JSON line: {"bench":"sandbox-simulator", …}. Times are wall ms; cpuMs is this process's CPU.
 */
import { generateAccount } from "../src/index";
import type { SandboxAccount, SimFunction } from "../src/fleet/model";
import { createSimulator } from "../src/sim/simulator";
import type { Simulator } from "../src/sim/types";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const MINUTE = 60_000;
const HOUR = 3_600_000;

const round = (n: number) => Math.round(n * 10) / 10;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function timed<T>(f: () => T): { ms: number; cpuMs: number; value: T } {
  const c = cpu();
  const t = performance.now();
  const value = f();
  return { ms: round(performance.now() - t), cpuMs: round(cpu() - c), value };
}

const fleet = (a: SandboxAccount): SimFunction[] =>
  [...a.regions.values()].flatMap((r) => [...r.functions.values()]);

function readSummaries(sim: Simulator, fns: SimFunction[], windowMs: number): number {
  let invocations = 0;
  for (const fn of fns)
    for (let m = NOW - windowMs; m < NOW; m += MINUTE)
      for (const v of sim.summary!(fn, m).versions) invocations += v.invocations;
  return invocations;
}

function readRecords(sim: Simulator, fns: SimFunction[], windowMs: number): number {
  let invocations = 0;
  for (const fn of fns)
    for (const r of sim.minutes(fn, NOW - windowMs, NOW)) invocations += r.invocations.length;
  return invocations;
}

/** Generates the default regions with `n` functions each; every name unique, or it throws. */
function generateTimed(n: number) {
  const gen = timed(() => generateAccount({ seed: 1, nowMs: NOW, functionsPerRegion: n }));
  const regions = [...gen.value.regions.values()];
  for (const r of regions)
    if (new Set([...r.functions.values()].map((f) => f.name)).size !== n)
      throw new Error(`${r.region}: not ${n} unique functions`);
  const functions = regions.length * n;
  return { functions, ms: gen.ms, cpuMs: gen.cpuMs, usPerFunction: round((gen.ms * 1000) / functions) };
}

function main(): void {
  const account = generateAccount({ seed: 7, nowMs: NOW });
  const fns = fleet(account);

  generateTimed(500); // warms the generator up, so the baseline is not its first run
  const generateBaseline = generateTimed(500);
  const generateLarge = generateTimed(5000);

  const fresh = () => createSimulator(account, { now: () => NOW });

  const records2h = timed(() => readRecords(fresh(), fns, 2 * HOUR));
  const summaries2h = timed(() => readSummaries(fresh(), fns, 2 * HOUR));
  if (records2h.value !== summaries2h.value) throw new Error("summary and records disagree on invocations");

  const sim = fresh();
  const dayCold = timed(() => readSummaries(sim, fns, 24 * HOUR));
  const dayWarm = timed(() => readSummaries(sim, fns, 24 * HOUR));

  const scale = [1000, 5000].map((n) => {
    const gen = timed(() =>
      generateAccount({ seed: 7, nowMs: NOW, functionsPerRegion: n, regions: ["us-east-1"] }),
    );
    const big = fleet(gen.value);
    const s = createSimulator(gen.value, { now: () => NOW });
    const cold = timed(() => readSummaries(s, big, HOUR));
    const warm = timed(() => readSummaries(s, big, HOUR));
    return {
      functions: n,
      generateMs: gen.ms,
      cold: { ms: cold.ms, cpuMs: cold.cpuMs },
      warm: { ms: warm.ms, cpuMs: warm.cpuMs },
      invocations: cold.value,
    };
  });

  const strip = (t: { ms: number; cpuMs: number; value: number }) => ({
    ms: t.ms,
    cpuMs: t.cpuMs,
    invocations: t.value,
  });
  console.log(
    JSON.stringify({
      bench: "sandbox-simulator",
      functions: fns.length,
      window2h: {
        records: strip(records2h),
        summaries: strip(summaries2h),
        speedup: round(records2h.ms / summaries2h.ms),
      },
      day: { cold: strip(dayCold), warm: strip(dayWarm) },
      scale1h: scale,
      generate: {
        baseline: generateBaseline,
        large: generateLarge,
        perFunctionRatio: round(generateLarge.usPerFunction / generateBaseline.usPerFunction),
      },
    }),
  );
}

main();
