/** Percentiles over merged minutes: runs, heap walks and merges must agree with a plain sort, ties included. */
import { describe, expect, it } from "vitest";
import {
  computeStatistic,
  mergeRuns,
  mergeSamples,
  parseStatistic,
  rankInRuns,
  type Samples,
} from "../../src/cloudwatch/stats";

/** A small deterministic generator (the test must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function randomRuns(seed: number, runs: number, maxLen: number): Float64Array[] {
  const next = lcg(seed);
  return Array.from({ length: runs }, () =>
    Float64Array.from({ length: Math.floor(next() * maxLen) }, () => Math.round(next() * 300) / 10).sort(),
  );
}

const sorted = (runs: Float64Array[]) => runs.flatMap((r) => [...r]).sort((a, b) => a - b);

describe("ranks over sorted runs", () => {
  it.each([
    [1, 3, 40],
    [2, 8, 1000],
    [3, 40, 30],
    [4, 300, 12],
  ])("rankInRuns and mergeRuns match a sort (seed %i, %i runs)", (seed, runs, maxLen) => {
    const r = randomRuns(seed, runs, maxLen);
    const all = sorted(r);
    expect([...mergeRuns(r)]).toEqual(all);
    for (const rank of [1, 2, Math.ceil(all.length / 2), all.length - 1, all.length]) {
      if (rank < 1 || rank > all.length) continue;
      expect(rankInRuns(r, rank, all.length)).toBe(all[rank - 1]);
    }
  });
});

describe("percentiles of merged samples", () => {
  const dur = (...xs: number[]): Samples => {
    const values = Float64Array.from(xs).sort();
    return {
      count: xs.length,
      sum: xs.reduce((a, b) => a + b, 0),
      min: values[0]!,
      max: values.at(-1)!,
      values,
    };
  };
  const counter = (n: number, ones: number): Samples => ({
    count: n,
    sum: ones,
    min: ones < n ? 0 : 1,
    max: ones > 0 ? 1 : 0,
  });

  it("takes the nearest rank across minutes, ends and middle alike, and reuses the merge", () => {
    const parts = Array.from({ length: 30 }, (_, i) => dur(i + 0.5, 100 - i, 50, i * 3));
    const all = parts.flatMap((p) => [...p.values!]).sort((a, b) => a - b);
    const merged = mergeSamples(parts)!;
    for (const p of [0.1, 1, 10, 50, 90, 99, 99.9, 100]) {
      const rank = Math.max(1, Math.ceil((p / 100) * all.length));
      expect(computeStatistic(merged, parseStatistic(`p${p}`, "Stat"))).toBe(all[rank - 1]);
    }
    expect(computeStatistic(merged, { kind: "Average" })).toBe(merged.sum / all.length);
  });

  it("keeps two-valued counters two-valued, and expands them when merged with durations", () => {
    const c = mergeSamples([counter(10, 2), counter(5, 0), counter(3, 3)])!;
    expect(c).toEqual({ count: 18, sum: 5, min: 0, max: 1 });
    expect(computeStatistic(c, parseStatistic("p70", "Stat"))).toBe(0);
    expect(computeStatistic(c, parseStatistic("p80", "Stat"))).toBe(1);
    const mixed = mergeSamples([counter(4, 1), dur(0.5, 0.25)])!;
    expect(computeStatistic(mixed, parseStatistic("p50", "Stat"))).toBe(0);
    expect(computeStatistic(mixed, parseStatistic("p100", "Stat"))).toBe(1);
  });
});
