/** Each advisor rule at the edges of its thresholds (defaults from DESIGN.md "Flags"). */
import { describe, expect, it } from "vitest";
import { advise, parseThresholds, type Flag } from "@/lib/core/advisor";
import { bytes, epochMs, mb, ms, ratio, seconds } from "@/lib/core/units";
import { DAY, MiB, NOW, days, input } from "./advisor-fixtures";

type Over = Parameters<typeof input>[0];
const INV = 20 * 60 * 24 * 7;
const run = (over: Over, now = NOW) => advise(input(over), { now });
const rule = (flags: Flag[], id: Flag["ruleId"]) => flags.filter((f) => f.ruleId === id);
const severities = (over: Over, id: Flag["ruleId"], now = NOW) =>
  rule(run(over, now), id).map((f) => f.severity);

describe("memory-over-provisioned", () => {
  const used = (max: number, extra: Over = {}): Over => ({
    ...extra,
    observed: { memoryUsed: { max: mb(max), p99: mb(max) }, ...extra.observed },
  });
  it("flags below 60% of configured, not at 60%", () => {
    expect(severities(used(614.4), "memory-over-provisioned")).toEqual([]);
    expect(severities(used(614), "memory-over-provisioned")).toEqual(["warning"]);
  });
  it("needs 50 invocations; below, the coverage rule says why instead", () => {
    const flags = run(
      used(200, {
        observed: {
          invocations: 49,
          reportCount: 49,
          errors: 0,
          coldStarts: { count: 0, avgInitMs: null, p99InitMs: null },
        },
      }),
    );
    expect(rule(flags, "memory-over-provisioned")).toEqual([]);
    expect(rule(flags, "data-coverage")[0]?.title).toMatch(/only 49 invocations/);
  });
  it("rounds the recommendation up to a 64 MB step, never below 128 MB", () => {
    const rec = (max: number) => rule(run(used(max)), "memory-over-provisioned")[0]?.recommendation.action;
    expect(rec(100)).toEqual({ kind: "set-memory", memory: 128 });
    expect(rec(410)).toEqual({ kind: "set-memory", memory: 576 }); // 512.5 → 576
    expect(rec(409.6)).toEqual({ kind: "set-memory", memory: 512 });
  });
  it("has medium confidence on a window shorter than 7 days", () => {
    const short = used(300, { observed: { window: { start: epochMs(NOW - 3 * DAY), end: NOW } } });
    expect(rule(run(short), "memory-over-provisioned")[0]?.confidence.level).toBe("medium");
  });
  it("has low confidence when REPORT lines cover too few invocations", () => {
    const thin = used(300, { observed: { reportCount: Math.round(INV * 0.5) } });
    expect(rule(run(thin), "memory-over-provisioned")[0]?.confidence.level).toBe("low");
  });
});

describe("memory-near-limit", () => {
  const at = (max: number, oom = 0): Over => ({
    observed: { memoryUsed: { max: mb(max), p99: mb(max) }, outOfMemory: oom },
  });
  it("warns above 95%, not at it; OOM kills are critical", () => {
    expect(severities(at(972.8), "memory-near-limit")).toEqual([]);
    expect(severities(at(973), "memory-near-limit")).toEqual(["warning"]);
    expect(severities(at(500, 1), "memory-near-limit")).toEqual(["critical"]);
  });
});

describe("timeout-near", () => {
  const d = (p99: number, p999: number): Over => ({
    config: { timeout: seconds(10) },
    observed: { duration: { p50: ms(1000), p99: ms(p99), p999: ms(p999), max: ms(p999), avg: ms(1200) } },
  });
  it("flags p99 or p99.9 at 90% of the timeout, not below", () => {
    expect(severities(d(8000, 8999), "timeout-near")).toEqual([]);
    expect(severities(d(8000, 9000), "timeout-near")).toEqual(["warning"]);
    expect(severities(d(9000, 9500), "timeout-near")).toEqual(["warning"]);
  });
  it("uses the collected count when present: ≥ 0.1% of invocations", () => {
    const count = (n: number): Over => {
      const base = d(2000, 3000);
      return { ...base, observed: { ...base?.observed, nearTimeoutInvocations: n } };
    };
    expect(severities(count(Math.floor(INV * 0.001) - 1), "timeout-near")).toEqual([]);
    expect(severities(count(Math.ceil(INV * 0.001)), "timeout-near")).toEqual(["warning"]);
  });
});

