/**
 * A small per-slot bar chart (an error group's trend): each slot's count as a share of the tallest slot.
 *
 * Invariants:
 * - One bar per slot, in the slots' order, with the slot's time.
 * - A slot not collected (count null) is a bar with height null (drawn as a gap), never a zero bar.
 * - Heights are in [0, 1]; all-zero (or no collected slot) gives zero heights, never NaN.
 */

export interface TrendSlot {
  t: number;
  /** null: the slot is not wholly collected. */
  count: number | null;
}

export interface TrendBar {
  t: number;
  /** Share of the tallest slot in [0, 1]; null: not collected. */
  height: number | null;
  /** `2026-11-23 11:30 UTC: 4`, or `…: not collected`. */
  label: string;
}

const utc = (t: number) => `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function prepareTrend(slots: readonly TrendSlot[]): TrendBar[] {
  const max = Math.max(0, ...slots.map((s) => s.count ?? 0));
  return slots.map((s) => ({
    t: s.t,
    height: s.count === null ? null : max === 0 ? 0 : s.count / max,
    label: `${utc(s.t)}: ${s.count === null ? "not collected" : `${s.count}`}`,
  }));
}
