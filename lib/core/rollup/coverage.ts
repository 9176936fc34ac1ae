/**
 * What a store-backed view can say about its own data: per region and source, how much of the asked window the
 * collector has covered, up to when, and how fresh that is. Pure.
 *
 * Invariants:
 * - `coveredMs` and `gaps` come from the tiling of the window (lib/core/rollup/tiling.ts), so a view's totals and
 *   its stated coverage are computed over the same rows.
 * - The newest minutes cannot be collected yet (a minute is read once closed and settled): the part of a window
 *   later than `now - COLLECTION_LAG_MS` is "not yet", not missing, and does not make a source partial. Older
 *   gaps do: such a view says "still collecting: covered X of Y" and never presents its numbers as whole.
 * - A panel fed by several sources is as fresh as its stalest source.
 */
import type { Interval, TileGap } from "./tiling";

/** How far behind `now` the collector's newest complete minute normally is (settle window plus cadence). */
export const COLLECTION_LAG_MS = 5 * 60_000;

export interface SourceCoverage {
  region: string;
  source: "metrics" | "logs" | "errors";
  /** The collector's covered span across resolutions and when it last wrote it; null: nothing collected. */
  collected: { from: number; to: number; updatedAt: number } | null;
  window: Interval;
  /** Milliseconds of the window the store answers. */
  coveredMs: number;
  /** Parts of the window the store does not answer (see TileGap.within). */
  gaps: TileGap[];
}

/** The part of the window that should be collected by now. */
export const expectedWindow = (w: Interval, now: number): Interval => ({
  from: w.from,
  to: Math.max(w.from, Math.min(w.to, now - COLLECTION_LAG_MS)),
});

/** Missing milliseconds of the expected part of the window. */
export function missingMs(c: SourceCoverage, now: number): number {
  const e = expectedWindow(c.window, now);
  let missing = 0;
  for (const g of c.gaps) missing += Math.max(0, Math.min(g.to, e.to) - Math.max(g.from, e.from));
  return missing;
}

export const isPartial = (c: SourceCoverage, now: number): boolean => missingMs(c, now) > 0;

export interface CoverageSummary {
  /** Stalest source's newest collected minute; null when some source has nothing collected. */
  dataTo: number | null;
  /** Stalest source's last write. */
  updatedAt: number | null;
  /** Sources missing more than the newest minutes of the window. */
  partial: SourceCoverage[];
}

export function summarizeCoverage(sources: readonly SourceCoverage[], now: number): CoverageSummary {
  let dataTo: number | null = null;
  let updatedAt: number | null = null;
  let unknown = sources.length === 0;
  for (const s of sources) {
    if (s.collected === null) {
      unknown = true;
      continue;
    }
    dataTo = dataTo === null ? s.collected.to : Math.min(dataTo, s.collected.to);
    updatedAt = updatedAt === null ? s.collected.updatedAt : Math.min(updatedAt, s.collected.updatedAt);
  }
  return {
    dataTo: unknown ? null : dataTo,
    updatedAt: unknown ? null : updatedAt,
    partial: sources.filter((s) => isPartial(s, now)),
  };
}