describe("timeouts", () => {
  const share = (s: number): Over => ({
    observed: { timeouts: Math.round(INV * s), perDay: days(INV / 7, { timeouts: s }) },
  });
  it("any timeout warns; > 10% on a day is critical", () => {
    expect(severities(share(0), "timeouts")).toEqual([]);
    expect(severities(share(0.001), "timeouts")).toEqual(["warning"]);
    expect(severities(share(0.1), "timeouts")).toEqual(["warning"]);
    expect(severities(share(0.102), "timeouts")).toEqual(["critical"]);
  });
  it("is critical when one day crosses 10% even if the week does not", () => {
    const perDay = days(INV / 7, { timeouts: 0.01 });
    perDay[3] = { ...perDay[3]!, timeouts: Math.round((INV / 7) * 0.2) };
    expect(severities({ observed: { timeouts: 3000, perDay } }, "timeouts")).toEqual(["critical"]);
  });
});

describe("timeout-over-generous", () => {
  const t = (timeout: number, p999: number): Over => ({
    config: { timeout: seconds(timeout) },
    observed: {
      duration: { p50: ms(p999 / 4), p99: ms(p999 / 2), p999: ms(p999), max: ms(p999), avg: ms(p999 / 3) },
    },
  });
  it("only judges timeouts above 60 s, more than 10× p99.9", () => {
    expect(severities(t(60, 1000), "timeout-over-generous")).toEqual([]);
    expect(severities(t(120, 12_000), "timeout-over-generous")).toEqual([]);
    const [f] = rule(run(t(61, 1000)), "timeout-over-generous");
    expect(f?.severity).toBe("info");
    expect(f?.recommendation.action).toEqual({ kind: "set-timeout", timeout: 3 });
    // (61 − 3) s × 1 GB × $0.0000166667 per runaway
    expect(f?.monthlyImpact).toMatchObject({ kind: "at-risk", amount: 967 });
  });
});

describe("errors", () => {
  const rate = (r: number, dayRate = r): Over => ({
    observed: { errors: Math.round(INV * r), perDay: days(INV / 7, { errors: dayRate }) },
  });
  it("warns above 1%, critical above 10%", () => {
    expect(severities(rate(0.01), "errors")).toEqual([]);
    expect(severities(rate(0.0102), "errors")).toEqual(["warning"]);
    expect(severities(rate(0.1), "errors")).toEqual(["warning"]);
    expect(severities(rate(0.1005), "errors")).toEqual(["critical"]);
  });
  it("is critical when a day passes 10% (Trusted Advisor) while the week stays low", () => {
    expect(severities(rate(0.005, 0.11), "errors")).toEqual(["critical"]);
  });
  it("points at the Errors view of the function", () => {
    const [f] = rule(run(rate(0.05)), "errors");
    expect(f?.recommendation.action).toEqual({ kind: "open-errors" });
  });
  it("does not judge single-version functions twice", () => {
    const over: Over = {
      observed: {
        errors: Math.round(INV * 0.05),
        perVersion: [{ version: "3", invocations: INV, errors: Math.round(INV * 0.05) }],
      },
    };
    expect(rule(run(over), "errors")).toHaveLength(1);
  });
});

describe("throttles", () => {
  const th = (n: number): Over => ({ observed: { throttles: n } });
  it("warns on any throttle, critical above 10% of requests", () => {
    expect(severities(th(0), "throttles")).toEqual([]);
    expect(severities(th(1), "throttles")).toEqual(["warning"]);
    expect(severities(th(Math.ceil(INV / 9) + 10), "throttles")).toEqual(["critical"]);
  });
});

describe("concurrency-near-limit", () => {
  it("warns at 80% of reserved concurrency", () => {
    expect(
      severities({ reservedConcurrency: 10, observed: { concurrencyMax: 7 } }, "concurrency-near-limit"),
    ).toEqual([]);
    expect(
      severities({ reservedConcurrency: 10, observed: { concurrencyMax: 8 } }, "concurrency-near-limit"),
    ).toEqual(["warning"]);
  });
  it("uses the account's unreserved pool when nothing is reserved", () => {
    expect(severities({ observed: { concurrencyMax: 719 } }, "concurrency-near-limit")).toEqual([]);
    expect(severities({ observed: { concurrencyMax: 720 } }, "concurrency-near-limit")).toEqual(["warning"]);
  });
});

