import { describe, expect, it } from "vitest";
import { bucketRange } from "@/lib/core/time/bucket";
import { choosePeriod, minimumPeriodForAge } from "@/lib/core/time/period";
import { PRESET_DURATION, RANGE_PRESETS, resolveRange } from "@/lib/core/time/range";
import { epochMs, seconds } from "@/lib/core/units";

const NOW = epochMs(Date.parse("2025-06-15T12:00:00.000Z"));
const DAY = 86_400_000;
const window = (ageDays: number, durationMs: number) => ({
  start: epochMs(NOW - ageDays * DAY),
  end: epochMs(NOW - ageDays * DAY + durationMs),
});

describe("choosePeriod", () => {
  it("follows the retention of the window's start", () => {
    expect(minimumPeriodForAge(14.9 * DAY)).toBe(60);
    expect(minimumPeriodForAge(15 * DAY)).toBe(300);
    expect(minimumPeriodForAge(62 * DAY)).toBe(300);
    expect(minimumPeriodForAge(63 * DAY)).toBe(3600);
    expect(minimumPeriodForAge(455 * DAY)).toBe(3600);
    expect(() => minimumPeriodForAge(456 * DAY)).toThrow(/455 days/);
    // One hour of data, 20 days ago: 60 s points are gone even though the window is short.
    expect(choosePeriod(window(20, 3_600_000), NOW, 1000)).toBe(300);
    expect(choosePeriod(window(100, 3_600_000), NOW, 1000)).toBe(3600);
  });

  it("keeps the point count under maxPoints with the finest nice period", () => {
    for (const preset of RANGE_PRESETS) {
      for (const maxPoints of [60, 360, 1440]) {
        const w = resolveRange({ kind: "preset", preset }, NOW);
        const p = choosePeriod(w, NOW, maxPoints);
        expect(Math.ceil(PRESET_DURATION[preset] / (p * 1000))).toBeLessThanOrEqual(maxPoints);
        expect(p % 60).toBe(0);
        expect(p % minimumPeriodForAge(NOW - w.start)).toBe(0);
      }
    }
    const day = resolveRange({ kind: "preset", preset: "24h" }, NOW);
    expect(choosePeriod(day, NOW, 1440)).toBe(60);
    expect(choosePeriod(day, NOW, 1439)).toBe(120);
    expect(choosePeriod(day, NOW, 100)).toBe(900);
    expect(choosePeriod(resolveRange({ kind: "preset", preset: "30d" }, NOW), NOW, 10_000)).toBe(300);
  });

  it("falls back to whole days for extreme densities and rejects bad input", () => {
    expect(choosePeriod(window(400, 300 * DAY), NOW, 10)).toBe(30 * 86_400);
    expect(() => choosePeriod(window(1, 0), NOW)).toThrow(/start before/);
    expect(() => choosePeriod(window(1, DAY), NOW, 0)).toThrow(/maxPoints/);
  });
});

describe("bucketRange", () => {
  it("aligns to the period grid and covers the window", () => {
    const w = { start: epochMs(NOW - DAY + 17_123), end: epochMs(NOW + 17_123) };
    const b = bucketRange(w, NOW, seconds(300));
    expect(b.start % 300_000).toBe(0);
    expect(b.end % 300_000).toBe(0);
    expect(b.start).toBeLessThanOrEqual(w.start);
    expect(b.end).toBeGreaterThanOrEqual(w.end);
    expect(w.start - b.start).toBeLessThan(2 * 300_000);
    expect(b.end - w.end).toBeLessThan(300_000);
    expect(b.points).toBe((b.end - b.start) / 300_000);
    expect(b.live).toBe(true);
  });

  it("gives viewers within one period slot the same key, and the next slot a new one", () => {
    const keyAt = (t: number) =>
      bucketRange(resolveRange({ kind: "preset", preset: "15m" }, epochMs(t)), epochMs(t), seconds(600)).key;
    const slot = Math.ceil(NOW / 600_000) * 600_000;
    const keys = new Set([slot - 599_999, slot - 300_000, slot - 1, slot].map(keyAt));
    expect(keys.size).toBe(1);
    expect(keyAt(slot + 1)).not.toBe(keyAt(slot));
  });

  it("is not live for a window that ended in the past", () => {
    const w = { start: epochMs(NOW - 2 * DAY), end: epochMs(NOW - DAY) };
    expect(bucketRange(w, NOW, seconds(3600)).live).toBe(false);
  });
});
