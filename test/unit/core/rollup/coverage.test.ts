/** What a store-backed view says about its coverage and freshness (lib/core/rollup/coverage.ts). */
import { describe, expect, it } from "vitest";
import {
  COLLECTION_LAG_MS,
  expectedWindow,
  isPartial,
  missingMs,
  summarizeCoverage,
  type SourceCoverage,
} from "@/lib/core/rollup/coverage";

const M = 60_000;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const window = { from: NOW - 60 * M, to: NOW + M };

const source = (over: Partial<SourceCoverage> = {}): SourceCoverage => ({
  region: "us-east-1",
  source: "metrics",
  collected: { from: NOW - 90 * M, to: NOW - 2 * M, updatedAt: NOW - 40_000 },
  window,
  coveredMs: 62 * M - 3 * M,
  gaps: [{ from: NOW - 2 * M, to: NOW + M, within: null }],
  ...over,
});

describe("coverage", () => {
  it("does not count the minutes that cannot be collected yet", () => {
    expect(expectedWindow(window, NOW)).toEqual({ from: window.from, to: NOW - COLLECTION_LAG_MS });
    expect(missingMs(source(), NOW)).toBe(0);
    expect(isPartial(source(), NOW)).toBe(false);
  });

  it("counts an older gap, and a stalled collector's tail once it is older than the lag", () => {
    const backfilling = source({
      gaps: [
        { from: window.from, to: window.from + 20 * M, within: null },
        { from: NOW - 2 * M, to: NOW + M, within: null },
      ],
    });
    expect(missingMs(backfilling, NOW)).toBe(20 * M);
    const stalled = source({ gaps: [{ from: NOW - 30 * M, to: NOW + M, within: null }] });
    expect(missingMs(stalled, NOW)).toBe(30 * M - COLLECTION_LAG_MS);
    expect(isPartial(stalled, NOW)).toBe(true);
  });

  it("a panel is as fresh as its stalest source, and unknown while any has nothing", () => {
    const logs = source({
      source: "logs",
      collected: { from: NOW - 90 * M, to: NOW - 4 * M, updatedAt: NOW - 100_000 },
    });
    expect(summarizeCoverage([source(), logs], NOW)).toEqual({
      dataTo: NOW - 4 * M,
      updatedAt: NOW - 100_000,
      partial: [],
    });
    const none = source({ collected: null, coveredMs: 0, gaps: [{ ...window, within: null }] });
    expect(summarizeCoverage([source(), none], NOW)).toMatchObject({ dataTo: null, partial: [none] });
    expect(summarizeCoverage([], NOW).dataTo).toBeNull();
  });
});
