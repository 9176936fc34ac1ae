/**
 * Compare with the previous period: the same range one day or one week earlier, read on the same grid and
 * moved onto the current window's times, drawn as a dashed series. Pure.
 *
 * Invariants:
 * - The earlier bucket has the current bucket's period and length, its ends moved back by exactly the shift;
 *   a day and a week are whole multiples of every chart period (≤ 1 day), so both grids line up slot for slot.
 * - The earlier window obeys the same retention rule as the current one (minimumPeriodForAge of its start): when
 *   that allows only a period the current one is not a multiple of, there is no earlier bucket, and the reason
 *   (previousPeriodProblem) is shown instead of an empty "not collected" line.
 * - A shifted point lands on the current grid's timestamp t + shift; a current slot no earlier point lands on
 *   is a gap (null), as is every slot the store did not collect earlier: "not collected" is never drawn as 0.
 * - The earlier series is an ordinary line: key ending ":previous", label ending "(1 day earlier)" or
 *   "(1 week earlier)", dashed.
 */
import { invalidInput } from "../errors";
import type { SourceCoverage } from "../rollup/coverage";
import type { RangeBucket } from "../time/bucket";
import { minimumPeriodForAge } from "../time/period";
import type { EpochMs } from "../units";
import type { SeriesPoint } from "./series";

export type CompareShift = "1d" | "1w";

export const COMPARE_SHIFTS: readonly CompareShift[] = ["1d", "1w"];

const DAY_MS = 86_400_000;

export const SHIFT_MS: Record<CompareShift, number> = { "1d": DAY_MS, "1w": 7 * DAY_MS };

export const SHIFT_WORDS: Record<CompareShift, string> = { "1d": "1 day earlier", "1w": "1 week earlier" };

/**
 * Why the range `shift` earlier cannot be drawn on the current grid, or null when it can: the earlier window is
 * older, so the retention rule the current bucket follows (minimumPeriodForAge of its start) may allow only a
 * coarser period there (1-minute rows are kept for 15 days, 5-minute rows for 63), which the current period is
 * not a multiple of. Drawing it anyway would read rows that are gone and call the range "not collected".
 */
export function previousPeriodProblem(
  bucket: Pick<RangeBucket, "start" | "period">,
  shift: CompareShift,
  now: EpochMs,
): string | null {
  const start = bucket.start - SHIFT_MS[shift];
  let floor: number;
  try {
    floor = minimumPeriodForAge(now - start);
  } catch {
    return `${SHIFT_WORDS[shift]} is older than the 455 days metrics are kept.`;
  }
  if (bucket.period % floor === 0) return null;
  const minutes = (s: number) => (s % 3600 === 0 ? `${s / 3600}-hour` : `${s / 60}-minute`);
  return (
    `${SHIFT_WORDS[shift]} is kept only at ${minutes(floor)} resolution, coarser than this chart's ` +
    `${minutes(bucket.period)} grid; choose a longer range${shift === "1w" ? " or compare 1 day earlier" : ""}.`
  );
}

/**
 * The same range `shift` earlier, on the same period (so the same grid, shifted). Never live: it is past.
 * Throws InvalidInput (previousPeriodProblem's reason) when the earlier window is kept only at a period the
 * current one is not a multiple of.
 */
export function previousBucket(bucket: RangeBucket, shift: CompareShift, now: EpochMs): RangeBucket {
  const problem = previousPeriodProblem(bucket, shift, now);
  if (problem !== null) throw invalidInput(problem, { shift, period: bucket.period });
  const d = SHIFT_MS[shift];
  const start = (bucket.start - d) as RangeBucket["start"];
  const end = (bucket.end - d) as RangeBucket["end"];
  return { ...bucket, start, end, live: false, key: `${start}-${end}-${bucket.period}` };
}

/**
 * The earlier window's points moved onto `grid` (the current series' timestamps): each current slot takes the
 * earlier point `shift` before it, or a gap when there is none.
 */
