/**
 * The advisor against the sandbox's planted functions (names and facts from the team's fleet table) and its
 * healthy profile at the edges of "healthy": every planted function gets its rule, healthy ones get nothing.
 */
import { describe, expect, it } from "vitest";
import { advise, adviseAccount, type Flag } from "@/lib/core/advisor";
import { bytes, epochMs, mb, ms, ratio, seconds } from "@/lib/core/units";
import { DAY, MiB, NOW, account, config, days, input, observations } from "./advisor-fixtures";

const ids = (flags: Flag[]) =>
  flags.map((f) => `${f.ruleId}:${f.severity}${f.qualifier ? `@${f.qualifier}` : ""}`);
const only = (flags: Flag[], ruleId: Flag["ruleId"]) => flags.filter((f) => f.ruleId === ruleId);
const INV = 20 * 60 * 24 * 7;

describe("healthy functions produce no flags", () => {
  const cases: Array<[string, Parameters<typeof input>[0]]> = [
    ["the baseline", {}],
    ["65% memory used", { observed: { memoryUsed: { max: mb(666), p99: mb(600) } } }],
    ["88% memory used", { observed: { memoryUsed: { max: mb(901), p99: mb(850) } } }],
    ["0.29% errors", { observed: { errors: Math.floor(INV * 0.0029) } }],
    [
      "timeout 3× p99.9",
      {
        config: { timeout: seconds(3) },
        observed: { duration: { p50: ms(300), p99: ms(700), p999: ms(1000), max: ms(1400), avg: ms(320) } },
      },
    ],
    [
      "timeout 60 s at 10× p99.9",
      {
        config: { timeout: seconds(60) },
        observed: {
          duration: { p50: ms(2000), p99: ms(4500), p999: ms(6000), max: ms(9000), avg: ms(2200) },
        },
      },
    ],
    [
      "0.99% cold starts",
      {
        observed: { coldStarts: { count: Math.floor(INV * 0.0099), avgInitMs: ms(400), p99InitMs: ms(900) } },
      },
    ],
    ["every current runtime", { config: { runtime: "ruby3.4" } }],
    ["arm64 on python3.13", { config: { runtime: "python3.13", architecture: "arm64" } }],
    [
      "5 invocations a minute",
      {
        observed: {
          invocations: 5 * 60 * 24 * 7,
          reportCount: 5 * 60 * 24 * 7,
          errors: 10,
          coldStarts: { count: 300, avgInitMs: ms(300), p99InitMs: ms(500) },
        },
      },
    ],
    [
      "audit-trail: custom log group, JSON logs",
      {
        config: {
          name: "audit-trail",
          logGroup: "/custom/audit-trail",
          logFormat: "JSON",
          runtime: "provided.al2023",
        },
      },
    ],
    [
      "orders-api mid-shift (12 → 13 at 10%)",
      {
        observed: {
          perVersion: [
            { version: "12", invocations: Math.round(INV * 0.9), errors: Math.round(INV * 0.9 * 0.002) },
            { version: "13", invocations: Math.round(INV * 0.1), errors: Math.round(INV * 0.1 * 0.002) },
          ],
        },
      },
    ],
  ];
  for (const [name, over] of cases) {
    it(name, () => expect(ids(advise(input(over), { now: NOW }))).toEqual([]));
  }
});

