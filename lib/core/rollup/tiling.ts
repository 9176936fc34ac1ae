/**
 * Tiling a window with rollups of several resolutions: which rows to read so that a range is answered from the
 * fewest rows — the coarsest tier that fits in the middle, finer ones at the edges — and which parts of it no
 * tier can answer. Pure.
 *
 * Invariants of `tile(window, coverage, resolutions)`:
 * - pieces ∪ gaps = [window.from, window.to) exactly; all of them disjoint, each list sorted by `from`.
 * - A piece of resolution r is r-aligned at both ends and lies inside r's covered interval and the window, so
 *   reading rows of r with t in [from, to) reads whole buckets, each exactly once.
 * - Greedy from the coarsest tier down: a tier takes the largest aligned part of what is left that it covers; the
 *   remainders on either side go to the finer tiers. Coverage is one contiguous interval per tier (the store's
 *   invariant), so each tier splits a span into at most one piece and two remainders.
 * - A gap is time no tier can answer within the window. Its `within` names the finest tier that does hold it,
 *   in a bucket that reaches outside the gap (a window edge that is only 5-minute aligned once the 1-minute rows
 *   are pruned after 15 days): the data exists but cannot be cut there. `coarseEdge` says some gap is of that
 *   kind; the others were never collected (or are already pruned from every tier).
 * - Times are epoch ms; resolutions are seconds. Windows are expected minute-aligned (a sub-minute sliver is a
 *   gap, since no tier is finer than a minute).
 */
import { RESOLUTIONS, type Resolution } from "./types";

export interface Interval {
  from: number;
  to: number;
}

export interface TilePiece extends Interval {
  res: Resolution;
}

export interface TileGap extends Interval {
  /** The finest tier holding this span inside a bucket that straddles its ends; null: not collected at all. */
  within: Resolution | null;
}

export interface Tiling {
  pieces: TilePiece[];
  gaps: TileGap[];
  /** Total length of the pieces (ms). */
  coveredMs: number;
  /** Some gap is only a bucket edge of a coarser tier (see `TileGap.within`). */
  coarseEdge: boolean;
}

/** The covered interval of each resolution the store has; absent or null: nothing at that resolution. */
export type TierCoverage = Partial<Record<Resolution, Interval | null>>;

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;
const ceilTo = (t: number, step: number) => Math.ceil(t / step) * step;

export function tile(
  window: Interval,
  coverage: TierCoverage,
  resolutions: readonly Resolution[] = RESOLUTIONS,
): Tiling {
  const tiers = [...new Set(resolutions)].sort((a, b) => b - a);
  const pieces: TilePiece[] = [];
  const holes: Interval[] = [];

  // Depth is bounded by the number of tiers (4), so recursion is fine here.
  const fill = (lo: number, hi: number, level: number): void => {
    if (!(lo < hi)) return;
    const res = tiers[level];
    if (res === undefined) {
      holes.push({ from: lo, to: hi });
      return;
    }
    const c = coverage[res];
    const step = res * 1000;
    if (c) {
      const from = ceilTo(Math.max(lo, c.from), step);
      const to = floorTo(Math.min(hi, c.to), step);
      if (from < to) {
        fill(lo, from, level + 1);
        pieces.push({ res, from, to });
        fill(to, hi, level + 1);
        return;
      }
    }
    fill(lo, hi, level + 1);
  };
  fill(window.from, window.to, 0);

  pieces.sort((a, b) => a.from - b.from);
  holes.sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const h of holes) {
    const last = merged[merged.length - 1];
    if (last && last.to === h.from) last.to = h.to;
    else merged.push({ ...h });
  }
  const gaps = merged.map((g): TileGap => ({ ...g, within: holder(g, coverage, tiers) }));
  return {
    pieces,
    gaps,
    coveredMs: pieces.reduce((a, p) => a + (p.to - p.from), 0),
    coarseEdge: gaps.some((g) => g.within !== null),
  };
}

/** The finest tier whose covered interval holds the whole buckets around `g`. */
function holder(
  g: Interval,
  coverage: TierCoverage,
  tiersCoarseFirst: readonly Resolution[],
): Resolution | null {
  for (const res of [...tiersCoarseFirst].reverse()) {
    const c = coverage[res];
    const step = res * 1000;
    if (c && c.from <= floorTo(g.from, step) && ceilTo(g.to, step) <= c.to) return res;
  }
  return null;
}

/** Merged, sorted intervals of the pieces: where the tiling has data. */
export function coveredIntervals(pieces: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const p of [...pieces].sort((a, b) => a.from - b.from)) {
    const last = out[out.length - 1];
    if (last && last.to >= p.from) last.to = Math.max(last.to, p.to);
    else out.push({ from: p.from, to: p.to });
  }
  return out;
}

/** The intersection of two sorted, merged interval lists. */
export function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Interval;
    const y = b[j] as Interval;
    const from = Math.max(x.from, y.from);
    const to = Math.min(x.to, y.to);
    if (from < to) out.push({ from, to });
    if (x.to < y.to) i++;
    else j++;
  }
  return out;
}

/** Whether [from, to) lies wholly inside one of the (merged) intervals. */
export const isCovered = (intervals: readonly Interval[], from: number, to: number): boolean =>
  intervals.some((i) => i.from <= from && to <= i.to);

/** The resolutions dividing a period: the tiers whose buckets add up to whole points of a series at that period. */
export const resolutionsDividing = (periodSeconds: number): Resolution[] =>
  RESOLUTIONS.filter((r) => periodSeconds % r === 0);
