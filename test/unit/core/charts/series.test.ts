import { describe, expect, it } from "vitest";
import { assignColors, PALETTE, seriesColor } from "@/lib/core/charts/colors";
import { LAMBDA_METRICS } from "@/lib/core/charts/metrics";
import { errorRateSeries, periodGrid, prepareSeries, seriesMax, stackSeries } from "@/lib/core/charts/series";
import { niceTicks, timeTicks } from "@/lib/core/charts/ticks";
import { formatChartValue } from "@/lib/core/charts/value-format";
import { epochMs, seconds } from "@/lib/core/units";

const T0 = epochMs(Date.parse("2025-06-15T12:00:00.000Z"));
const MIN = 60_000;
const base = { start: T0, end: epochMs(T0 + 5 * MIN), period: seconds(60) };

describe("prepareSeries", () => {
  // CloudWatch returned points for minutes 0, 2 and 4 only, newest first as GetMetricData does.
  const sparse = { timestamps: [T0 + 4 * MIN, T0 + 2 * MIN, T0], values: [7, 3, 5] };

  it("fills a missing COUNT period with 0", () => {
    expect(prepareSeries({ ...base, ...sparse, kind: "count" }).map((p) => p.v)).toEqual([5, 0, 3, 0, 7]);
  });

  it("leaves a missing GAUGE period as a gap, never 0", () => {
    const points = prepareSeries({ ...base, ...sparse, kind: "gauge" });
    expect(points.map((p) => p.v)).toEqual([5, null, 3, null, 7]);
    expect(points.map((p) => p.t)).toEqual([0, 1, 2, 3, 4].map((i) => T0 + i * MIN));
  });

  it("drops points outside the window and non-finite values, and floors an unaligned start", () => {
    const points = prepareSeries({
      ...base,
      start: epochMs(T0 + 1234),
      timestamps: [T0 - MIN, T0 + 5 * MIN, T0 + MIN + 30_000, T0 + 2 * MIN],
      values: [99, 99, 4, Number.NaN],
      kind: "gauge",
    });
    expect(points[0]?.t).toBe(T0);
    expect(points.map((p) => p.v)).toEqual([null, 4, null, null, null]);
  });

  it("sums counts that share a slot and keeps the last gauge value", () => {
    const twice = { timestamps: [T0, T0 + 10_000], values: [2, 3] };
    expect(prepareSeries({ ...base, ...twice, kind: "count" })[0]?.v).toBe(5);
    expect(prepareSeries({ ...base, ...twice, kind: "gauge" })[0]?.v).toBe(3);
  });

  it("with coverage, a slot not wholly collected is a gap for counts too (not collected is not 0)", () => {
    // Collected from minute 1:30 to minute 4: slot 1 is half collected, slot 4 not at all.
    const covered = [{ from: T0 + MIN + 30_000, to: T0 + 4 * MIN }];
    const count = prepareSeries({ ...base, ...sparse, kind: "count", covered });
    expect(count.map((p) => p.v)).toEqual([null, null, 3, 0, null]);
    const gauge = prepareSeries({ ...base, ...sparse, kind: "gauge", covered });
    expect(gauge.map((p) => p.v)).toEqual([null, null, 3, null, null]);
    expect(prepareSeries({ ...base, ...sparse, kind: "count", covered: [] }).every((p) => p.v === null)).toBe(
      true,
    );
  });

  it("puts every series of one window on the same grid", () => {
    expect(periodGrid(base.start, base.end, base.period)).toHaveLength(5);
    expect(prepareSeries({ ...base, timestamps: [], values: [], kind: "count" })).toHaveLength(5);
    expect(prepareSeries({ ...base, period: seconds(0), timestamps: [], values: [], kind: "count" })).toEqual(
      [],
    );
  });

  it("charts Duration as a gauge and Invocations as a count", () => {
    expect(LAMBDA_METRICS.Duration.kind).toBe("gauge");
    expect(LAMBDA_METRICS.Invocations.kind).toBe("count");
    expect(LAMBDA_METRICS.ProvisionedConcurrencyUtilization.kind).toBe("gauge");
  });
});

