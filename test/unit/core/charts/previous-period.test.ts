import { describe, expect, it } from "vitest";
import {
  coverageNote,
  coveredShare,
  previousBucket,
  previousLine,
  previousPeriodProblem,
  shiftOnto,
  withPrevious,
} from "@/lib/core/charts/previous-period";
import { periodGrid, prepareSeries, type SeriesPoint } from "@/lib/core/charts/series";
import type { SourceCoverage } from "@/lib/core/rollup/coverage";
import { bucketRange } from "@/lib/core/time/bucket";
import { epochMs, seconds } from "@/lib/core/units";

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = epochMs(Date.UTC(2026, 11, 7, 12, 0));
const bucket = bucketRange({ start: epochMs(NOW - 60 * MIN), end: NOW }, NOW, seconds(300));

describe("previousBucket", () => {
  it("moves both ends back by the shift and keeps the period, so the grids line up", () => {
    for (const [shift, d] of [
      ["1d", DAY],
      ["1w", 7 * DAY],
    ] as const) {
      const prev = previousBucket(bucket, shift, NOW);
      expect(prev.start).toBe(bucket.start - d);
      expect(prev.end).toBe(bucket.end - d);
      expect(prev.period).toBe(bucket.period);
      expect(prev.live).toBe(false);
      expect(prev.key).not.toBe(bucket.key);
      const now = periodGrid(bucket.start, bucket.end, bucket.period);
      const then = periodGrid(prev.start, prev.end, prev.period);
      expect(then.map((t) => t + d)).toEqual(now);
    }
  });
});

describe("previousBucket retention", () => {
  // A 1-hour range 9 days ago, read at 1-minute resolution (1-minute rows are kept for 15 days).
  const old = bucketRange(
    { start: epochMs(NOW - 9 * DAY), end: epochMs(NOW - 9 * DAY + 60 * MIN) },
    NOW,
    seconds(60),
  );

  it("refuses a week earlier when that window is kept only at 5 minutes, and says why", () => {
    expect(previousPeriodProblem(old, "1w", NOW)).toBe(
      "1 week earlier is kept only at 5-minute resolution, coarser than this chart's 1-minute grid; " +
        "choose a longer range or compare 1 day earlier.",
    );
    expect(() => previousBucket(old, "1w", NOW)).toThrow(
      /1 week earlier is kept only at 5-minute resolution/,
    );
  });

  it("keeps the grid when the earlier window is still held at the current period", () => {
    expect(previousPeriodProblem(old, "1d", NOW)).toBeNull();
    expect(previousBucket(old, "1d", NOW).period).toBe(60);
    // The same age on a 5-minute grid: 5-minute rows are kept for 63 days, so a week earlier is drawable.
    const coarse = bucketRange({ start: old.start, end: epochMs(old.start + DAY) }, NOW, seconds(300));
    expect(previousPeriodProblem(coarse, "1w", NOW)).toBeNull();
    expect(previousBucket(coarse, "1w", NOW).start).toBe(coarse.start - 7 * DAY);
  });

  it("refuses an earlier window past the 455 days metrics are kept", () => {
    const ancient = bucketRange(
      { start: epochMs(NOW - 450 * DAY), end: epochMs(NOW - 449 * DAY) },
      NOW,
      seconds(3600),
    );
    expect(previousPeriodProblem(ancient, "1w", NOW)).toMatch(/older than the 455 days/);
  });
});

