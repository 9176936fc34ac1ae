/**
 * Time spans picked on a chart: a drag becomes a zoom range, a click becomes its slot.
 *
 * Invariants:
 * - Ranges snap to whole slots of the chart's grid (`step` ms): a drag from inside slot a to inside slot b zooms
 *   to [start of a, end of b).
 * - A drag across fewer than `MIN_ZOOM_SLOTS` slots is not a zoom (null): it was a click or a wobble.
 * - The range never leaves the chart's window [start, end).
 */
import type { RangeSpec } from "../time/range";
import { epochMs } from "../units";

export const MIN_ZOOM_SLOTS = 2;

export interface ChartWindow {
  start: number;
  end: number;
  /** The grid step in ms. */
  step: number;
}

/** The slot [from, to) holding `t`, clipped to the window. */
export function slotSpan(w: ChartWindow, t: number): { from: number; to: number } {
  const from = Math.floor(t / w.step) * w.step;
  return { from: Math.max(from, w.start), to: Math.min(from + w.step, w.end) };
}

/** The zoom range of a drag from time `a` to time `b` (either order); null under MIN_ZOOM_SLOTS slots. */
export function zoomRange(w: ChartWindow, a: number, b: number): RangeSpec | null {
  if (!(w.step > 0)) return null;
  const lo = slotSpan(w, Math.min(a, b));
  const hi = slotSpan(w, Math.max(a, b));
  const slots = Math.round(Math.floor(Math.max(a, b) / w.step) - Math.floor(Math.min(a, b) / w.step) + 1);
  if (slots < MIN_ZOOM_SLOTS || !(hi.to > lo.from)) return null;
  return { kind: "custom", from: epochMs(lo.from), to: epochMs(hi.to) };
}

/** The range of one slot, as a RangeSpec (what a click on a point opens). */
export function slotRange(w: ChartWindow, t: number): RangeSpec {
  const s = slotSpan(w, t);
  return { kind: "custom", from: epochMs(s.from), to: epochMs(s.to) };
}
