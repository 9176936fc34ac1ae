import { describe, expect, it } from "vitest";
import { axisScale, durationUnit, tickAnchor } from "@/lib/core/charts/axis";

describe("axisScale", () => {
  it("labels a duration axis in one unit chosen from its top: 0 s, 5 s, 10 s (no '0 ms' beside '10 s')", () => {
    const a = axisScale("ms", 9_300, 3);
    expect(a.labels).toEqual(["0 s", "5 s", "10 s"]);
    expect(a.ticks).toEqual([0, 5_000, 10_000]);
    expect(a.max).toBe(10_000);
  });

  it("keeps milliseconds below a second, and gives every label the same decimals", () => {
    expect(axisScale("ms", 180, 4).labels.every((l) => l.endsWith(" ms"))).toBe(true);
    const s = axisScale("ms", 1_400, 4);
    expect(s.labels).toEqual(["0.0 s", "0.5 s", "1.0 s", "1.5 s"]);
  });

  it("switches to minutes for long durations", () => {
    expect(durationUnit(10 * 60_000).suffix).toBe("min");
    expect(axisScale("ms", 10 * 60_000, 3).labels.at(-1)).toBe("10 min");
  });

  it("gives a count axis integer ticks only, even for a tiny maximum", () => {
    for (const max of [0, 1, 2, 3, 7]) {
      const a = axisScale("count", max, 4);
      expect(a.ticks.every((t) => Number.isInteger(t))).toBe(true);
      expect(a.max).toBeGreaterThanOrEqual(max);
    }
    expect(axisScale("count", 2, 4).ticks).toEqual([0, 1, 2]);
  });

  it("fits the data and starts at 0", () => {
    const a = axisScale("ratio", 0.037, 4);
    expect(a.ticks[0]).toBe(0);
    expect(a.max).toBeGreaterThanOrEqual(0.037);
    expect(a.labels.every((l) => l.endsWith("%"))).toBe(true);
  });
});

describe("tickAnchor", () => {
  it("anchors a label at the edge it would cross, centres the others", () => {
    expect(tickAnchor(552, 0, 560, 14)).toBe("end");
    expect(tickAnchor(5, 0, 560, 14)).toBe("start");
    expect(tickAnchor(300, 0, 560, 14)).toBe("middle");
  });
});
