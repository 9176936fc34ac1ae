/** The one judgement of a lagging stream (lib/core/triggers/lag.ts) and what a mapping's fields mean (mapping.ts). */
import { describe, expect, it } from "vitest";
import {
  closeOpenHour,
  formatLagGrowth,
  HIGH_AGE_MS,
  judgeLag,
  LAG_DEFAULTS,
  type LagPoint,
} from "@/lib/core/triggers/lag";
import { isStream, isUserInitiated } from "@/lib/core/triggers/mapping";

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 0, 1);

/** `n` points `step` apart, the age from `ageAt(i)`. */
const points = (n: number, step: number, ageAt: (i: number) => number): LagPoint[] =>
  Array.from({ length: n }, (_, i) => ({ t: T0 + i * step, maxMs: ageAt(i) }));

describe("judgeLag", () => {
  it("finds the trailing run that rises, its slope and its start, whatever the order of the points", () => {
    // Flat for 18 h, then 30 min more every hour for 6 h.
    const series = points(25, HOUR, (i) => 1_000 + Math.max(0, i - 18) * 30 * MIN);
    const { run, latest, overallSlopeMsPerHour } = judgeLag([...series].reverse(), LAG_DEFAULTS);
    expect(run?.slopeMsPerHour).toBeCloseTo(30 * MIN, -1);
    expect(run?.from.t).toBe(T0 + 18 * HOUR);
    expect(run?.points).toBe(7);
    expect(latest?.maxMs).toBe(1_000 + 6 * 30 * MIN);
    // The whole range rises less steeply than its last hours.
    expect(overallSlopeMsPerHour!).toBeLessThan(30 * MIN);
  });

  it("needs the growth, the run's length, a rise in both halves and a high latest age", () => {
    const rising =
      (perHour: number, base = 10 * MIN) =>
      (i: number) =>
        base + (i * perHour) / 60;
    expect(judgeLag(points(180, MIN, rising(20 * MIN)), LAG_DEFAULTS).run).not.toBeNull();
    // Too slow.
    expect(judgeLag(points(180, MIN, rising(5 * MIN)), LAG_DEFAULTS).run).toBeNull();
    // Too short: 90 minutes of fast growth.
    expect(judgeLag(points(90, MIN, rising(48 * MIN)), LAG_DEFAULTS).run).toBeNull();
    // A jump at the end: flat for 2.5 h, then up; the first half of any long run does not rise.
    const jump = points(180, MIN, (i) => 10 * MIN + (i >= 170 ? (i - 170) * 2 * MIN : 0));
    expect(judgeLag(jump, LAG_DEFAULTS).run).toBeNull();
    // Growing fast but still seconds behind.
    const young = points(180, MIN, (i) => (i / 180) * (HIGH_AGE_MS - 1));
    expect(judgeLag(young, { ...LAG_DEFAULTS, minGrowthMsPerHour: 1 }).run).toBeNull();
  });

  it("has no trend, and no latest, without points", () => {
    expect(judgeLag([], LAG_DEFAULTS)).toEqual({
      run: null,
      latest: null,
      peakMs: null,
      overallSlopeMsPerHour: null,
      spanHours: 0,
    });
    expect(
      judgeLag(
        points(4, HOUR, (i) => i * HOUR),
        LAG_DEFAULTS,
      ).overallSlopeMsPerHour,
    ).toBeNull();
  });
});

describe("closeOpenHour", () => {
  // 48 min behind more every hour; hourly maxima are the age at each hour's end.
  const ageAt = (t: number) => 0.8 * (t - T0);
  const hours = (n: number, openMinutes: number) => [
    ...points(n, HOUR, (i) => ageAt(T0 + (i + 1) * HOUR)),
    { t: T0 + n * HOUR, maxMs: ageAt(T0 + n * HOUR + openMinutes * MIN) },
  ];

  it("reads an open newest hour as the hour ending where its data ends, so the growth is not understated", () => {
    const open = hours(6, 5);
    const end = T0 + 6 * HOUR + 5 * MIN;
    const naive = judgeLag(open, LAG_DEFAULTS).run!.slopeMsPerHour;
    const closed = judgeLag(closeOpenHour(open, end), LAG_DEFAULTS).run!.slopeMsPerHour;
    expect(closed).toBeCloseTo(48 * MIN, -2);
    expect(naive).toBeLessThan(45 * MIN);
    expect(closeOpenHour(open, end).at(-1)).toEqual({ t: end - HOUR, maxMs: open.at(-1)!.maxMs });
  });

  it("leaves closed hours and an empty series alone", () => {
    const closed = hours(6, 0).slice(0, 6);
    expect(closeOpenHour(closed, T0 + 6 * HOUR)).toEqual(closed);
    expect(closeOpenHour([], T0)).toEqual([]);
  });
});

describe("formatLagGrowth", () => {
  it("says a growth per hour, signed when asked", () => {
    expect(formatLagGrowth(48 * MIN)).toBe("48m 0s/hour");
    expect(formatLagGrowth(90_500, true)).toBe("+1m 31s/hour");
    expect(formatLagGrowth(-2 * MIN, true)).toBe("−2m 0s/hour");
  });
});

describe("mapping fields", () => {
  it("reads every spelling of a user's change, and nothing else, as user-initiated", () => {
    for (const r of ["USER_INITIATED", "User action", "User initiated", "", " user action "])
      expect([r, isUserInitiated(r)]).toEqual([r, true]);
    for (const r of ["PROBLEM: Function not found", "Lambda disabled it", "USER"])
      expect([r, isUserInitiated(r)]).toEqual([r, false]);
  });

  it("calls Kinesis, DynamoDB and Kafka streams, not queues", () => {
    expect((["kinesis", "dynamodb", "kafka"] as const).map((kind) => isStream({ kind }))).toEqual([
      true,
      true,
      true,
    ]);
    expect((["sqs", "mq", "docdb", "other"] as const).map((kind) => isStream({ kind }))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
