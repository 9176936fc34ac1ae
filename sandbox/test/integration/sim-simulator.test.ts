/**
 * The simulator's properties at full size: hours of traffic and a whole planted fleet. test/unit/sandbox/sim.test.ts
 * checks the same properties on small windows; these runs take seconds, so they live here.
 */
import { describe, expect, it } from "vitest";
import { generateAccount } from "../../src/fleet/generate";
import type { SimFunction } from "../../src/fleet/model";
import { createSimulator } from "../../src/sim/simulator";
import type { Invocation, MinuteRecord } from "../../src/sim/types";
import { HOUR, NOW, account, behaviour, canary, fn, version } from "../support/sim-fixtures";

const simFor = (f: SimFunction, now = NOW) => createSimulator(account(f), { now: () => now });
const flat = (records: MinuteRecord[]): Invocation[] => records.flatMap((r) => r.invocations);

describe("routing", () => {
  it("splits alias traffic by the weight in force (6 h)", () => {
    const f = canary(0.3);
    const inv = flat(simFor(f).minutes(f, NOW - 6 * HOUR, NOW));
    const share = inv.filter((i) => i.version === "2").length / inv.length;
    expect(inv.length).toBeGreaterThan(5000);
    expect(share).toBeGreaterThan(0.27);
    expect(share).toBeLessThan(0.33);
    expect(new Set(inv.map((i) => i.alias))).toEqual(new Set(["live"]));
  });
});

describe("throttling", () => {
  const bursty = (reserved: number | null) =>
    fn({
      reservedConcurrency: reserved,
      latest: version("$LATEST", { behaviour: behaviour({ durationMedianMs: 900 }) }),
      traffic: { peakPerMinute: 30, dailyDip: 0, burstChance: 0.3, burstFactor: 10, viaAlias: null },
    });

  it("throttles only at the reserved limit, and a throttled request never becomes an invocation (2 h)", () => {
    const limited = simFor(bursty(5)).minutes(bursty(5), NOW - 2 * HOUR, NOW);
    const free = simFor(bursty(null)).minutes(bursty(null), NOW - 2 * HOUR, NOW);
    const throttles = limited.reduce((s, r) => s + r.throttles, 0);
    expect(throttles).toBeGreaterThan(50);
    for (const r of limited) {
      expect(r.concurrency).toBeLessThanOrEqual(5);
      if (r.throttles > 0) expect(r.concurrency).toBe(5);
    }
    // Same arrivals either way: each is an invocation or a throttle, never both.
    expect(flat(limited).length + throttles).toBe(flat(free).length);
    expect(free.every((r) => r.throttles === 0)).toBe(true);
    expect(Math.max(...free.map((r) => r.concurrency))).toBeGreaterThan(5);
    const freeIds = new Set(flat(free).map((i) => i.requestId));
    expect(flat(limited).every((i) => freeIds.has(i.requestId))).toBe(true);
  });
});

describe("cold starts", () => {
  it("keeps steady traffic warm (< 1% cold) over a day (24 h)", () => {
    const f = fn({
      traffic: { peakPerMinute: 10, dailyDip: 0.3, burstChance: 0, burstFactor: 1, viaAlias: null },
    });
    const inv = flat(simFor(f).minutes(f, NOW - 24 * HOUR, NOW));
    const cold = inv.filter((i) => i.initDurationMs !== null);
    expect(cold.length).toBeGreaterThan(0);
    expect(cold.length / inv.length).toBeLessThan(0.01);
  });

  it("runs one request at a time per execution environment, across minutes and through init", () => {
    // The planted fleet covers long handlers (report-generator), timeouts, provisioned concurrency, bursts and
    // cold-start-heavy traffic: every environment's requests must follow each other, init included.
    const fleet = generateAccount({ seed: 7, nowMs: NOW, functionsPerRegion: 24, regions: ["us-east-1"] });
    const sim = createSimulator(fleet, { now: () => NOW });
    let checked = 0;
    for (const f of fleet.regions.get("us-east-1")!.functions.values()) {
      const busyUntil = new Map<string, number>();
      for (const i of flat(sim.minutes(f, NOW - 3 * HOUR, NOW))) {
        expect(i.startMs, `${f.name} ${i.logStreamName}`).toBeGreaterThanOrEqual(
          busyUntil.get(i.environmentId) ?? 0,
        );
        busyUntil.set(i.environmentId, i.startMs + (i.initDurationMs ?? 0) + i.durationMs);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100_000);
  });

  it("has no cold starts under provisioned concurrency until it spills over (6 h)", () => {
    const withPc = (pc: number, peak: number) => {
      const f = canary(0, NOW - 60 * 24 * HOUR, {
        traffic: { peakPerMinute: peak, dailyDip: 0, burstChance: 0, burstFactor: 1, viaAlias: "live" },
      });
      f.versions = [version("1", { behaviour: behaviour({ durationMedianMs: 3000 }) }), version("2")];
      f.provisioned = [{ qualifier: "live", requested: pc }];
      return simFor(f).minutes(f, NOW - 6 * HOUR, NOW);
    };
    const idle = withPc(50, 60); // ~3 concurrent, far below 50
    expect(flat(idle).some((i) => i.initDurationMs !== null)).toBe(false);
    expect(idle.every((r) => r.provisionedSpillover === 0 && r.provisionedConcurrency === 50)).toBe(true);

    const tight = withPc(2, 200); // ~10 concurrent on 2 provisioned
    const spill = tight.reduce((s, r) => s + r.provisionedSpillover, 0);
    const cold = flat(tight).filter((i) => i.initDurationMs !== null).length;
    expect(spill).toBeGreaterThan(flat(tight).length * 0.5);
    expect(cold).toBeGreaterThan(0);
    expect(cold).toBeLessThanOrEqual(spill);
    for (const r of tight)
      if (r.provisionedSpillover === 0)
        expect(r.invocations.some((i) => i.initDurationMs !== null)).toBe(false);
  });
});
