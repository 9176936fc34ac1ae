/** An error group's trend bars: scaled to the tallest slot; a slot not collected is a gap, never a zero. */
import { describe, expect, it } from "vitest";
import { prepareTrend } from "@/lib/core/charts/trend-bars";

const T0 = Date.parse("2026-11-23T11:30:00Z");

describe("prepareTrend", () => {
  it("scales to the tallest slot and keeps a slot not collected as a gap, not a zero", () => {
    const bars = prepareTrend([
      { t: T0, count: 2 },
      { t: T0 + 300_000, count: 0 },
      { t: T0 + 600_000, count: null },
      { t: T0 + 900_000, count: 4 },
    ]);
    expect(bars.map((b) => b.t)).toEqual([T0, T0 + 300_000, T0 + 600_000, T0 + 900_000]);
    expect(bars.map((b) => b.height)).toEqual([0.5, 0, null, 1]);
    expect(bars.map((b) => b.label)).toEqual([
      "2026-11-23 11:30 UTC: 2",
      "2026-11-23 11:35 UTC: 0",
      "2026-11-23 11:40 UTC: not collected",
      "2026-11-23 11:45 UTC: 4",
    ]);
  });

  it("all zero or nothing collected gives zero or null heights, never NaN", () => {
    expect(
      prepareTrend([
        { t: T0, count: 0 },
        { t: T0 + 60_000, count: 0 },
      ]).map((b) => b.height),
    ).toEqual([0, 0]);
    expect(
      prepareTrend([
        { t: T0, count: null },
        { t: T0 + 60_000, count: null },
      ]).map((b) => b.height),
    ).toEqual([null, null]);
    expect(prepareTrend([])).toEqual([]);
  });
});
