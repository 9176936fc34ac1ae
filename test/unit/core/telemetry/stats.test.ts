import { describe, expect, it } from "vitest";
import {
  coldStartRate,
  distribution,
  mean,
  percentile,
  percentiles,
  rate,
  summarizeInvocations,
} from "@/lib/core/telemetry/stats";
import type { Invocation } from "@/lib/core/telemetry/types";
import { epochMs, mb, ms } from "@/lib/core/units";

const inv = (over: Partial<Invocation>): Invocation => ({
  requestId: "r",
  version: "1",
  start: epochMs(0),
  end: epochMs(1),
  duration: ms(10),
  billedDuration: ms(10),
  memorySize: mb(128),
  maxMemoryUsed: mb(64),
  initDuration: null,
  restoreDuration: null,
  coldStart: false,
  traceId: null,
  status: "success",
  errorType: null,
  ...over,
});

describe("percentile (linear interpolation between closest ranks)", () => {
  it("matches numpy's default on known inputs", () => {
    const xs = [15, 20, 35, 40, 50];
    expect(percentile(xs, 0)).toBe(15);
    expect(percentile(xs, 100)).toBe(50);
    expect(percentile(xs, 50)).toBe(35);
    expect(percentile(xs, 40)).toBeCloseTo(29); // h = 1.6 → 20 + 0.6·15
    expect(percentile(xs, 90)).toBeCloseTo(46); // h = 3.6 → 40 + 0.6·10
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
  });

  it("does not depend on input order, ignores NaN, and gives null for nothing or a bad p", () => {
    expect(percentile([50, 15, 40, 20, 35], 90)).toBeCloseTo(46);
    expect(percentile([NaN, 7], 50)).toBe(7);
    expect(percentile([], 50)).toBeNull();
    expect(percentile([1], 101)).toBeNull();
    expect(percentile([1], -1)).toBeNull();
    expect(percentile([4], 99)).toBe(4);
  });

  it("computes several percentiles at once and stays within [min, max]", () => {
    const xs = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const p = percentiles(xs, [50, 99, 100] as const);
    expect(p[50]).toBeCloseTo(499.5);
    expect(p[99]).toBeCloseTo(989.01);
    expect(p[100]).toBe(999);
  });
});

describe("mean, rate", () => {
  it("averages and refuses to invent values", () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeNull();
  });
  it("divides safely", () => {
    expect(rate(1, 4)).toBe(0.25);
    expect(rate(0, 0)).toBeNull();
    expect(rate(3, 0)).toBeNull();
    expect(rate(0, 10)).toBe(0);
    expect(rate(Number.NaN, 10)).toBeNull();
  });
});

describe("summarizeInvocations", () => {
  it("counts outcomes, cold starts and summarises duration, init and memory", () => {
    const invocations = [
      inv({ duration: ms(100), coldStart: true, initDuration: ms(300) }),
      inv({ duration: ms(20) }),
      inv({ duration: ms(30), status: "error" }),
      inv({ duration: ms(3000), status: "timeout", billedDuration: ms(3000) }),
      inv({
        duration: ms(50),
        status: "oom",
        maxMemoryUsed: mb(128),
        coldStart: true,
        restoreDuration: ms(500),
      }),
    ];
    const s = summarizeInvocations(invocations);
    expect(s).toMatchObject({ invocations: 5, failed: 3, errors: 1, timeouts: 1, oom: 1, coldStarts: 2 });
    expect(s.errorRate).toBeCloseTo(0.6);
    expect(s.coldStartRate).toBeCloseTo(0.4);
    expect(s.duration).toMatchObject({ count: 5, p50: 50, max: 3000, mean: 640 });
    expect(s.init).toMatchObject({ count: 2, p50: 400, max: 500 });
    expect(s.billedDurationTotal).toBe(3040);
    expect(s.maxMemoryUsed).toBe(128);
    expect(s.peakMemoryUtilization).toBe(1);
    expect(coldStartRate(invocations)).toBeCloseTo(0.4);
  });

  it("reports nulls, not zeros, for an empty window", () => {
    const s = summarizeInvocations([]);
    expect(s.errorRate).toBeNull();
    expect(s.coldStartRate).toBeNull();
    expect(s.duration).toEqual(distribution([]));
    expect(s.duration.p99).toBeNull();
    expect(s.maxMemoryUsed).toBeNull();
  });

  it("measures memory utilisation per invocation across a memory change", () => {
    const s = summarizeInvocations([
      inv({ memorySize: mb(1024), maxMemoryUsed: mb(200) }),
      inv({ memorySize: mb(256), maxMemoryUsed: mb(192) }),
    ]);
    expect(s.peakMemoryUtilization).toBe(0.75);
    expect(s.memorySize).toBe(1024);
  });
});
