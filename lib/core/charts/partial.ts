/**
 * Drawing a series whose edge slots are only partly inside the window (time/bucket.ts `isPartialSlot`): a count
 * over part of a period would read as a drop, so those points are drawn apart, as incomplete.
 *
 * Invariants of `splitPartial(points, isPartial)`:
 * - `whole` has the input's length and timestamps, with every partial point set to null (a gap), so the solid
 *   line never reaches a partial value.
 * - `partial` lists, per non-null partial point, the segment that joins it to its nearest non-null whole
 *   neighbour inside the series (previous first), or the point alone when it has none; drawn dashed.
 */
import type { SeriesPoint } from "./series";

export interface PartialSplit {
  whole: SeriesPoint[];
  partial: SeriesPoint[][];
}

export function splitPartial(
  points: readonly SeriesPoint[],
  isPartial: (t: number) => boolean,
): PartialSplit {
  const whole = points.map((p) => (isPartial(p.t) ? { t: p.t, v: null } : p));
  const partial: SeriesPoint[][] = [];
  points.forEach((p, i) => {
    if (p.v === null || !isPartial(p.t)) return;
    const before = points[i - 1];
    const after = points[i + 1];
    if (before && before.v !== null && !isPartial(before.t)) partial.push([before, p]);
    else if (after && after.v !== null && !isPartial(after.t)) partial.push([p, after]);
    else partial.push([p]);
  });
  return { whole, partial };
}
