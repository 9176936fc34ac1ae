import { describe, expect, it } from "vitest";
import { splitPartial } from "@/lib/core/charts/partial";
import type { SeriesPoint } from "@/lib/core/charts/series";
import { epochMs } from "@/lib/core/units";

const pts = (...vs: (number | null)[]): SeriesPoint[] => vs.map((v, i) => ({ t: epochMs(i * 10), v }));

describe("splitPartial", () => {
  it("takes partial edge points out of the solid line and joins each to its whole neighbour", () => {
    const points = pts(3, 10, 11, 12, 4);
    const edge = (t: number) => t === 0 || t === 40;
    const { whole, partial } = splitPartial(points, edge);
    expect(whole.map((p) => p.v)).toEqual([null, 10, 11, 12, null]);
    expect(whole.map((p) => p.t)).toEqual(points.map((p) => p.t));
    expect(partial).toEqual([
      [points[0], points[1]],
      [points[3], points[4]],
    ]);
  });

  it("draws a partial point alone when no whole neighbour has a value, and skips a partial gap", () => {
    const { partial } = splitPartial(pts(null, 5, null), (t) => t === 10);
    expect(partial).toEqual([[{ t: 10, v: 5 }]]);
    expect(splitPartial(pts(1, null), (t) => t === 10).partial).toEqual([]);
  });

  it("leaves a series without partial slots unchanged", () => {
    const points = pts(1, 2, null, 3);
    expect(splitPartial(points, () => false)).toEqual({ whole: points, partial: [] });
  });
});
