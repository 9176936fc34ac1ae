/** Tiling a window with the store's resolution tiers (lib/core/rollup/tiling.ts). */
import { describe, expect, it } from "vitest";
import {
  coveredIntervals,
  intersectIntervals,
  isCovered,
  resolutionsDividing,
  tile,
  type Interval,
  type TierCoverage,
  type Tiling,
} from "@/lib/core/rollup/tiling";
import { RESOLUTIONS } from "@/lib/core/rollup/types";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 1); // a UTC midnight
const NOW = T0 + 40 * DAY + 10 * HOUR + 7 * MIN;

/** Coverage as the collector keeps it: every tier up to its last whole bucket before NOW, back to its horizon. */
const retained = (oldest: Partial<Record<60 | 300 | 3600 | 86400, number>>): TierCoverage =>
  Object.fromEntries(
    Object.entries(oldest).map(([res, from]) => {
      const step = Number(res) * 1000;
      return [res, { from: Math.ceil(from / step) * step, to: Math.floor(NOW / step) * step }];
    }),
  );

/** Every invariant the module states, checked on any answer. */
function expectPartition(t: Tiling, w: Interval, coverage: TierCoverage) {
  const all = [...t.pieces, ...t.gaps].sort((a, b) => a.from - b.from);
  let at = w.from;
  for (const p of all) {
    expect(p.from).toBe(at);
    expect(p.to).toBeGreaterThan(p.from);
    at = p.to;
  }
  expect(at).toBe(w.to);
  for (const p of t.pieces) {
    const step = p.res * 1000;
    expect(p.from % step).toBe(0);
    expect(p.to % step).toBe(0);
    const c = coverage[p.res];
    expect(c).toBeTruthy();
    expect(p.from).toBeGreaterThanOrEqual(c!.from);
    expect(p.to).toBeLessThanOrEqual(c!.to);
  }
  expect(t.coveredMs).toBe(t.pieces.reduce((a, p) => a + p.to - p.from, 0));
}

