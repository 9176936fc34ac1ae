/** The store path's IteratorAge hourly maxima (lib/data/advisor/store-observations.ts hourlyMaxima). */
import { describe, expect, it } from "vitest";
import { hourlyMaxima } from "@/lib/data/advisor/store-observations";

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 0, 1);

/** Minute rows from `from` for `n` minutes, the age `ageAt(t)`; null where `gap(i)`. */
const rows = (from: number, n: number, ageAt: (t: number) => number, gap = (_i: number) => false) =>
  Array.from({ length: n }, (_, i) => {
    const t = from + i * MIN;
    return { t, res: 60 as const, iteratorAgeMax: gap(i) ? null : ageAt(t + MIN) };
  });

describe("hourlyMaxima", () => {
  it("keeps each hour's maximum at its start, minutes without an age as gaps, never zeros", () => {
    const got = hourlyMaxima(
      rows(
        T0,
        120,
        (t) => t - T0,
        (i) => i >= 60 && i < 120,
      ),
    );
    expect(got).toEqual([{ t: T0, maxMs: HOUR }]);
  });

  it("reads the newest hour, still open, as the hour ending where the rows end", () => {
    const got = hourlyMaxima(rows(T0, 150, (t) => t - T0));
    expect(got.map((p) => [p.t - T0, p.maxMs])).toEqual([
      [0, HOUR],
      [HOUR, 2 * HOUR],
      // 30 minutes of the third hour: its maximum is the age at 2.5 h, read as the hour ending then.
      [1.5 * HOUR, 2.5 * HOUR],
    ]);
  });
});