describe("planted functions get their rule", () => {
  it("image-resizer: memory over-provisioned, 3008 MB → 576 MB with a saving", () => {
    const flags = advise(
      input({
        config: { name: "image-resizer", memory: mb(3008) },
        observed: {
          memoryUsed: { max: mb(450), p99: mb(410) },
          duration: { p50: ms(800), p99: ms(1800), p999: ms(2000), max: ms(2100), avg: ms(900) },
        },
      }),
      { now: NOW },
    );
    const [f] = only(flags, "memory-over-provisioned");
    expect(f?.severity).toBe("warning");
    expect(f?.recommendation.action).toEqual({ kind: "set-memory", memory: 576 });
    expect(f?.monthlyImpact.kind).toBe("saving");
    expect(f?.monthlyImpact.amount).toBeGreaterThan(0);
    expect(f?.recommendation.text).toMatch(/1,769 MB ≈ 1 vCPU/);
    expect(f?.confidence.level).toBe("high");
  });

  it("report-generator: p99 28 s of a 30 s timeout, a few timeouts", () => {
    const flags = advise(
      input({
        config: { name: "report-generator", timeout: seconds(30) },
        observed: {
          duration: { p50: ms(15_000), p99: ms(28_000), p999: ms(29_500), max: ms(30_000), avg: ms(16_000) },
          timeouts: Math.round(INV * 0.004),
          perDay: days(INV / 7, { timeouts: 0.004, errors: 0.004 }),
          errors: Math.round(INV * 0.004),
        },
      }),
      { now: NOW },
    );
    expect(ids(flags)).toContain("timeout-near:warning");
    expect(ids(flags)).toContain("timeouts:warning");
  });

  it("legacy-sync: 12% timeouts a day is critical, with the compute lost", () => {
    const flags = advise(
      input({
        config: { name: "legacy-sync", timeout: seconds(10) },
        observed: {
          duration: { p50: ms(3000), p99: ms(10_000), p999: ms(10_000), max: ms(10_000), avg: ms(4000) },
          timeouts: Math.round(INV * 0.12),
          errors: Math.round(INV * 0.12),
          perDay: days(INV / 7, { timeouts: 0.12, errors: 0.12 }),
        },
      }),
      { now: NOW },
    );
    const [t] = only(flags, "timeouts");
    expect(t?.severity).toBe("critical");
    expect(t?.monthlyImpact.kind).toBe("cost");
    // 12% of 20/min for a month, each billed 10 s at 1 GB, plus its requests: ≈ $1.96 + ~$0.0
    expect(t?.monthlyImpact.amount).toBeGreaterThan(1_900_000);
    expect(flags[0]?.severity).toBe("critical");
  });

  it("pdf-renderer: 97% of 512 MB and OOM kills is critical", () => {
    const flags = advise(
      input({
        config: { name: "pdf-renderer", memory: mb(512) },
        observed: {
          memoryUsed: { max: mb(500), p99: mb(497) },
          outOfMemory: Math.round(INV * 0.02),
          errors: Math.round(INV * 0.02),
        },
      }),
      { now: NOW },
    );
    const [m] = only(flags, "memory-near-limit");
    expect(m?.severity).toBe("critical");
    expect(m?.recommendation.action).toEqual({ kind: "set-memory", memory: 640 });
  });

  it("webhook-ingest: throttled at reserved concurrency 5", () => {
    const flags = advise(
      input({
        config: { name: "webhook-ingest" },
        reservedConcurrency: 5,
        observed: {
          concurrencyMax: 5,
          throttles: Math.round(INV * 0.12),
          perDay: days(INV / 7, { throttles: 0.12, errors: 0.002 }),
        },
      }),
      { now: NOW },
    );
    // Both rules size reserved concurrency: one flag, one recommendation (the higher target satisfies both).
    expect(ids(flags)).toContain("throttles:critical");
    expect(ids(flags)).not.toContain("concurrency-near-limit:warning");
    const [t] = only(flags, "throttles");
    expect(t?.merged).toEqual(["concurrency-near-limit"]);
    expect(t?.recommendation.action).toEqual({ kind: "set-reserved-concurrency", concurrency: 7 });
    expect(t?.recommendation.text).toMatch(/at least 7\b/);
    expect(t?.evidence.numbers.concurrencyShare?.value).toBe(1);
  });

  it("checkout-api: provisioned concurrency 50 on live peaking at 5 → 7, saving money", () => {
    const flags = advise(
      input({
        config: { name: "checkout-api" },
        provisionedConcurrency: [
          { qualifier: "live", requested: 50, allocated: 50, available: 50, status: "READY" },
        ],
        observed: {
          provisioned: [
            {
              qualifier: "live",
              utilisationMax: ratio(0.1),
              utilisationAvg: ratio(0.04),
              spilloverInvocations: 0,
              concurrencyMax: 5,
            },
          ],
        },
      }),
      { now: NOW },
    );
    const [p] = only(flags, "provisioned-idle");
    expect(p?.qualifier).toBe("live");
    expect(p?.recommendation.action).toEqual({
      kind: "set-provisioned-concurrency",
      qualifier: "live",
      concurrency: 7,
    });
    // 43 × 1 GB × 730 h × 3600 s × $0.0000041667 ≈ $470.85
    expect(p?.monthlyImpact.amount).toBeGreaterThan(470_000_000);
    expect(p?.monthlyImpact.amount).toBeLessThan(471_000_000);
    expect(p?.evidence.numbers.breakEvenUtilisation?.value).toBeCloseTo(0.6, 3);
  });

  it("search-api: spillover over provisioned concurrency 2", () => {
    const flags = advise(
      input({
        config: { name: "search-api" },
        provisionedConcurrency: [
          { qualifier: "live", requested: 2, allocated: 2, available: 2, status: "READY" },
        ],
        observed: {
          concurrencyMax: 10,
          provisioned: [
            {
              qualifier: "live",
              utilisationMax: ratio(1),
              utilisationAvg: ratio(0.9),
              spilloverInvocations: 5000,
              concurrencyMax: 2,
            },
          ],
        },
      }),
      { now: NOW },
    );
    const [s] = only(flags, "provisioned-spillover");
    expect(s?.recommendation.action).toEqual({
      kind: "set-provisioned-concurrency",
      qualifier: "live",
      concurrency: 13,
    });
    expect(s?.monthlyImpact.kind).toBe("cost");
    expect(only(flags, "provisioned-idle")).toEqual([]);
  });

  it("notify-sms: 18% cold starts on java21 with ~2 s init, and their INIT cost", () => {
    const flags = advise(
      input({
        config: { name: "notify-sms", runtime: "java21", memory: mb(1024) },
        observed: { coldStarts: { count: Math.round(INV * 0.18), avgInitMs: ms(2200), p99InitMs: ms(3000) } },
      }),
      { now: NOW },
    );
    const [c] = only(flags, "cold-starts");
    expect(c?.severity).toBe("warning");
    expect(c?.recommendation.text).toMatch(/SnapStart/);
    // 18% of 876,000 monthly invocations × 2.2 s × 1 GB × $0.0000166667 ≈ $5.78
    expect(c?.monthlyImpact.amount).toBeGreaterThan(5_700_000);
    expect(c?.monthlyImpact.amount).toBeLessThan(5_900_000);
  });

  it("payments-api: the canary version 8 fails at 15% while 7 is fine", () => {
    const v7 = { version: "7", invocations: 70_000, errors: 140 };
    const v8 = { version: "8", invocations: 30_000, errors: 4500 };
    const flags = advise(
      input({
        config: { name: "payments-api" },
        observed: { invocations: 100_000, reportCount: 100_000, errors: 4640, perVersion: [v7, v8] },
      }),
      { now: NOW },
    );
    const errs = only(flags, "errors");
    expect(ids(errs)).toEqual(["errors:critical@8", "errors:warning"]);
  });

  it("invoice-legacy: python3.8 flagged on $LATEST and on every published version", () => {
    const latest = { name: "invoice-legacy", runtime: "python3.8" };
    const flags = advise(
      input({
        config: latest,
        versions: [config({ ...latest, version: "1" }), config({ ...latest, version: "2" })],
      }),
      { now: NOW },
    );
    expect(ids(only(flags, "deprecated-runtime"))).toEqual([
      "deprecated-runtime:critical@$LATEST",
      "deprecated-runtime:critical@1",
      "deprecated-runtime:critical@2",
    ]);
    expect(only(flags, "deprecated-runtime")[0]?.recommendation.action).toEqual({
      kind: "upgrade-runtime",
      from: "python3.8",
      to: "python3.14",
    });
  });

  it("gdpr-export (eu-west-1): nodejs16.x is critical", () => {
    const flags = advise(
      input({ config: { name: "gdpr-export", region: "eu-west-1", runtime: "nodejs16.x" } }),
      { now: NOW },
    );
    expect(ids(flags)).toEqual(["deprecated-runtime:critical@$LATEST"]);
    expect(flags[0]?.region).toBe("eu-west-1");
  });

  it("ml-inference: 48 MB zipped of 50 MB", () => {
    const flags = advise(
      input({
        config: {
          name: "ml-inference",
          codeSize: bytes(48 * MiB),
          layers: [{ arn: "arn:layer:numpy:1", codeSize: bytes(40 * MiB) }],
        },
      }),
      { now: NOW },
    );
    const [c] = only(flags, "code-size");
    expect(c?.evidence.numbers.zippedShare?.value).toBeCloseTo(0.96, 2);
    expect(ids(flags)).toEqual(["code-size:warning"]);
  });
});