describe("cold-starts", () => {
  const cs = (r: number): Over => ({
    observed: { coldStarts: { count: Math.round(INV * r), avgInitMs: ms(500), p99InitMs: ms(900) } },
  });
  it("warns above 1% of invocations", () => {
    expect(severities(cs(0.01), "cold-starts")).toEqual([]);
    expect(severities(cs(0.0102), "cold-starts")).toEqual(["warning"]);
  });
  it("prices INIT only once it is billed (2025-08-01 for managed ZIP runtimes)", () => {
    const before = rule(run(cs(0.05), epochMs(Date.UTC(2025, 6, 31))), "cold-starts")[0];
    const after = rule(run(cs(0.05), epochMs(Date.UTC(2025, 7, 1))), "cold-starts")[0];
    expect(before?.monthlyImpact.kind).toBe("none");
    expect(after?.monthlyImpact.kind).toBe("cost");
    expect(after?.monthlyImpact.amount).toBeGreaterThan(0);
  });
});

describe("provisioned concurrency", () => {
  const pc = (util: number | null, spill = 0): Over => ({
    provisionedConcurrency: [
      { qualifier: "live", requested: 10, allocated: 10, available: 10, status: "READY" },
    ],
    observed: {
      provisioned: [
        {
          qualifier: "live",
          utilisationMax: util === null ? null : ratio(util),
          utilisationAvg: null,
          spilloverInvocations: spill,
          concurrencyMax: null,
        },
      ],
    },
  });
  it("flags peak utilisation below 60%, not at 60%", () => {
    expect(severities(pc(0.6), "provisioned-idle")).toEqual([]);
    expect(severities(pc(0.59), "provisioned-idle")).toEqual(["warning"]);
  });
  it("treats missing utilisation as unknown (low-confidence info), never as 0%", () => {
    const [f] = rule(run(pc(null)), "provisioned-idle");
    expect(f?.severity).toBe("info");
    expect(f?.confidence.level).toBe("low");
    expect(f?.monthlyImpact.kind).toBe("none");
  });
  it("flags any spillover", () => {
    expect(severities(pc(1, 0), "provisioned-spillover")).toEqual([]);
    expect(severities(pc(1, 1), "provisioned-spillover")).toEqual(["warning"]);
  });
});

describe("deprecated-runtime", () => {
  it("warns within 120 days of the date, critical after", () => {
    const ruby = { config: { runtime: "ruby3.3" } };
    expect(severities(ruby, "deprecated-runtime", epochMs(Date.UTC(2026, 10, 30)))).toEqual([]);
    expect(severities(ruby, "deprecated-runtime", epochMs(Date.UTC(2026, 11, 1)))).toEqual(["warning"]);
    expect(severities(ruby, "deprecated-runtime", epochMs(Date.UTC(2027, 2, 31)))).toEqual(["critical"]);
  });
  it("skips container images and unknown runtimes", () => {
    expect(severities({ config: { runtime: null, packageType: "Image" } }, "deprecated-runtime")).toEqual([]);
    expect(severities({ config: { runtime: "cobol85" } }, "deprecated-runtime")).toEqual([]);
  });
});

describe("code-size and env-vars-size", () => {
  it("flags 90% of 50 MB zipped", () => {
    expect(severities({ config: { codeSize: bytes(44 * MiB) } }, "code-size")).toEqual([]);
    expect(severities({ config: { codeSize: bytes(45 * MiB) } }, "code-size")).toEqual(["warning"]);
  });
  it("uses zipped code + layers as a lower bound of unzipped when unknown", () => {
    const over: Over = {
      config: { codeSize: bytes(10 * MiB), layers: [{ arn: "l", codeSize: bytes(220 * MiB) }] },
    };
    const [f] = rule(run(over), "code-size");
    expect(f?.confidence.level).toBe("medium");
    expect(f?.evidence.numbers.unzippedLowerBound?.value).toBe(230 * MiB);
    const known: Over = { ...over, observed: { unzippedCodeSize: bytes(240 * MiB) } };
    expect(rule(run(known), "code-size")[0]?.evidence.numbers.unzippedSize?.value).toBe(240 * MiB);
  });
  it("flags env vars from 80% of 4 KB", () => {
    expect(severities({ config: { envVarsSize: bytes(3276) } }, "env-vars-size")).toEqual([]);
    expect(severities({ config: { envVarsSize: bytes(3277) } }, "env-vars-size")).toEqual(["warning"]);
  });
});

describe("event-source rules", () => {
  it("iterator age above 2 h", () => {
    expect(severities({ observed: { iteratorAgeMaxMs: ms(7_200_000) } }, "iterator-age")).toEqual([]);
    expect(severities({ observed: { iteratorAgeMaxMs: ms(7_200_001) } }, "iterator-age")).toEqual([
      "warning",
    ]);
  });
  it("any dropped async or recursive invocation", () => {
    expect(severities({ observed: { asyncEventsDropped: 1 } }, "async-delivery")).toEqual(["warning"]);
    expect(
      severities({ observed: { recursiveInvocationsDropped: 1 } }, "recursive-invocations-dropped"),
    ).toEqual(["warning"]);
  });
});

