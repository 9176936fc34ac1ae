/** The simulator's metric-only path: cached summaries stay equal to the full minutes, and invalidate on routing. */
import { describe, expect, it } from "vitest";
import type { SimFunction } from "../../src/fleet/model";
import { hash32, hash4 } from "../../src/sim/random";
import { createSimulator } from "../../src/sim/simulator";
import type { MinuteRecord, MinuteSummary } from "../../src/sim/types";
import { HOUR, MINUTE, NOW, account, canary } from "../support/sim-fixtures";

/** What a summary must say about a full minute (durations per version in start order, their sum in order). */
function expectSameMinute(s: MinuteSummary, r: MinuteRecord): void {
  expect(s.minuteMs).toBe(r.minuteMs);
  expect(s.throttles).toBe(r.throttles);
  expect(s.concurrency).toBe(r.concurrency);
  expect(s.provisionedConcurrency).toBe(r.provisionedConcurrency);
  expect(s.provisionedSpillover).toBe(r.provisionedSpillover);
  let sum = 0;
  for (const i of r.invocations) sum += i.durationMs;
  expect(s.durationSumMs).toBe(sum);
  const seen = new Set(r.invocations.map((i) => i.version));
  for (const v of s.versions) {
    const mine = r.invocations.filter((i) => i.version === v.version);
    seen.delete(v.version);
    expect(v.invocations).toBe(mine.length);
    expect(v.errors).toBe(mine.filter((i) => i.outcome !== "success").length);
    expect(v.durationsMs).toEqual(mine.map((i) => i.durationMs));
  }
  expect([...seen]).toEqual([]);
}

const busyCanary = (): SimFunction =>
  canary(0.3, NOW - 60 * 24 * HOUR, {
    reservedConcurrency: 4,
    traffic: { peakPerMinute: 40, dailyDip: 0, burstChance: 0.3, burstFactor: 5, viaAlias: "live" },
  });

describe("summary cache", () => {
  it("serves complete minutes from cache as the same object, equal to a fresh simulator's minute()", () => {
    const f = busyCanary();
    const sim = createSimulator(account(f), { now: () => NOW + 20_000 });
    const fresh = createSimulator(account(busyCanary()), { now: () => NOW + 20_000 });
    for (let m = NOW - 40 * MINUTE; m <= NOW; m += MINUTE) {
      const first = sim.summary!(f, m);
      const again = sim.summary!(f, m);
      // Complete minutes are cached; the current one (cut at now) is recomputed.
      if (m < NOW) expect(again).toBe(first);
      else expect(again).not.toBe(first);
      expect(again).toEqual(first);
      expectSameMinute(first, fresh.minute(busyCanary(), m));
    }
  });

  it("agrees with minute() whichever path ran first (the schedule cache is shared)", () => {
    const f = busyCanary();
    const sim = createSimulator(account(f), { now: () => NOW });
    const records = sim.minutes(f, NOW - 20 * MINUTE, NOW);
    for (const r of records) expectSameMinute(sim.summary!(f, r.minuteMs), r);
    const g = busyCanary();
    const sim2 = createSimulator(account(g), { now: () => NOW });
    const summaries: MinuteSummary[] = [];
    for (let m = NOW - 20 * MINUTE; m < NOW; m += MINUTE) summaries.push(sim2.summary!(g, m));
    sim2.minutes(g, NOW - 20 * MINUTE, NOW).forEach((r, i) => expectSameMinute(summaries[i]!, r));
  });

  it("drops a cached summary when the routing in force changes, and stays bounded", () => {
    const f = canary(0);
    const sim = createSimulator(account(f), { now: () => NOW, maxSummaryInvocations: 500 });
    const shiftAt = NOW - 10 * MINUTE;
    const before = sim.summary!(f, shiftAt + MINUTE);
    expect(before.versions.map((v) => v.version)).toEqual(["1"]);
    // Read well past the budget: old entries are evicted, results stay right.
    for (let m = NOW - 6 * HOUR; m < NOW; m += MINUTE) sim.summary!(f, m);
    f.aliases[0]!.history.push({
      fromMs: shiftAt,
      functionVersion: "1",
      additional: { version: "2", weight: 0.5 },
    });
    const after = sim.summary!(f, shiftAt + MINUTE);
    expect(after.versions.map((v) => v.version)).toEqual(["1", "2"]);
    expect(after.versions[1]!.invocations).toBeGreaterThan(0);
    expectSameMinute(after, sim.minute(f, shiftAt + MINUTE));
    // Minutes before the shift keep their routing.
    expect(sim.summary!(f, shiftAt - MINUTE).versions.map((v) => v.version)).toEqual(["1"]);
  });

  it("is empty before createdMs and at or after now", () => {
    const f = canary(0.3, NOW - 60 * 24 * HOUR, { createdMs: NOW - 30 * MINUTE });
    const sim = createSimulator(account(f), { now: () => NOW });
    for (const m of [NOW - HOUR, NOW, NOW + MINUTE]) {
      const s = sim.summary!(f, m);
      expect(s.versions.every((v) => v.invocations === 0)).toBe(true);
      expect(s).toMatchObject({ throttles: 0, concurrency: 0, provisionedConcurrency: 0, durationSumMs: 0 });
    }
  });
});

describe("hash4", () => {
  it("equals hash32 of the same four parts, for epoch-sized, negative and fractional inputs", () => {
    const cases: [number, number, number, number][] = [
      [0, 0, 0, 0],
      [42, 29_923_200, 5, 17],
      [0xffffffff, -3, 1.75, 2 ** 40 + 123],
      [7, NOW / MINUTE, 2, 0],
    ];
    for (const [a, b, c, d] of cases) expect(hash4(a, b, c, d)).toBe(hash32(a, b, c, d));
    expect(hash4(1, 2, 3, 4)).not.toBe(hash4(1, 2, 3, 5));
  });
});
