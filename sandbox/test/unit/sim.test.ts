/**
 * The simulator on small windows, to stay fast. The same properties over hours of traffic and the whole planted
 * fleet: test/integration/sandbox-sim/simulator.test.ts.
 */
import { describe, expect, it } from "vitest";
import { generateAccount } from "../../src/fleet/generate";
import type { SimFunction } from "../../src/fleet/model";
import { billedMs } from "../../src/sim/detail";
import { createSimulator } from "../../src/sim/simulator";
import type { Invocation, MinuteRecord } from "../../src/sim/types";
import { HOUR, MINUTE, NOW, account, behaviour, canary, fn, version } from "../support/sim-fixtures";

const simFor = (f: SimFunction, now = NOW) => createSimulator(account(f), { now: () => now });
const flat = (records: MinuteRecord[]): Invocation[] => records.flatMap((r) => r.invocations);

describe("determinism", () => {
  it("gives identical records for the same inputs, from fresh simulators and from cache", () => {
    const f = fn();
    const from = NOW - 20 * MINUTE;
    const a = simFor(f).minutes(f, from, NOW);
    const sim = simFor(fn());
    const b = sim.minutes(fn(), from, NOW);
    expect(b).toEqual(a);
    expect(sim.minutes(fn(), from, NOW)).toEqual(a);
    expect(flat(a).length).toBeGreaterThan(100);
  });

  it("computes a minute the same whether reached in order or on its own", () => {
    const f = fn({
      traffic: { peakPerMinute: 8, dailyDip: 0, burstChance: 0.2, burstFactor: 4, viaAlias: null },
    });
    const inOrder = simFor(f)
      .minutes(f, NOW - 3 * HOUR, NOW)
      .at(-1);
    const alone = simFor(f).minute(f, NOW - MINUTE);
    expect(alone).toEqual(inOrder);
  });

  it("differs for a different seed", () => {
    const a = flat(simFor(fn()).minutes(fn(), NOW - 10 * MINUTE, NOW));
    const b = flat(simFor(fn({ seed: 43 })).minutes(fn({ seed: 43 }), NOW - 10 * MINUTE, NOW));
    expect(a.map((i) => i.requestId)).not.toEqual(b.map((i) => i.requestId));
    expect(a.map((i) => i.startMs)).not.toEqual(b.map((i) => i.startMs));
  });
});

describe("routing", () => {
  it("splits alias traffic by the weight in force", () => {
    const f = canary(0.3);
    const inv = flat(simFor(f).minutes(f, NOW - 2 * HOUR, NOW));
    const share = inv.filter((i) => i.version === "2").length / inv.length;
    expect(inv.length).toBeGreaterThan(2000);
    expect(share).toBeGreaterThan(0.27);
    expect(share).toBeLessThan(0.33);
    expect(new Set(inv.map((i) => i.alias))).toEqual(new Set(["live"]));
  });

  it("runs $LATEST for unqualified traffic", () => {
    const inv = flat(simFor(fn()).minutes(fn(), NOW - 10 * MINUTE, NOW));
    expect(new Set(inv.map((i) => i.version))).toEqual(new Set(["$LATEST"]));
    expect(inv.every((i) => i.alias === null)).toBe(true);
  });

  it("moves traffic from the minute of a new history entry on, leaving earlier minutes untouched", () => {
    const f = canary(0);
    const sim = simFor(f);
    const before = sim.minutes(f, NOW - 40 * MINUTE, NOW);
    expect(flat(before).every((i) => i.version === "1")).toBe(true);

    // What UpdateAlias does: append an entry in force from the next minute.
    const shiftAt = NOW - 20 * MINUTE;
    f.aliases[0]!.history.push({
      fromMs: shiftAt,
      functionVersion: "1",
      additional: { version: "2", weight: 0.5 },
    });
    const after = sim.minutes(f, NOW - 40 * MINUTE, NOW);
    const early = after.filter((r) => r.minuteMs < shiftAt);
    const late = after.filter((r) => r.minuteMs >= shiftAt);
    expect(early).toEqual(before.filter((r) => r.minuteMs < shiftAt));
    expect(flat(early).every((i) => i.version === "1")).toBe(true);
    const lateShare = flat(late).filter((i) => i.version === "2").length / flat(late).length;
    expect(lateShare).toBeGreaterThan(0.4);
    expect(lateShare).toBeLessThan(0.6);
    // The first minute of the shift already sees version 2.
    expect(late[0]!.invocations.some((i) => i.version === "2")).toBe(true);
  });
});

