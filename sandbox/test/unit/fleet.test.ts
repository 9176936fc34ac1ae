import { describe, expect, it } from "vitest";
import { generateAccount } from "../../src/fleet/generate";
import { p999Ms } from "../../src/fleet/healthy";
import type { SandboxAccount, SimFunction } from "../../src/fleet/model";
import { PLANTED } from "../../src/fleet/planted";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const HOUR = 3_600_000;
const HEALTHY_RUNTIMES = new Set([
  "nodejs22.x",
  "nodejs24.x",
  "python3.12",
  "python3.13",
  "java21",
  "provided.al2023",
  "ruby3.4",
]);

const fn = (a: SandboxAccount, region: string, name: string): SimFunction => {
  const f = a.regions.get(region)?.functions.get(name);
  if (!f) throw new Error(`missing ${region}/${name}`);
  return f;
};
const current = (f: SimFunction, alias: string) => f.aliases.find((a) => a.name === alias)?.history.at(-1);

describe("generateAccount determinism", () => {
  it("same seed gives a deep-equal account; a different seed a different one", () => {
    const a = generateAccount({ seed: 7, nowMs: NOW });
    const b = generateAccount({ seed: 7, nowMs: NOW });
    const c = generateAccount({ seed: 8, nowMs: NOW });
    expect(b).toEqual(a);
    expect(c.accountId).not.toBe(a.accountId);
    const names = (x: SandboxAccount) => [...(x.regions.get("us-east-1")?.functions.keys() ?? [])];
    expect(names(c)).not.toEqual(names(a));
    expect(fn(c, "us-east-1", "payments-api").latest.codeSha256).not.toBe(
      fn(a, "us-east-1", "payments-api").latest.codeSha256,
    );
  });

  it("holds exactly functionsPerRegion unique functions per region, planted first", () => {
    for (const size of [5, 20, 40, 300]) {
      const a = generateAccount({
        seed: 3,
        nowMs: NOW,
        functionsPerRegion: size,
        regions: ["us-east-1", "eu-west-1"],
      });
      // The fleet regions asked for (a Lambda@Edge replica region, fleet/edge.ts, holds no function).
      for (const region of ["us-east-1", "eu-west-1"])
        expect(a.regions.get(region)?.functions.size).toBe(size);
    }
    const small = generateAccount({ seed: 3, nowMs: NOW, functionsPerRegion: 5 });
    expect([...(small.regions.get("us-east-1")?.functions.keys() ?? [])]).toEqual(
      PLANTED.filter((p) => p.region === "us-east-1")
        .slice(0, 5)
        .map((p) => p.name),
    );
  });
});

describe("planted functions", () => {
  const a = generateAccount({ seed: 11, nowMs: NOW, functionsPerRegion: 20 });

  it("all exist at fleet size 20 with their scenario", () => {
    for (const p of PLANTED) expect(fn(a, p.region, p.name).scenario).toBe(p.scenario);
  });

  it("carry their key facts", () => {
    const img = fn(a, "us-east-1", "image-resizer");
    expect([img.latest.memorySize, img.latest.architecture, img.latest.runtime]).toEqual([
      3008,
      "x86_64",
      "nodejs22.x",
    ]);
    expect(img.latest.behaviour.memoryUsedMedianMb / 3008).toBeLessThan(0.2);
    expect(fn(a, "us-east-1", "report-generator").latest.timeout).toBe(30);
    const legacy = fn(a, "us-east-1", "legacy-sync");
    expect([legacy.latest.timeout, legacy.latest.behaviour.timeoutRate]).toEqual([10, 0.12]);
    const pdf = fn(a, "us-east-1", "pdf-renderer");
    expect(pdf.latest.memorySize).toBe(512);
    expect(pdf.latest.behaviour.oomRate).toBe(0.02);
    expect(fn(a, "us-east-1", "webhook-ingest").reservedConcurrency).toBe(5);
    expect(fn(a, "us-east-1", "checkout-api").provisioned).toEqual([{ qualifier: "live", requested: 50 }]);
    expect(fn(a, "us-east-1", "search-api").provisioned).toEqual([{ qualifier: "live", requested: 2 }]);
    expect(fn(a, "us-east-1", "notify-sms").latest.runtime).toBe("java21");
    for (const v of [
      ...fn(a, "us-east-1", "invoice-legacy").versions,
      fn(a, "us-east-1", "invoice-legacy").latest,
    ])
      expect(v.runtime).toBe("python3.8");
    expect(fn(a, "eu-west-1", "gdpr-export").latest.runtime).toBe("nodejs16.x");
    expect(fn(a, "us-east-1", "ml-inference").latest.codeSize).toBe(48 * 1024 * 1024);
    const audit = fn(a, "us-east-1", "audit-trail");
    expect([audit.logGroup, audit.logFormat]).toEqual(["/custom/audit-trail", "JSON"]);
  });

  it("payments-api is mid-canary: 7 + 8 at 0.3 since 3 h before now, v8 failing", () => {
    const p = fn(a, "us-east-1", "payments-api");
    const live = p.aliases.find((x) => x.name === "live");
    expect(live?.history).toHaveLength(2);
    expect(live?.history[0]?.fromMs).toBe(p.createdMs);
    expect(live?.history[1]).toEqual({
      fromMs: NOW - 3 * HOUR,
      functionVersion: "7",
      additional: { version: "8", weight: 0.3 },
    });
    expect(p.versions.find((v) => v.version === "8")?.behaviour.errorRate).toBe(0.15);
    expect(p.versions.find((v) => v.version === "7")?.behaviour.errorRate).toBe(0.002);
    expect(p.traffic.viaAlias).toBe("live");
  });

  it("orders-api and user-profile are mid-shift", () => {
    expect(current(fn(a, "us-east-1", "orders-api"), "live")).toMatchObject({
      functionVersion: "12",
      additional: { version: "13", weight: 0.1 },
    });
    expect(current(fn(a, "us-east-1", "user-profile"), "beta")).toMatchObject({
      functionVersion: "4",
      additional: { version: "5", weight: 0.5 },
    });
  });
});

