/** The planted scenarios produce their signals through the simulator, with the fleet generator's behaviours. */
import { describe, expect, it } from "vitest";
import { generateAccount } from "../../src/fleet/generate";
import type { SimFunction } from "../../src/fleet/model";
import { HIGH_COLD_START_TRAFFIC } from "../../src/sim/scenarios";
import { createSimulator } from "../../src/sim/simulator";
import type { Invocation, MinuteRecord } from "../../src/sim/types";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const HOUR = 3_600_000;
const acct = generateAccount({ seed: 7, nowMs: NOW });
const sim = createSimulator(acct, { now: () => NOW });
const get = (name: string, region = "us-east-1"): SimFunction =>
  acct.regions.get(region)!.functions.get(name)!;
const window = (f: SimFunction, hours = 6) => sim.minutes(f, NOW - hours * HOUR, NOW);
const flat = (r: MinuteRecord[]): Invocation[] => r.flatMap((m) => m.invocations);
const share = (inv: Invocation[], p: (i: Invocation) => boolean) => inv.filter(p).length / inv.length;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

describe("planted scenarios", () => {
  it("image-resizer uses < 20% of its memory", () => {
    const inv = flat(window(get("image-resizer")));
    expect(Math.max(...inv.map((i) => i.maxMemoryUsedMb / i.memorySizeMb))).toBeLessThan(0.2);
  });

  it("report-generator runs near its timeout with few timeouts", () => {
    const inv = flat(window(get("report-generator")));
    const timeoutMs = get("report-generator").latest.timeout * 1000;
    expect(
      quantile(
        inv.map((i) => i.durationMs),
        0.99,
      ),
    ).toBeGreaterThan(0.9 * timeoutMs);
    expect(share(inv, (i) => i.outcome === "timeout")).toBeLessThan(0.01);
  });

  it("legacy-sync times out ~12% of the time", () => {
    const s = share(flat(window(get("legacy-sync"))), (i) => i.outcome === "timeout");
    expect(s).toBeGreaterThan(0.08);
    expect(s).toBeLessThan(0.16);
  });

  it("pdf-renderer runs at its memory limit with ~2% OOM kills", () => {
    const inv = flat(window(get("pdf-renderer")));
    expect(share(inv, (i) => i.maxMemoryUsedMb >= 0.97 * i.memorySizeMb)).toBeGreaterThan(0.3);
    const oom = share(inv, (i) => i.outcome === "oom");
    expect(oom).toBeGreaterThan(0.01);
    expect(oom).toBeLessThan(0.04);
  });

  it("webhook-ingest is throttled at its reserved concurrency", () => {
    const records = window(get("webhook-ingest"));
    const throttles = records.reduce((s, r) => s + r.throttles, 0);
    expect(throttles / (throttles + flat(records).length)).toBeGreaterThan(0.1);
    expect(Math.max(...records.map((r) => r.concurrency))).toBe(get("webhook-ingest").reservedConcurrency);
  });

  it("checkout-api leaves its provisioned concurrency idle; search-api spills over", () => {
    const idle = window(get("checkout-api"));
    const meanConcurrency = idle.reduce((s, r) => s + r.concurrency, 0) / idle.length;
    expect(meanConcurrency / idle[0]!.provisionedConcurrency).toBeLessThan(0.3);
    expect(idle.every((r) => r.provisionedSpillover === 0)).toBe(true);
    expect(flat(idle).some((i) => i.initDurationMs !== null)).toBe(false);
    const tight = window(get("search-api"));
    expect(tight.reduce((s, r) => s + r.provisionedSpillover, 0)).toBeGreaterThan(flat(tight).length * 0.3);
  });

  it("payments-api's canary version fails far more than the primary", () => {
    const inv = flat(window(get("payments-api"), 3));
    const errorRate = (v: string) =>
      share(
        inv.filter((i) => i.version === v),
        (i) => i.outcome !== "success",
      );
    expect(share(inv, (i) => i.version === "8")).toBeGreaterThan(0.25);
    expect(errorRate("8")).toBeGreaterThan(0.1);
    expect(errorRate("7")).toBeLessThan(0.01);
  });

  it("orders-api and user-profile split traffic by their mid-shift weights", () => {
    const orders = flat(window(get("orders-api"), 1));
    const profile = flat(window(get("user-profile"), 1));
    expect(share(orders, (i) => i.version === "13")).toBeGreaterThan(0.05);
    expect(share(orders, (i) => i.version === "13")).toBeLessThan(0.15);
    expect(share(profile, (i) => i.version === "5")).toBeGreaterThan(0.4);
    expect(share(profile, (i) => i.version === "5")).toBeLessThan(0.6);
  });

  it("notify-sms cold-starts > 15% with the high-cold-start traffic shape", () => {
    const base = get("notify-sms");
    const f: SimFunction = { ...base, traffic: { ...base.traffic, ...HIGH_COLD_START_TRAFFIC } };
    const inv = flat(createSimulator(acct, { now: () => NOW }).minutes(f, NOW - 24 * HOUR, NOW));
    expect(share(inv, (i) => i.initDurationMs !== null)).toBeGreaterThan(0.15);
  });

  it("healthy functions: errors < 0.3%, cold starts < 1%, memory 60-90%, no throttles", () => {
    const healthy = [...acct.regions.values()]
      .flatMap((r) => [...r.functions.values()])
      .filter((f) => f.scenario === "healthy")
      .slice(0, 12);
    for (const f of healthy) {
      const records = window(f, 2);
      const inv = flat(records);
      expect(
        records.every((r) => r.throttles === 0),
        f.name,
      ).toBe(true);
      expect(
        share(inv, (i) => i.outcome !== "success"),
        f.name,
      ).toBeLessThan(0.006);
      expect(
        share(inv, (i) => i.initDurationMs !== null),
        f.name,
      ).toBeLessThan(0.01);
      const peakMem = Math.max(...inv.map((i) => i.maxMemoryUsedMb / i.memorySizeMb));
      expect(peakMem, f.name).toBeGreaterThan(0.6);
      expect(peakMem, f.name).toBeLessThan(0.9);
    }
  });
});
