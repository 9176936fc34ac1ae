import { describe, expect, it } from "vitest";
import { moveSlot, nearestSlot, valuesAt } from "@/lib/core/charts/hover";

const grid = [0, 60_000, 120_000, 180_000];

describe("nearestSlot", () => {
  it("finds the slot whose start is nearest the time", () => {
    expect(nearestSlot(grid, 0)).toBe(0);
    expect(nearestSlot(grid, 29_000)).toBe(0);
    expect(nearestSlot(grid, 31_000)).toBe(1);
    expect(nearestSlot(grid, 10_000_000)).toBe(3);
    expect(nearestSlot(grid, -5)).toBe(0);
    expect(nearestSlot([], 5)).toBe(-1);
  });
});

describe("moveSlot", () => {
  it("steps and clamps at the ends; from no slot, starts at an end", () => {
    expect(moveSlot(4, 1, 1)).toBe(2);
    expect(moveSlot(4, 3, 1)).toBe(3);
    expect(moveSlot(4, 0, -1)).toBe(0);
    expect(moveSlot(4, -1, 1)).toBe(0);
    expect(moveSlot(4, -1, -1)).toBe(3);
    expect(moveSlot(0, -1, 1)).toBe(-1);
  });
});

describe("valuesAt", () => {
  it("reads every series in the slot, a gap as null (never 0)", () => {
    const series = [
      { key: "a", label: "A", color: "#000", values: [1, 2, null, 4] },
      { key: "b", label: "B", color: "#111", values: [0, null, 3, 5] },
    ];
    expect(valuesAt(series, 1)).toEqual([
      { key: "a", label: "A", color: "#000", value: 2 },
      { key: "b", label: "B", color: "#111", value: null },
    ]);
    expect(valuesAt(series, 0).map((v) => v.value)).toEqual([1, 0]);
  });
});
