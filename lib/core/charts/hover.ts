/**
 * What a crosshair reads: the slot nearest a time and every series' value in it.
 *
 * Invariants:
 * - Series prepared for one chart share one grid (series.ts), so one slot index reads every series.
 * - A gap (null) reads as null, never 0: the readout says "no data".
 * - `moveSlot` clamps to the grid: arrow keys stop at the first and last slot.
 */
export interface HoverSeries {
  key: string;
  label: string;
  color: string;
  /** One value per grid slot; null: no data. */
  values: readonly (number | null)[];
}

export interface HoverValue {
  key: string;
  label: string;
  color: string;
  value: number | null;
}

/** Index of the grid slot whose start is nearest `t` (grid sorted ascending); -1 for an empty grid. */
export function nearestSlot(grid: readonly number[], t: number): number {
  if (grid.length === 0) return -1;
  let lo = 0;
  let hi = grid.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((grid[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  const prev = lo - 1;
  if (prev >= 0 && t - (grid[prev] as number) <= (grid[lo] as number) - t) return prev;
  return lo;
}

/** The slot `delta` steps from `index`, clamped to the grid; from no slot (-1) the first step lands on an end. */
export function moveSlot(length: number, index: number, delta: number): number {
  if (length === 0) return -1;
  if (index < 0) return delta < 0 ? length - 1 : 0;
  return Math.max(0, Math.min(length - 1, index + delta));
}

/** Every series' value in slot `index` (null where the series has no data there). */
export function valuesAt(series: readonly HoverSeries[], index: number): HoverValue[] {
  return series.map((s) => ({ key: s.key, label: s.label, color: s.color, value: s.values[index] ?? null }));
}