describe("shiftOnto", () => {
  it("puts each earlier point on the current slot one shift later, and a gap where there is none", () => {
    const grid = periodGrid(bucket.start, bucket.end, bucket.period).map((t) => ({ t }));
    const earlier: SeriesPoint[] = [
      { t: epochMs(bucket.start - DAY), v: 4 },
      { t: epochMs(bucket.start - DAY + 5 * MIN), v: null },
      { t: epochMs(bucket.start - DAY + 10 * MIN), v: 0 },
    ];
    const out = shiftOnto(earlier, "1d", grid);
    expect(out).toHaveLength(grid.length);
    expect(out.slice(0, 4).map((p) => [p.t - bucket.start, p.v])).toEqual([
      [0, 4],
      [5 * MIN, null],
      [10 * MIN, 0],
      [15 * MIN, null],
    ]);
  });

  it("keeps a not-collected earlier slot a gap, never 0, even for a count", () => {
    const prev = previousBucket(bucket, "1w", NOW);
    // The store covered only the first half of the earlier window.
    const covered = [{ from: prev.start, to: prev.start + 30 * MIN }];
    const earlier = prepareSeries({
      timestamps: [prev.start, prev.start + 40 * MIN],
      values: [3, 9],
      start: prev.start,
      end: prev.end,
      period: prev.period,
      kind: "count",
      covered,
    });
    const grid = periodGrid(bucket.start, bucket.end, bucket.period).map((t) => ({ t }));
    const out = shiftOnto(earlier, "1w", grid);
    expect(out[0]?.v).toBe(3);
    expect(out[1]?.v).toBe(0); // collected, nothing happened
    expect(out.slice(6).every((p) => p.v === null)).toBe(true);
  });
});

describe("previousLine", () => {
  it("names, keys and dashes the earlier twin of a line", () => {
    const points = [{ t: bucket.start, v: 1 }];
    const line = { key: "inv", label: "Invocations", color: "#111", points };
    const twin = previousLine(line, [{ t: epochMs(bucket.start - DAY), v: 7 }], "1d");
    expect(twin).toEqual({
      key: "inv:previous",
      label: "Invocations (1 day earlier)",
      color: "#111",
      points: [{ t: bucket.start, v: 7 }],
      dashed: true,
    });
    expect(previousLine(line, [], "1w").label).toBe("Invocations (1 week earlier)");
  });
});

describe("withPrevious", () => {
  it("follows each line with its earlier twin where there is an earlier series, and changes nothing when off", () => {
    const lines = [
      { key: "inv", label: "Invocations", points: [{ t: bucket.start, v: 1 }] },
      { key: "err", label: "Errors", points: [{ t: bucket.start, v: 0 }] },
    ];
    const earlier = new Map([["inv", [{ t: epochMs(bucket.start - DAY), v: 5 }]]]);
    const out = withPrevious(lines, { shift: "1d", earlier: (k) => earlier.get(k) });
    expect(out.map((l) => [l.key, l.label])).toEqual([
      ["inv", "Invocations"],
      ["inv:previous", "Invocations (1 day earlier)"],
      ["err", "Errors"],
    ]);
    expect(withPrevious(lines, null)).toEqual(lines);
  });
});

describe("coverage of the earlier window", () => {
  const cov = (coveredMs: number, source: SourceCoverage["source"] = "metrics"): SourceCoverage => ({
    region: "us-east-1",
    source,
    collected: null,
    window: { from: 0, to: 60 * MIN },
    coveredMs,
    gaps: [],
  });

  it("is the thinnest source's share, and the note names each source's", () => {
    expect(coveredShare([cov(60 * MIN), cov(15 * MIN, "logs")])).toBe(0.25);
    expect(coverageNote("1d", [cov(60 * MIN), cov(15 * MIN, "logs")])).toBe(
      "1 day earlier: metrics 100 %, REPORT lines 25 % of the range collected; the rest is a gap (not collected), not zero",
    );
    expect(coverageNote("1w", [cov(60 * MIN), cov(60 * MIN, "logs")])).toBe(
      "1 week earlier: the whole range collected",
    );
  });

  it("adds up a source over regions", () => {
    expect(coverageNote("1d", [cov(60 * MIN), { ...cov(0), region: "eu-west-1" }])).toMatch(
      /^1 day earlier: metrics 50 % of the range collected/,
    );
  });

  it("says when none of it was collected", () => {
    expect(coveredShare([])).toBeNull();
    expect(coverageNote("1d", [])).toMatch(/^1 day earlier: not collected/);
    expect(coverageNote("1d", [cov(0), cov(0, "logs")])).toMatch(/^1 day earlier: not collected/);
  });
});
