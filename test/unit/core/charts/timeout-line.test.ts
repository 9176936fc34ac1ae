import { describe, expect, it } from "vitest";
import type { SeriesPoint } from "@/lib/core/charts/series";
import { niceTicks } from "@/lib/core/charts/ticks";
import { HEADROOM, routedVersionsTimeout, timeoutLine, VISIBLE_FACTOR } from "@/lib/core/charts/timeout-line";
import { ratio, seconds, epochMs } from "@/lib/core/units";

const series = (...values: (number | null)[]): SeriesPoint[] =>
  values.map((v, i) => ({ t: epochMs(i * 60_000), v }));

describe("timeoutLine", () => {
  it("draws the configured timeout in ms with its label, and an axis reaching past it", () => {
    const line = timeoutLine(seconds(30), [series(20_000, null, 24_900), series(27_000, 28_400, null)]);
    expect(line).toEqual({
      kind: "line",
      value: 30_000,
      label: "timeout 30 s",
      yMax: 30_000 * (1 + HEADROOM),
    });
    // The rendered axis (niceTicks over yMax) puts the line below the top: its label fits inside the plot.
    if (line.kind !== "line") throw new Error("expected a line");
    expect(niceTicks(0, line.yMax, 4).max).toBeGreaterThan(line.value);
  });

  it("keeps data above the timeout on the axis (a timed-out invocation may report past it)", () => {
    const line = timeoutLine(seconds(30), [series(40_000)]);
    expect(line).toMatchObject({ kind: "line", value: 30_000, yMax: 40_000 });
  });

  it("draws it when the peak is exactly 1/VISIBLE_FACTOR of the timeout, not below", () => {
    expect(timeoutLine(seconds(40), [series(10_000)]).kind).toBe("line");
    expect(VISIBLE_FACTOR).toBe(4);
    const far = timeoutLine(seconds(900), [series(100, 2_000, null)]);
    expect(far).toEqual({
      kind: "off-scale",
      value: 900_000,
      label: "timeout 900 s",
      peak: 2_000,
      remark: "timeout 900 s not drawn: the peak here is under 1 % of it.",
    });
    expect(timeoutLine(seconds(60), [series(9_000)])).toMatchObject({
      kind: "off-scale",
      remark: "timeout 60 s not drawn: the peak here is 15 % of it.",
    });
  });

  it("draws nothing without data or without a timeout", () => {
    expect(timeoutLine(seconds(30), [series(null, null)])).toEqual({ kind: "none" });
    expect(timeoutLine(seconds(30), [])).toEqual({ kind: "none" });
    expect(timeoutLine(null, [series(29_000)])).toEqual({ kind: "none" });
  });
});

describe("routedVersionsTimeout", () => {
  const alias = (functionVersion: string, additional?: string) => ({
    functionVersion,
    routing: additional ? { additionalVersion: additional, weight: ratio(0.1) } : null,
  });
  const versions = [
    { version: "7", timeout: seconds(30) },
    { version: "8", timeout: seconds(30) },
    { version: "9", timeout: seconds(60) },
  ];

  it("is the routed versions' timeout when they agree", () => {
    expect(routedVersionsTimeout([alias("7", "8"), alias("8")], versions)).toBe(30);
  });

  it("is null when routed versions differ, one is unknown, or nothing is routed", () => {
    expect(routedVersionsTimeout([alias("8", "9")], versions)).toBeNull();
    expect(routedVersionsTimeout([alias("7"), alias("12")], versions)).toBeNull();
    expect(routedVersionsTimeout([], versions)).toBeNull();
  });
});