describe("tile", () => {
  it("nothing covered: the whole window is one gap, not collected", () => {
    const w = { from: T0, to: T0 + DAY };
    const t = tile(w, {});
    expect(t.pieces).toEqual([]);
    expect(t.gaps).toEqual([{ ...w, within: null }]);
    expect(t.coveredMs).toBe(0);
    expect(t.coarseEdge).toBe(false);
    expect(tile(w, { 60: null, 300: null }).gaps).toEqual([{ ...w, within: null }]);
  });

  it("every tier covering: days in the middle, hours, 5 minutes and minutes towards the edges", () => {
    const coverage = retained({ 60: NOW - 15 * DAY, 300: NOW - 60 * DAY, 3600: T0 - DAY, 86400: T0 - DAY });
    const D = 30 * 1440; // within the minute tier's 15 days
    const w = { from: T0 + 32 * DAY - 2 * HOUR - 7 * MIN, to: T0 + 35 * DAY + HOUR + 13 * MIN };
    const t = tile(w, coverage);
    expectPartition(t, w, coverage);
    expect(t.gaps).toEqual([]);
    expect(t.pieces.map((p) => [p.res, (p.from - T0) / MIN, (p.to - T0) / MIN])).toEqual([
      [60, D + 2 * 1440 - 127, D + 2 * 1440 - 125],
      [300, D + 2 * 1440 - 125, D + 2 * 1440 - 120],
      [3600, D + 2 * 1440 - 120, D + 2 * 1440],
      [86400, D + 2 * 1440, D + 5 * 1440],
      [3600, D + 5 * 1440, D + 5 * 1440 + 60],
      [300, D + 5 * 1440 + 60, D + 5 * 1440 + 70],
      [60, D + 5 * 1440 + 70, D + 5 * 1440 + 73],
    ]);
    expect(t.coveredMs).toBe(w.to - w.from);
  });

  it("partial coverage at the start (backfill under way): the older part is a gap, not collected", () => {
    const collectedFrom = NOW - 19 * HOUR - 7 * MIN; // minute tier only, as early in a backfill
    const coverage: TierCoverage = { 60: { from: collectedFrom, to: NOW - 2 * MIN } };
    const w = { from: NOW - 24 * HOUR - 7 * MIN, to: NOW + 3 * MIN };
    const t = tile(w, coverage);
    expectPartition(t, w, coverage);
    expect(t.pieces).toEqual([{ res: 60, from: collectedFrom, to: NOW - 2 * MIN }]);
    expect(t.gaps).toEqual([
      { from: w.from, to: collectedFrom, within: null },
      { from: NOW - 2 * MIN, to: w.to, within: null },
    ]);
    expect(t.coveredMs).toBe(19 * HOUR + 5 * MIN);
    expect(t.coarseEdge).toBe(false);
  });

  it("minute rows pruned beyond 15 days: an edge that is not 5-minute aligned is a flagged gap", () => {
    const coverage = retained({ 60: NOW - 15 * DAY, 300: NOW - 60 * DAY, 3600: T0 - DAY });
    const w = { from: NOW - 20 * DAY + 2 * MIN - 7 * MIN, to: NOW - 7 * MIN }; // starts at hh:02
    const t = tile(w, coverage);
    expectPartition(t, w, coverage);
    expect(t.gaps).toHaveLength(1);
    const [gap] = t.gaps;
    expect(gap).toEqual({ from: w.from, to: w.from + 3 * MIN, within: 300 });
    expect(t.coarseEdge).toBe(true);
    // The rest is answered, minute rows only where the 5-minute buckets would cross the window's end.
    expect(t.coveredMs).toBe(w.to - w.from - 3 * MIN);
    expect(t.pieces[0]).toMatchObject({ res: 300, from: w.from + 3 * MIN });
  });

  it("a coarse tier not rolled up to the newest hours: finer tiers fill the recent end", () => {
    const coverage: TierCoverage = {
      60: { from: NOW - 3 * HOUR - 7 * MIN, to: NOW - 7 * MIN },
      300: { from: T0, to: NOW - 7 * MIN },
      3600: { from: T0, to: NOW - 2 * HOUR - 7 * MIN },
      86400: { from: T0, to: T0 + 40 * DAY },
    };
    const w = { from: T0 + 38 * DAY, to: NOW - 7 * MIN };
    const t = tile(w, coverage);
    expectPartition(t, w, coverage);
    expect(t.gaps).toEqual([]);
    expect(t.pieces.map((p) => p.res)).toEqual([86400, 3600, 300]);
  });

  it("restricted to the tiers dividing a series' period", () => {
    const coverage = retained({ 60: NOW - 15 * DAY, 300: NOW - 60 * DAY, 3600: T0 - DAY, 86400: T0 - DAY });
    const w = { from: T0 + 30 * DAY, to: T0 + 37 * DAY };
    const t = tile(w, coverage, resolutionsDividing(1800));
    expectPartition(t, w, coverage);
    expect(t.pieces).toEqual([{ res: 300, from: w.from, to: w.to }]);
    expect(resolutionsDividing(1800)).toEqual([60, 300]);
    expect(resolutionsDividing(7200)).toEqual([60, 300, 3600]);
    expect(resolutionsDividing(86_400)).toEqual([60, 300, 3600, 21600, 86400]);
    expect(resolutionsDividing(604_800)).toEqual([...RESOLUTIONS]);
    expect(resolutionsDividing(120)).toEqual([60]);
  });

  it("reads a few dozen rows per key for a 30-day window, whatever its edges", () => {
    const all = { from: T0 - 400 * DAY, to: T0 + 400 * DAY };
    const coverage: TierCoverage = Object.fromEntries(RESOLUTIONS.map((r) => [r, all]));
    let worst = 0;
    for (let minute = 0; minute < 7 * 1440; minute += 97) {
      const w = { from: T0 + minute * MIN, to: T0 + minute * MIN + 30 * DAY };
      const t = tile(w, coverage);
      expectPartition(t, w, coverage);
      worst = Math.max(
        worst,
        t.pieces.reduce((n, p) => n + (p.to - p.from) / (p.res * 1000), 0),
      );
    }
    // At most 4 + 11 + 5 + 3 + 6 rows at each edge, and 4 weeks between: against 30 · 24 hourly rows.
    expect(worst).toBeLessThanOrEqual(2 * (4 + 11 + 5 + 3 + 6) + 4);
  });

  it("holds its invariants on random windows and coverages", () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      const coverage: TierCoverage = {};
      for (const res of RESOLUTIONS) {
        if (rnd(4) === 0) continue;
        const step = res * 1000;
        const a = Math.floor((T0 + rnd(40 * 1440) * MIN) / step) * step;
        const b = Math.floor((a + rnd(30 * 1440) * MIN) / step) * step;
        coverage[res] = { from: a, to: Math.max(a, b) };
      }
      const from = T0 + rnd(40 * 1440) * MIN;
      const w = { from, to: from + (1 + rnd(20 * 1440)) * MIN };
      const t = tile(w, coverage);
      expectPartition(t, w, coverage);
      for (const g of t.gaps) {
        if (g.within === null) continue;
        const step = g.within * 1000;
        const c = coverage[g.within]!;
        expect(c.from).toBeLessThanOrEqual(Math.floor(g.from / step) * step);
        expect(c.to).toBeGreaterThanOrEqual(Math.ceil(g.to / step) * step);
      }
    }
  });
});

describe("covered intervals", () => {
  it("merges touching pieces and answers whether a slot lies wholly inside", () => {
    const ivs = coveredIntervals([
      { from: 10, to: 20 },
      { from: 0, to: 10 },
      { from: 30, to: 40 },
    ]);
    expect(ivs).toEqual([
      { from: 0, to: 20 },
      { from: 30, to: 40 },
    ]);
    expect(isCovered(ivs, 5, 20)).toBe(true);
    expect(isCovered(ivs, 15, 35)).toBe(false);
    expect(isCovered(ivs, 30, 40)).toBe(true);
    expect(isCovered([], 0, 1)).toBe(false);
  });

  it("intersects two interval lists", () => {
    const a = [
      { from: 0, to: 10 },
      { from: 20, to: 30 },
    ];
    expect(intersectIntervals(a, [{ from: 5, to: 25 }])).toEqual([
      { from: 5, to: 10 },
      { from: 20, to: 25 },
    ]);
    expect(intersectIntervals(a, [])).toEqual([]);
    expect(intersectIntervals(a, a)).toEqual(a);
  });
});
