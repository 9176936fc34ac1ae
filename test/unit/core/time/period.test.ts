import { describe, expect, it } from "vitest";
import {
  bucketForRange,
  bucketRange,
  isPartialSlot,
  seriesWindow,
  slotInWindow,
} from "@/lib/core/time/bucket";
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
  const MIN = 60_000;
  const at = epochMs(Date.UTC(2026, 10, 23, 12, 34, 20)); // 12:34:20, inside a running minute

  it("reads exactly the asked window when its ends are whole minutes", () => {
    const w = { start: epochMs(Date.UTC(2026, 10, 23, 11, 0)), end: epochMs(Date.UTC(2026, 10, 23, 12, 0)) };
    const b = bucketRange(w, at, seconds(60));
    expect([b.start, b.end]).toEqual([w.start, w.end]);
    expect(b.aligned).toBe(false);
    expect(b.points).toBe(60);
  });

  it("leaves out the running minute and keeps a preset's length", () => {
    for (const preset of RANGE_PRESETS) {
      const w = resolveRange({ kind: "preset", preset }, at);
      const b = bucketRange(w, at, choosePeriod(w, at));
      // Older than 15 days only 5-minute data exists: a 30-day window ends at the last whole 5 minutes.
      expect(b.end).toBe(Date.UTC(2026, 10, 23, 12, preset === "30d" ? 30 : 34));
      expect(b.end - b.start).toBe(PRESET_DURATION[preset]);
      expect(b.aligned).toBe(true);
    }
  });

  it("counts the chart slots the window touches, partial edges included, and marks those edges", () => {
    const w = { start: epochMs(at - 24 * 60 * MIN), end: at };
    const b = bucketRange(w, at, seconds(300));
    // 11:34 yesterday → 12:34 today: 288 five-minute slots plus one, the first and last cut by the window.
    expect(b.points).toBe(289);
    const first = Math.floor(b.start / 300_000) * 300_000;
    expect(isPartialSlot(first, b)).toBe(true);
    expect(isPartialSlot(first + 300_000, b)).toBe(false);
    expect(isPartialSlot(Math.floor(b.end / 300_000) * 300_000, b)).toBe(true);
    expect(slotInWindow(first, 300_000, b)).toEqual({ from: b.start, to: first + 300_000 });
  });

  it("aligns to 5-minute data once the window starts more than 15 days back, and says so", () => {
    const w = { start: epochMs(at - 20 * DAY + 2 * MIN), end: epochMs(at - 19 * DAY) };
    const b = bucketRange(w, at, seconds(300));
    expect(b.granularity).toBe(300);
    expect(b.start % 300_000).toBe(0);
    expect(b.end % 300_000).toBe(0);
    expect(w.start - b.start).toBeLessThan(300_000);
    expect(b.aligned).toBe(true);
  });

  it("refuses a window without one whole minute", () => {
    const w = { start: epochMs(at - 10_000), end: at };
    expect(() => bucketRange(w, at, seconds(60))).toThrow(/no whole 1-minute period/);
  });

  it("gives viewers within one minute the same key, and the next minute a new one", () => {
    const keyAt = (t: number) =>
      bucketRange(resolveRange({ kind: "preset", preset: "15m" }, epochMs(t)), epochMs(t), seconds(60)).key;
    const minute = Math.floor(at / MIN) * MIN;
    const keys = new Set([minute, minute + 1, minute + 30_000, minute + MIN - 1].map(keyAt));
    expect(keys.size).toBe(1);
    expect(keyAt(minute + MIN)).not.toBe(keyAt(minute));
  });

  it("is live while the collector may still rewrite it, settled after", () => {
    const recent = { start: epochMs(at - 60 * MIN), end: at };
    expect(bucketRange(recent, at, seconds(60)).live).toBe(true);
    const w = { start: epochMs(NOW - 2 * DAY), end: epochMs(NOW - DAY) };
    expect(bucketRange(w, NOW, seconds(3600)).live).toBe(false);
  });

  it("starts a live per-period query at the first whole slot, so CloudWatch's periods fall on the grid", () => {
    const w = { start: epochMs(at - 24 * 60 * MIN), end: at };
    const b = bucketRange(w, at, seconds(300));
    const q = seriesWindow(b);
    expect(q.start % 300_000).toBe(0);
    expect(q.start).toBeGreaterThanOrEqual(b.start);
    expect(q.start - b.start).toBeLessThan(300_000);
    expect(q.end).toBe(b.end);
    const aligned = bucketRange({ start: epochMs(at - 60 * MIN), end: at }, at, seconds(60));
    expect(seriesWindow(aligned)).toEqual({ start: aligned.start, end: aligned.end });
  });
});

describe("bucketForRange", () => {
  it("is resolve, choose the period, align: one way from what the user chose to what is read", () => {
    for (const preset of RANGE_PRESETS) {
      const w = resolveRange({ kind: "preset", preset }, NOW);
      expect(bucketForRange({ kind: "preset", preset }, NOW)).toEqual(
        bucketRange(w, NOW, choosePeriod(w, NOW)),
      );
    }
    const custom = { kind: "custom" as const, from: epochMs(NOW - 2 * DAY), to: epochMs(NOW - DAY) };
    expect(bucketForRange(custom, NOW)).toMatchObject({ start: custom.from, end: custom.to, period: 300 });
  });

  it("refuses what the range rules refuse", () => {
    expect(() =>
      bucketForRange({ kind: "custom", from: epochMs(NOW + DAY), to: epochMs(NOW + 2 * DAY) }, NOW),
    ).toThrow(/future/);
  });
});