describe("derived and stacked series", () => {
  const invocations = prepareSeries({
    ...base,
    timestamps: [T0, T0 + MIN, T0 + 3 * MIN],
    values: [10, 4, 8],
    kind: "count",
  });
  const errors = prepareSeries({ ...base, timestamps: [T0, T0 + 3 * MIN], values: [1, 2], kind: "count" });

  it("error rate is errors/invocations with gaps where there were no invocations", () => {
    expect(errorRateSeries(errors, invocations).map((p) => p.v)).toEqual([0.1, 0, null, 0.25, null]);
  });

  it("stacks layers bottom first and leaves a gap only in the missing layer", () => {
    const v1 = [1, 2, 3].map((v, i) => ({ t: epochMs(T0 + i * MIN), v }));
    const v2 = [10, null, 30].map((v, i) => ({ t: epochMs(T0 + i * MIN), v }));
    const [a, b] = stackSeries([
      { key: "v1", points: v1 },
      { key: "v2", points: v2 },
    ]);
    expect(a?.bands.map((x) => [x.y0, x.y1])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
    expect(b?.bands.map((x) => [x.y0, x.y1])).toEqual([
      [1, 11],
      [null, null],
      [3, 33],
    ]);
    expect(() =>
      stackSeries([
        { key: "x", points: v1 },
        { key: "y", points: v1.slice(1) },
      ]),
    ).toThrow();
    expect(seriesMax([v1, v2])).toBe(30);
    expect(seriesMax([[{ t: T0, v: null }]])).toBeNull();
  });
});

describe("ticks", () => {
  it("picks 1-2-5 steps that cover the data", () => {
    expect(niceTicks(0, 97, 5)).toMatchObject({ step: 50, ticks: [0, 50, 100] });
    expect(niceTicks(0, 1234, 5).ticks).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0, 0.3, 4).ticks).toEqual([0, 0.1, 0.2, 0.3]);
    for (const [lo, hi] of [
      [3, 1007],
      [-12, 48],
      [0.0012, 0.0377],
    ] as const) {
      const s = niceTicks(lo, hi, 6);
      expect(s.min).toBeLessThanOrEqual(lo);
      expect(s.max).toBeGreaterThanOrEqual(hi);
      expect(String(s.step / 10 ** Math.floor(Math.log10(s.step)))).toMatch(/^(1|2|5)$/);
      expect(s.ticks.length).toBeGreaterThanOrEqual(2);
      expect(s.ticks.length).toBeLessThanOrEqual(9);
    }
  });

  it("gives a flat or empty domain a usable axis", () => {
    expect(niceTicks(0, 0).ticks).toEqual([0, 0.5, 1]);
    const flat = niceTicks(42, 42);
    expect(flat.min).toBeLessThan(42);
    expect(flat.max).toBeGreaterThan(42);
    expect(niceTicks(Number.NaN, Number.NaN).ticks.length).toBeGreaterThanOrEqual(2);
  });

  it("places time ticks on round UTC instants within the range", () => {
    const day = timeTicks(epochMs(T0 - 86_400_000 + 17_000), T0, 6);
    expect(day.step).toBe(6 * 3_600_000);
    expect(day.ticks.every((t) => t % day.step === 0)).toBe(true);
    expect(day.ticks.length).toBeLessThanOrEqual(6);
    expect(timeTicks(epochMs(T0 - 15 * MIN), T0, 6).step).toBe(5 * MIN);
    expect(timeTicks(T0, T0).ticks).toEqual([]);
  });
});

describe("colours", () => {
  it("are stable per key and distinct within a set regardless of order", () => {
    expect(seriesColor("orders-api:7")).toBe(seriesColor("orders-api:7"));
    const keys = Array.from({ length: PALETTE.length }, (_, i) => `v${i}`);
    const a = assignColors(keys);
    const b = assignColors([...keys].reverse());
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    expect(new Set(a.values()).size).toBe(PALETTE.length);
  });
});

describe("formatChartValue", () => {
  it("formats by unit and renders gaps as a dash", () => {
    expect(formatChartValue("ms", 1234)).toBe("1.2 s");
    expect(formatChartValue("ratio", 0.25)).toBe("25%");
    expect(formatChartValue("count", 1200)).toBe("1.2k");
    expect(formatChartValue("microUsd", 4200)).toBe("$0.0042");
    expect(formatChartValue("mb", 128)).toBe("128 MB");
    expect(formatChartValue("count", null)).toBe("—");
  });
});