describe("arm64-move", () => {
  // The old $10 bar, so the pricing maths below stays readable; the $50 default is checked on its own.
  const bar10 = parseThresholds({ arm64: { minMonthlySavingUsd: 10 } });
  const run = (over: Over) => advise(input(over), { now: NOW, thresholds: bar10 });
  const busy: Over = {
    config: { memory: mb(2048) },
    observed: { duration: { p50: ms(900), p99: ms(1500), p999: ms(1800), max: ms(1900), avg: ms(1000) } },
  };
  it("stays quiet below a $10/month saving", () => {
    // 876,000 invocations/month × 1 s × 2 GB = 1.752M GB-s; × ($0.0000166667 − $0.0000133334) ≈ $5.84
    expect(rule(run(busy), "arm64-move")).toEqual([]);
  });
  it("suggests arm64 above it, with the ~20% duration saving, and can be disabled", () => {
    const bigger: Over = { ...busy, config: { memory: mb(4096) } };
    const [f] = rule(run(bigger), "arm64-move");
    expect(f?.severity).toBe("info");
    expect(f?.monthlyImpact.kind).toBe("saving");
    // 3.504M GB-s × $0.0000033333 ≈ $11.68 on duration, a little more with billed INIT
    expect(f?.monthlyImpact.amount).toBeGreaterThan(11_679_000);
    expect(f?.monthlyImpact.amount).toBeLessThan(11_800_000);
    expect(f?.recommendation.action).toEqual({ kind: "switch-architecture", to: "arm64" });
    const off = parseThresholds({ arm64: { enabled: false } });
    expect(
      advise(input(bigger), { now: NOW, thresholds: off }).filter((x) => x.ruleId === "arm64-move"),
    ).toEqual([]);
  });
  it("stays quiet by default below $50/month (a busy healthy function is not a flag)", () => {
    const bigger: Over = { ...busy, config: { memory: mb(4096) } };
    expect(advise(input(bigger), { now: NOW }).filter((x) => x.ruleId === "arm64-move")).toEqual([]);
    const huge: Over = {
      ...busy,
      config: { memory: mb(10240) },
      observed: { ...busy.observed, invocations: 2 * INV },
    };
    expect(advise(input(huge), { now: NOW }).filter((x) => x.ruleId === "arm64-move")).toHaveLength(1);
  });
  it("skips runtimes without arm64 and container images", () => {
    const bigger: Over = { ...busy, config: { memory: mb(4096), runtime: "go1.x" } };
    expect(rule(run(bigger), "arm64-move")).toEqual([]);
    expect(
      rule(run({ ...busy, config: { memory: mb(4096), packageType: "Image", runtime: null } }), "arm64-move"),
    ).toEqual([]);
  });
});

describe("data-coverage", () => {
  it("says when REPORT lines don't match Invocations or tracing is off", () => {
    expect(severities({ observed: { reportCount: Math.round(INV * 0.91) } }, "data-coverage")).toEqual([]);
    const [f] = rule(run({ observed: { reportCount: Math.round(INV * 0.8) } }), "data-coverage");
    expect(f?.title).toMatch(/REPORT lines cover 80%/);
    expect(severities({ config: { tracing: "PassThrough" } }, "data-coverage")).toEqual(["info"]);
  });
  it("does not count an unqueried log group (null) as missing data", () => {
    expect(severities({ observed: { reportCount: null } }, "data-coverage")).toEqual([]);
  });
  it("names the rules it could not judge when log-derived counts are missing, never reading them as zero", () => {
    const flags = run({
      observed: {
        reportCount: null,
        timeouts: null,
        outOfMemory: null,
        memoryUsed: { max: null, p99: null },
        coldStarts: { count: null, avgInitMs: null, p99InitMs: null },
        perDay: days(20 * 60 * 24, {}).map((d) => ({ ...d, timeouts: null })),
      },
    });
    expect(rule(flags, "data-coverage")[0]?.title).toMatch(/could not judge: no REPORT lines/);
    for (const id of ["cold-starts", "timeouts", "memory-near-limit", "memory-over-provisioned"] as const)
      expect(rule(flags, id)).toEqual([]);
  });
});

describe("pricing context", () => {
  it("reports no money, instead of failing, for a region without a price table", () => {
    const flags = run({
      config: { region: "af-south-1", memory: mb(3008) },
      observed: { memoryUsed: { max: mb(300), p99: mb(300) } },
    });
    const [f] = rule(flags, "memory-over-provisioned");
    expect(f?.monthlyImpact.kind).toBe("none");
  });
});