export function shiftOnto(
  previous: readonly SeriesPoint[],
  shift: CompareShift,
  grid: readonly { t: SeriesPoint["t"] }[],
): SeriesPoint[] {
  const d = SHIFT_MS[shift];
  const byTime = new Map<number, number | null>();
  for (const p of previous) byTime.set(p.t + d, p.v);
  return grid.map(({ t }) => ({ t, v: byTime.get(t) ?? null }));
}

/** A chart line's earlier twin: same colour and shape, dashed, named as the period it shows. */
export function previousLine<L extends { key: string; label: string; points: readonly SeriesPoint[] }>(
  line: L,
  previous: readonly SeriesPoint[],
  shift: CompareShift,
): L & { dashed: true } {
  return {
    ...line,
    key: `${line.key}:previous`,
    label: `${line.label} (${SHIFT_WORDS[shift]})`,
    points: shiftOnto(previous, shift, line.points),
    dashed: true,
  };
}

/**
 * `lines`, each followed by its earlier twin where `earlier` has points for its key (a line without an earlier
 * series, e.g. one that needs a source not read for the earlier window, gets none). No comparison: `lines`.
 */
export function withPrevious<L extends { key: string; label: string; points: readonly SeriesPoint[] }>(
  lines: readonly L[],
  compare: { shift: CompareShift; earlier: (key: string) => readonly SeriesPoint[] | undefined } | null,
): (L | (L & { dashed: true }))[] {
  if (compare === null) return [...lines];
  return lines.flatMap((l) => {
    const earlier = compare.earlier(l.key);
    return earlier === undefined ? [l] : [l, previousLine(l, earlier, compare.shift)];
  });
}

/** What each source is called in a coverage note. */
const SOURCE_WORDS: Record<SourceCoverage["source"], string> = {
  metrics: "metrics",
  logs: "REPORT lines",
  errors: "errors",
};

/** Each source's share of the earlier window, over all regions (covered ms / window ms), in first-seen order. */
export function sourceShares(
  coverage: readonly SourceCoverage[],
): { source: SourceCoverage["source"]; share: number }[] {
  const sums = new Map<SourceCoverage["source"], { covered: number; span: number }>();
  for (const c of coverage) {
    const span = c.window.to - c.window.from;
    if (!(span > 0)) continue;
    const acc = sums.get(c.source) ?? { covered: 0, span: 0 };
    acc.covered += Math.min(span, Math.max(0, c.coveredMs));
    acc.span += span;
    sums.set(c.source, acc);
  }
  return [...sums].map(([source, { covered, span }]) => ({ source, share: covered / span }));
}

/**
 * How much of the earlier window the store covered: the least-covered source's share (a chart needing two
 * sources is only as complete as the thinner one). null when nothing was read.
 */
export function coveredShare(coverage: readonly SourceCoverage[]): number | null {
  const shares = sourceShares(coverage);
  return shares.length === 0 ? null : Math.min(...shares.map((s) => s.share));
}

const percent = (share: number) =>
  share <= 0 ? "0 %" : share >= 1 ? "100 %" : `${Math.min(99, Math.max(1, Math.round(share * 100)))} %`;

/**
 * "1 day earlier: metrics 50 %, REPORT lines 0 % of the range collected; …", or that all or none of it was.
 */
export function coverageNote(shift: CompareShift, coverage: readonly SourceCoverage[]): string {
  const words = SHIFT_WORDS[shift];
  const shares = sourceShares(coverage);
  if (shares.length === 0 || shares.every((s) => s.share <= 0))
    return `${words}: not collected (the store holds none of that range)`;
  if (shares.every((s) => s.share >= 1)) return `${words}: the whole range collected`;
  const parts = shares.map((s) => `${SOURCE_WORDS[s.source]} ${percent(s.share)}`).join(", ");
  return `${words}: ${parts} of the range collected; the rest is a gap (not collected), not zero`;
}