describe("every flag carries its evidence", () => {
  it("window, invocations seen, confidence reason and a basis for the money", () => {
    const flags = advise(
      input({
        config: { memory: mb(3008), runtime: "python3.8" },
        observed: { memoryUsed: { max: mb(300), p99: mb(280) } },
      }),
      { now: NOW },
    );
    expect(flags.length).toBeGreaterThan(1);
    for (const f of flags) {
      expect(f.evidence.window).toEqual({ start: epochMs(NOW - 7 * DAY), end: NOW });
      expect(f.evidence.invocationsSeen).toBe(INV);
      expect(f.confidence.why.length).toBeGreaterThan(0);
      expect(f.monthlyImpact.basis.length).toBeGreaterThan(0);
      expect(f.functionName).toBe("orders-api");
    }
    expect(flags[0]?.severity).toBe("critical"); // most severe first
  });
});

describe("adviseAccount", () => {
  it("flags code storage at 80% of 75 GB and not below", () => {
    const window = observations().window;
    const at = (gb: number) =>
      adviseAccount(account({ totalCodeSize: bytes(gb * 1024 * MiB) }), window, { now: NOW });
    expect(at(59)).toEqual([]);
    const [f] = at(61);
    expect(f?.ruleId).toBe("account-code-storage");
    expect(f?.functionName).toBeNull();
  });
});