describe("fleet invariants", () => {
  const a = generateAccount({ seed: 5, nowMs: NOW, functionsPerRegion: 200 });
  const all = [...a.regions.values()].flatMap((r) => [...r.functions.values()]);

  it("never puts provisioned concurrency on an alias with weights; aliases point at existing versions", () => {
    for (const f of all) {
      for (const alias of f.aliases) {
        for (const h of alias.history) {
          expect(
            h.functionVersion === "$LATEST" || f.versions.some((v) => v.version === h.functionVersion),
          ).toBe(true);
          if (h.additional) expect(f.versions.some((v) => v.version === h.additional?.version)).toBe(true);
        }
        if (f.provisioned.some((p) => p.qualifier === alias.name))
          expect(alias.history.at(-1)?.additional).toBeNull();
      }
      expect(f.aliases.some((x) => x.name === "live")).toBe(true);
      expect(f.createdMs).toBeLessThan(NOW);
      for (const v of f.versions) expect(v.lastModifiedMs).toBeLessThanOrEqual(NOW);
    }
  });

  it("healthy functions honour the healthy contract", () => {
    const healthy = all.filter((f) => f.scenario === "healthy");
    expect(healthy.length).toBeGreaterThan(all.length / 2);
    for (const f of healthy) {
      const v = f.latest;
      expect(HEALTHY_RUNTIMES.has(v.runtime ?? "")).toBe(true);
      expect(f.tracing).toBe("Active");
      expect(f.provisioned).toEqual([]);
      expect(v.memorySize).toBeGreaterThanOrEqual(128);
      expect(v.memorySize).toBeLessThanOrEqual(10_240);
      const used = v.behaviour.memoryUsedMedianMb / v.memorySize;
      expect(used).toBeGreaterThan(0.55);
      expect(used).toBeLessThan(0.75);
      const p999s = p999Ms(v.behaviour) / 1000;
      expect(v.timeout).toBeLessThanOrEqual(60);
      expect(v.timeout).toBeGreaterThanOrEqual(3 * p999s);
      expect(v.timeout).toBeLessThanOrEqual(Math.max(1, 10 * p999s));
      expect(v.behaviour.errorRate).toBeLessThan(0.003);
      expect(v.behaviour.timeoutRate + v.behaviour.oomRate).toBe(0);
      expect(f.traffic.peakPerMinute * (1 - f.traffic.dailyDip)).toBeGreaterThanOrEqual(5);
      expect(JSON.stringify(v.environment).length).toBeLessThan(1024);
      expect(v.codeSize).toBeLessThan(50 * 1024 * 1024 * 0.5);
    }
  });
});