describe("throttling", () => {
  const bursty = (reserved: number | null) =>
    fn({
      reservedConcurrency: reserved,
      latest: version("$LATEST", { behaviour: behaviour({ durationMedianMs: 900 }) }),
      traffic: { peakPerMinute: 30, dailyDip: 0, burstChance: 0.3, burstFactor: 10, viaAlias: null },
    });

  it("throttles only at the reserved limit, and a throttled request never becomes an invocation", () => {
    const limited = simFor(bursty(5)).minutes(bursty(5), NOW - HOUR, NOW);
    const free = simFor(bursty(null)).minutes(bursty(null), NOW - HOUR, NOW);
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
  it("cold-starts exactly the first invocation of each environment, and again after idle gaps", () => {
    // Sparse traffic: a few arrivals a minute at most, in bursts separated by long idle gaps.
    const f = fn({
      traffic: { peakPerMinute: 0.05, dailyDip: 0, burstChance: 0.06, burstFactor: 60, viaAlias: null },
      latest: version("$LATEST", { runtime: "java21", behaviour: behaviour({ initDurationMs: 2000 }) }),
    });
    const windowStart = NOW - 12 * HOUR;
    const records = simFor(f).minutes(f, windowStart - 3 * HOUR, NOW);
    const inv = flat(records);
    const seen = new Map<string, Invocation>();
    let checked = 0;
    for (const i of inv) {
      const first = !seen.has(i.environmentId);
      const prev = seen.get(i.environmentId);
      seen.set(i.environmentId, i);
      if (i.startMs < windowStart) continue;
      // An environment never serves again after more than 10 idle minutes.
      if (prev) expect(i.startMs - prev.startMs).toBeLessThan(12 * MINUTE + 60_000);
      const created = Date.parse(i.logStreamName.slice(0, 10).replaceAll("/", "-"));
      if (first && created >= windowStart) {
        expect(i.initDurationMs).not.toBeNull();
        checked++;
      }
      if (!first) expect(i.initDurationMs).toBeNull();
    }
    expect(checked).toBeGreaterThan(10);
    const coldRate = inv.filter((i) => i.initDurationMs !== null).length / inv.length;
    expect(coldRate).toBeGreaterThan(0.1);
  });

  it("keeps steady traffic warm (< 1% cold) and names streams by creation date and version", () => {
    const f = fn({
      traffic: { peakPerMinute: 10, dailyDip: 0.3, burstChance: 0, burstFactor: 1, viaAlias: null },
    });
    const inv = flat(simFor(f).minutes(f, NOW - 3 * HOUR, NOW));
    const cold = inv.filter((i) => i.initDurationMs !== null);
    expect(cold.length).toBeGreaterThan(0);
    expect(cold.length / inv.length).toBeLessThan(0.01);
    for (const i of cold) {
      const d = new Date(i.startMs);
      const date = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}`;
      expect(i.logStreamName).toBe(`${date}/[$LATEST]${i.environmentId}`);
    }
  });

  it("cold-starts a new version when it starts receiving traffic", () => {
    const f = canary(0);
    const shiftAt = NOW - 10 * MINUTE;
    f.aliases[0]!.history.push({ fromMs: shiftAt, functionVersion: "2", additional: null });
    const inv = flat(simFor(f).minutes(f, shiftAt, NOW));
    expect(inv[0]!.version).toBe("2");
    expect(inv[0]!.initDurationMs).not.toBeNull();
  });

  it("runs one request at a time per execution environment, across minutes and through init", () => {
    // Planted functions with long handlers (report-generator), timeouts, OOM kills and bursts at a reserved limit:
    // every environment's requests must follow each other, init included. (The whole planted fleet over 3 h,
    // provisioned concurrency and canaries included: test/integration/sandbox-sim.)
    const fleet = generateAccount({ seed: 7, nowMs: NOW, functionsPerRegion: 11, regions: ["us-east-1"] });
    const sim = createSimulator(fleet, { now: () => NOW });
    const picked = ["report-generator", "legacy-sync", "pdf-renderer", "webhook-ingest"];
    let checked = 0;
    for (const f of picked.map((name) => fleet.regions.get("us-east-1")!.functions.get(name)!)) {
      const busyUntil = new Map<string, number>();
      for (const i of flat(sim.minutes(f, NOW - HOUR, NOW))) {
        expect(i.startMs, `${f.name} ${i.logStreamName}`).toBeGreaterThanOrEqual(
          busyUntil.get(i.environmentId) ?? 0,
        );
        busyUntil.set(i.environmentId, i.startMs + (i.initDurationMs ?? 0) + i.durationMs);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it("has no cold starts under provisioned concurrency until it spills over", () => {
    const withPc = (pc: number, peak: number) => {
      const f = canary(0, NOW - 60 * 24 * HOUR, {
        traffic: { peakPerMinute: peak, dailyDip: 0, burstChance: 0, burstFactor: 1, viaAlias: "live" },
      });
      f.versions = [version("1", { behaviour: behaviour({ durationMedianMs: 3000 }) }), version("2")];
      f.provisioned = [{ qualifier: "live", requested: pc }];
      // A quarter hour (six hours: test/integration/sim-simulator.test.ts).
      return simFor(f).minutes(f, NOW - 15 * MINUTE, NOW);
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

describe("outcomes", () => {
  it("reports timeouts at exactly the timeout, with Lambda's message", () => {
    const f = fn({
      latest: version("$LATEST", {
        timeout: 10,
        behaviour: behaviour({ durationMedianMs: 2000, timeoutRate: 0.12 }),
      }),
    });
    const inv = flat(simFor(f).minutes(f, NOW - 2 * HOUR, NOW));
    const timeouts = inv.filter((i) => i.outcome === "timeout");
    expect(timeouts.length / inv.length).toBeGreaterThan(0.09);
    expect(timeouts.length / inv.length).toBeLessThan(0.15);
    for (const t of timeouts) {
      expect(t.durationMs).toBe(10_000);
      expect(t.errorMessage).toBe("Task timed out after 10.00 seconds");
    }
    expect(inv.filter((i) => i.outcome !== "timeout").every((i) => i.durationMs < 10_000)).toBe(true);
  });

  it("turns a sampled duration past the timeout into a timeout", () => {
    const f = fn({
      latest: version("$LATEST", {
        timeout: 3,
        behaviour: behaviour({ durationMedianMs: 2000, durationSigma: 0.5 }),
      }),
    });
    const inv = flat(simFor(f).minutes(f, NOW - HOUR, NOW));
    expect(inv.some((i) => i.outcome === "timeout")).toBe(true);
    expect(inv.every((i) => i.durationMs <= 3000)).toBe(true);
  });

  it("reports OOM kills at memory used = memory size", () => {
    const f = fn({
      latest: version("$LATEST", {
        memorySize: 512,
        behaviour: behaviour({ oomRate: 0.05, memoryUsedMedianMb: 495, memoryUsedSigma: 0.03 }),
      }),
    });
    const inv = flat(simFor(f).minutes(f, NOW - HOUR, NOW));
    const oom = inv.filter((i) => i.outcome === "oom");
    expect(oom.length).toBeGreaterThan(10);
    for (const o of oom) {
      expect(o.maxMemoryUsedMb).toBe(512);
      expect(o.errorType).toBe("Runtime.OutOfMemory");
    }
    expect(inv.every((i) => i.maxMemoryUsedMb <= 512)).toBe(true);
  });

  it("gives function errors a type and message by runtime, at the configured rate", () => {
    const f = fn({
      latest: version("$LATEST", { runtime: "python3.12", behaviour: behaviour({ errorRate: 0.15 }) }),
    });
    const inv = flat(simFor(f).minutes(f, NOW - 2 * HOUR, NOW));
    const errors = inv.filter((i) => i.outcome === "error");
    expect(errors.length / inv.length).toBeGreaterThan(0.12);
    expect(errors.length / inv.length).toBeLessThan(0.18);
    expect(
      errors.every((e) =>
        ["KeyError", "ValueError", "ClientError", "ValidationError"].includes(e.errorType!),
      ),
    ).toBe(true);
    expect(inv.filter((i) => i.outcome === "success").every((i) => i.errorType === null)).toBe(true);
  });
});

describe("billing", () => {
  it("rounds up to the ms without float noise", () => {
    expect(billedMs(102.25, null)).toBe(103);
    expect(billedMs(100.1, 45.9)).toBe(146);
    expect(billedMs(10_000, null)).toBe(10_000);
  });

  const coldOnes = (f: SimFunction, now: number) =>
    flat(simFor(f, now).minutes(f, now - 3 * HOUR, now)).filter((i) => i.initDurationMs !== null);
  const sparse = { peakPerMinute: 0.1, dailyDip: 0, burstChance: 0.05, burstFactor: 30, viaAlias: null };

  it("bills INIT on cold starts since 2025-08-01, warm invocations by duration only", () => {
    const f = fn({ traffic: sparse });
    const cold = coldOnes(f, NOW);
    expect(cold.length).toBeGreaterThan(3);
    for (const i of cold) expect(i.billedDurationMs).toBe(Math.ceil(i.durationMs + i.initDurationMs!));
    const warm = flat(simFor(f).minutes(f, NOW - 3 * HOUR, NOW)).filter((i) => i.initDurationMs === null);
    for (const i of warm) expect(i.billedDurationMs).toBe(Math.ceil(i.durationMs));
  });

  it("did not bill INIT for ZIP managed runtimes before 2025-08-01, but did for custom runtimes", () => {
    const before = Date.UTC(2025, 5, 1);
    const created = before - 10 * 24 * HOUR;
    const managed = coldOnes(fn({ traffic: sparse, createdMs: created }), before);
    expect(managed.length).toBeGreaterThan(3);
    for (const i of managed) expect(i.billedDurationMs).toBe(Math.ceil(i.durationMs));
    const custom = coldOnes(
      fn({ traffic: sparse, createdMs: created, latest: version("$LATEST", { runtime: "provided.al2023" }) }),
      before,
    );
    for (const i of custom) expect(i.billedDurationMs).toBe(Math.ceil(i.durationMs + i.initDurationMs!));
  });
});

describe("time", () => {
  it("has no traffic before createdMs", () => {
    const createdMs = NOW - 30 * MINUTE + 25_000;
    const f = fn({ createdMs });
    const records = simFor(f).minutes(f, NOW - HOUR, NOW);
    const inv = flat(records);
    expect(inv.length).toBeGreaterThan(100);
    expect(Math.min(...inv.map((i) => i.startMs))).toBeGreaterThanOrEqual(createdMs);
    expect(records.filter((r) => r.minuteMs < createdMs - MINUTE).every((r) => r.concurrency === 0)).toBe(
      true,
    );
  });

  it("stops at now: no future minutes, and the current minute is a prefix of its full self", () => {
    const f = fn({
      traffic: { peakPerMinute: 60, dailyDip: 0, burstChance: 0, burstFactor: 1, viaAlias: null },
    });
    const now = NOW + 30_000;
    const records = simFor(f, now).minutes(f, NOW - 5 * MINUTE, NOW + HOUR);
    expect(records.map((r) => r.minuteMs).at(-1)).toBe(NOW);
    expect(records).toHaveLength(6);
    const partial = records.at(-1)!;
    expect(partial.invocations.every((i) => i.startMs < now)).toBe(true);
    const full = simFor(f, NOW + MINUTE).minute(f, NOW);
    expect(full.invocations.length).toBeGreaterThan(partial.invocations.length);
    expect(full.invocations.slice(0, partial.invocations.length)).toEqual(partial.invocations);
    expect(simFor(f, now).minute(f, NOW + MINUTE).invocations).toEqual([]);
  });
});

describe("identifiers and traces", () => {
  const f = fn({
    latest: version("$LATEST", {
      behaviour: behaviour({
        downstream: [
          {
            kind: "dynamodb",
            resource: "orders",
            operation: "GetItem",
            medianMs: 30,
            errorRate: 0.01,
            throttleRate: 0.01,
          },
          {
            kind: "http",
            resource: "api.stripe.com",
            operation: "POST",
            medianMs: 200,
            errorRate: 0.02,
            throttleRate: 0,
          },
        ],
      }),
    }),
  });
  const inv = flat(simFor(f).minutes(f, NOW - HOUR, NOW));

  it("encodes the start second in the trace id and uses AWS id shapes", () => {
    for (const i of inv) {
      expect(i.traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(parseInt(i.traceId.slice(2, 10), 16)).toBe(Math.floor(i.startMs / 1000));
      expect(i.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(i.segmentId).toMatch(/^[0-9a-f]{16}$/);
      expect(i.environmentId).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(new Set(inv.map((i) => i.requestId)).size).toBe(inv.length);
  });

  it("samples the first request of each second plus ~5% with Active tracing, none with PassThrough", () => {
    const bySecond = new Map<number, Invocation[]>();
    for (const i of inv)
      bySecond.set(Math.floor(i.startMs / 1000), [...(bySecond.get(Math.floor(i.startMs / 1000)) ?? []), i]);
    for (const group of bySecond.values()) expect(group[0]!.sampled).toBe(true);
    const rest = [...bySecond.values()].flatMap((g) => g.slice(1));
    const restRate = rest.filter((i) => i.sampled).length / rest.length;
    expect(restRate).toBeLessThan(0.15);
    const pt = fn({ tracing: "PassThrough" });
    expect(flat(simFor(pt).minutes(pt, NOW - 10 * MINUTE, NOW)).some((i) => i.sampled)).toBe(false);
  });

  it("lays downstream spans within the handler duration", () => {
    const spans = inv.flatMap((i) => i.downstream.map((d) => ({ d, i })));
    expect(spans.length).toBe(inv.length * 2);
    for (const { d, i } of spans) {
      expect(d.offsetMs).toBeGreaterThanOrEqual(0);
      expect(d.offsetMs + d.durationMs).toBeLessThanOrEqual(i.durationMs + 0.01);
    }
    expect(spans.some(({ d }) => d.outcome !== "ok")).toBe(true);
  });
});

describe("summary", () => {
  it("agrees with the full minutes", () => {
    const f = canary(0.3, NOW - 60 * 24 * HOUR, {
      reservedConcurrency: 3,
      traffic: { peakPerMinute: 40, dailyDip: 0, burstChance: 0.3, burstFactor: 5, viaAlias: "live" },
    });
    const sim = simFor(f, NOW + 20_000);
    for (let m = NOW - 30 * MINUTE; m <= NOW; m += MINUTE) {
      const r = sim.minute(f, m);
      const s = sim.summary!(f, m);
      expect(s.throttles).toBe(r.throttles);
      expect(s.concurrency).toBe(r.concurrency);
      for (const v of s.versions) {
        const mine = r.invocations.filter((i) => i.version === v.version);
        expect(v.invocations).toBe(mine.length);
        expect(v.errors).toBe(mine.filter((i) => i.outcome !== "success").length);
        expect(v.durationsMs).toEqual(mine.map((i) => i.durationMs));
      }
    }
  });
});
