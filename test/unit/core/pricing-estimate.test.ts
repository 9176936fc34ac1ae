/**
 * What users pay, part by part: provisioned concurrency, SnapStart, arm64 against x86, and estimates that say
 * what they could not price (issue 11, "Costs leave out what users pay").
 */
import { describe, expect, it } from "vitest";
import {
  estimateCost,
  isSnapStartCharged,
  monthlyCost,
  provisionedConfigs,
  ratesFor,
  sumEstimates,
  toCents,
  type CostEvidence,
} from "@/lib/core/pricing";
import { epochMs, mb, ms } from "@/lib/core/units";
import { costText } from "@/components/fleet/cost-text";

const HOUR = 3_600_000;
const NOW = epochMs(Date.UTC(2026, 10, 23, 12));

describe("list rates (https://aws.amazon.com/lambda/pricing/, us-east-1)", () => {
  const { rates } = ratesFor("us-east-1");
  const x86 = rates.architectures.x86_64;
  const arm = rates.architectures.arm64;

  it("prints the page's per-GB-s rates for both architectures", () => {
    expect(x86.duration[0]?.usdPerGbSecond).toBe(0.0000166667);
    expect(arm.duration[0]?.usdPerGbSecond).toBe(0.0000133334);
    expect([x86.provisionedPerGbSecond, x86.provisionedDurationPerGbSecond]).toEqual([
      0.0000041667, 0.0000097222,
    ]);
    expect([arm.provisionedPerGbSecond, arm.provisionedDurationPerGbSecond]).toEqual([
      0.0000033334, 0.0000077778,
    ]);
    expect([rates.snapStartCachePerGbSecond, rates.snapStartRestorePerGb]).toEqual([
      0.0000015046, 0.0001397998,
    ]);
  });

  it("arm64 costs 20% less than x86 at every duration and provisioned rate", () => {
    const pairs = [
      ...x86.duration.map((t, i) => [t.usdPerGbSecond, arm.duration[i]?.usdPerGbSecond ?? 0]),
      [x86.provisionedPerGbSecond, arm.provisionedPerGbSecond],
      [x86.provisionedDurationPerGbSecond, arm.provisionedDurationPerGbSecond],
    ];
    for (const [a, b] of pairs) expect((b ?? 0) / (a ?? 1)).toBeCloseTo(0.8, 4);
  });
});

describe("published examples, to the cent", () => {
  // "Example 1: Mobile application backend" on arm64 (also in pricing.test.ts); the same usage on x86:
  // 540,000 GB-s × $0.0000166667 = $9.00 + $0.60 requests = $9.60, against $7.80 on arm64.
  it("the mobile backend (1536 MB, 3M × 120 ms) costs $7.80 on arm64 and $9.60 on x86", () => {
    const usage = {
      region: "us-east-1",
      memory: mb(1536),
      invocations: 3_000_000,
      avgBilledDurationMs: ms(120),
    };
    expect(toCents(monthlyCost({ ...usage, architecture: "arm64" }).total)).toBe(780);
    expect(toCents(monthlyCost({ ...usage, architecture: "x86_64" }).total)).toBe(960);
  });

  // Provisioned Concurrency "Example 1": 1,000 at 1024 MB for 2 hours serving 1.2M × 1 s: PC $30.00,
  // duration $11.67, requests $0.24, total $41.91. Through the estimate: the same month-rate arithmetic.
  it("provisioned concurrency 1,000 × 2 h at 1024 MB, 1.2M × 1 s on it = $41.91", () => {
    const c = monthlyCost({
      region: "us-east-1",
      architecture: "x86_64",
      memory: mb(1024),
      invocations: 0,
      avgBilledDurationMs: ms(0),
      provisioned: {
        concurrency: 1000,
        seconds: 7200,
        invocations: 1_200_000,
        avgBilledDurationMs: ms(1000),
      },
    });
    expect([c.provisionedConcurrency, c.provisionedDuration, c.requests].map(toCents)).toEqual([
      3000, 1167, 24,
    ]);
    expect(toCents(c.total)).toBe(4191);
  });

  it("bills provisioned concurrency in 5-minute steps: 301 s is billed as 600 s", () => {
    const pc = (seconds: number) =>
      monthlyCost({
        region: "us-east-1",
        architecture: "x86_64",
        memory: mb(1024),
        invocations: 0,
        avgBilledDurationMs: ms(0),
        provisioned: { concurrency: 100, seconds, invocations: 0, avgBilledDurationMs: ms(0) },
      }).provisionedConcurrency;
    // 100 × 1 GB × 600 s × $0.0000041667 = $0.250002
    expect(pc(301)).toBe(250_002);
    expect(pc(600)).toBe(250_002);
  });

  // SnapStart at the page's rates (Python, 1024 MB): one version cached all month, 730 h × 3600 s × 1 GB ×
  // $0.0000015046 = $3.95; 10,000 restores × 1 GB × $0.0001397998 = $1.40; their Billed Restore Duration
  // (300 ms each) 3,000 GB-s × $0.0000166667 = $0.05. Java pays only the restore duration.
  it("SnapStart: cache and restores for Python and .NET, the billed restore duration for every runtime", () => {
    const snap = (runtime: string) =>
      monthlyCost({
        region: "us-east-1",
        architecture: "x86_64",
        memory: mb(1024),
        invocations: 0,
        avgBilledDurationMs: ms(0),
        snapStart: {
          cachedVersions: 1,
          restores: 10_000,
          avgBilledRestoreMs: ms(300),
          charged: isSnapStartCharged(runtime),
        },
      });
    const py = snap("python3.13");
    expect([py.snapStartCache, py.snapStartRestore, py.init].map(toCents)).toEqual([395, 140, 5]);
    expect(isSnapStartCharged("dotnet8")).toBe(true);
    const java = snap("java21");
    expect([java.snapStartCache, java.snapStartRestore, java.init].map(toCents)).toEqual([0, 0, 5]);
  });

  it("caches a SnapStart snapshot for at least 3 hours: 1 hour active bills 3 (10,800 GB-s ≈ $0.016)", () => {
    const c = monthlyCost({
      region: "us-east-1",
      architecture: "arm64",
      memory: mb(1024),
      invocations: 0,
      avgBilledDurationMs: ms(0),
      snapStart: {
        cachedVersions: 1,
        cacheSeconds: 3600,
        restores: 0,
        avgBilledRestoreMs: ms(0),
        charged: true,
      },
    });
    expect(c.snapStartCache).toBe(16_250); // 10,800 × $0.0000015046 = $0.01624968
  });
});

/** checkout-api of the sandbox: 50 provisioned on `live`, 1024 MB, ~170 invocations a minute of ~1.25 s. */
const checkout = (over: Partial<CostEvidence> = {}): CostEvidence => ({
  config: {
    region: "us-east-1",
    architecture: "x86_64",
    memory: mb(1024),
    ephemeralStorage: mb(512),
    runtime: "nodejs22.x",
    packageType: "Zip",
    snapStart: false,
  },
  now: NOW,
  invocations: 10_000,
  metricsMs: HOUR,
  avgBilled: ms(1250),
  coldStarts: { count: 0, avgInit: null, spanMs: HOUR },
  provisioned: [{ qualifier: "live", concurrency: 50 }],
  spillover: 0,
  ...over,
});

describe("estimateCost", () => {
  const month = 730; // hours: a 1-hour window projects ×730

  it("adds provisioned concurrency as configured and prices what it served at its lower rate", () => {
    const e = estimateCost(checkout());
    // 50 × 1 GB × 2,628,000 s × $0.0000041667 = $547.50 a month, whatever the traffic.
    expect(toCents(e.parts.provisionedConcurrency)).toBe(54750);
    expect(e.provisioned).toEqual([
      { qualifier: "live", concurrency: 50, monthly: e.parts.provisionedConcurrency },
    ]);
    // 7.3M invocations × 1.25 s × 1 GB × $0.0000097222 = $88.72; none on demand.
    expect(toCents(e.parts.provisionedDuration)).toBe(8872);
    expect(e.parts.duration).toBe(0);
    expect(toCents(e.parts.requests)).toBe(146);
    expect(toCents(e.total)).toBe(54750 + 8872 + 146);
    expect(e.lowerBound).toBe(false);
    // Leaving provisioned concurrency out (the old estimate) read $153.54 for the same traffic.
    const onDemand = estimateCost(checkout({ provisioned: [] }));
    expect(toCents(onDemand.total)).toBe(15208 + 146);
  });

  it("prices spillover on demand and the rest at the provisioned rate", () => {
    // 4 environments could run 11,520 invocations of 1.25 s in the hour: the 8,000 not spilled fit.
    const e = estimateCost(
      checkout({
        invocations: 10_000,
        spillover: 2_000,
        provisioned: [{ qualifier: "live", concurrency: 4 }],
      }),
    );
    const gbS = (n: number) => n * month * 1.25; // 1 GB
    expect(e.parts.provisionedDuration).toBe(Math.round(gbS(8_000) * 0.0000097222 * 1e6));
    expect(e.parts.duration).toBe(Math.round(gbS(2_000) * 0.0000166667 * 1e6));
    expect(e.notes.join()).toMatch(/minus spillover/);
  });

  it("without the spillover metric, caps what provisioned environments could serve, and says it estimated", () => {
    // 2 environments × 3,600 s / 1.25 s = 5,760 invocations at most; the other 4,240 ran on demand.
    const e = estimateCost(
      checkout({ spillover: null, provisioned: [{ qualifier: "live", concurrency: 2 }] }),
    );
    expect(e.parts.provisionedDuration).toBe(Math.round(5_760 * month * 1.25 * 0.0000097222 * 1e6));
    expect(e.parts.duration).toBe(Math.round(4_240 * month * 1.25 * 0.0000166667 * 1e6));
    expect(e.notes.join()).toMatch(/split estimated/);
  });

  it("says INIT is missing when the logs failed, and shows a lower bound instead of a silent undercount", () => {
    const known = estimateCost(
      checkout({ provisioned: [], coldStarts: { count: 1_000, avgInit: ms(1_200), spanMs: HOUR } }),
    );
    const unknown = estimateCost(checkout({ provisioned: [], coldStarts: { unknown: "logs unavailable" } }));
    expect(known.parts.init).toBeGreaterThan(0);
    expect(known.lowerBound).toBe(false);
    expect(unknown.missing).toEqual(["init: logs unavailable"]);
    expect(unknown.lowerBound).toBe(true);
    expect(unknown.total).toBe(known.total - known.parts.init);
    expect(costText(unknown.total, unknown.lowerBound)).toMatch(/^≥ \$/);
    expect(costText(known.total, known.lowerBound)).toMatch(/^\$/);
  });

  it("misses nothing for INIT that was not billed yet (managed ZIP runtimes before 2025-08-01)", () => {
    const e = estimateCost(
      checkout({ now: epochMs(Date.UTC(2025, 0, 1)), coldStarts: { unknown: "logs unavailable" } }),
    );
    expect(e.lowerBound).toBe(false);
  });

  it("says provisioned concurrency is missing when it was not read", () => {
    const e = estimateCost(checkout({ provisioned: { unknown: "not read yet" } }));
    expect(e.missing).toEqual(["provisioned concurrency: not read yet"]);
    expect(e.parts.provisionedConcurrency).toBe(0);
  });

  it("SnapStart (Python): caches each aliased version; restores are not collected, so a lower bound", () => {
    const e = estimateCost(
      checkout({
        provisioned: [],
        config: { ...checkout().config, runtime: "python3.13", snapStart: true },
        snapStartVersions: 2,
      }),
    );
    expect(toCents(e.parts.snapStartCache)).toBe(791); // 2 × 2,628,000 GB-s × $0.0000015046
    expect(e.missing).toEqual(["SnapStart restores: not collected"]);
  });

  // An hour with 100 restores of 400 ms billed on average, projected ×730: 73,000 restores × 1 GB ×
  // $0.0001397998 = $10.21; their Billed Restore Duration 73,000 × 0.4 s × 1 GB = 29,200 GB-s × $0.0000166667 =
  // $0.49 (in `init`, which a restore replaces); 2 versions cached all month $7.91.
  it("SnapStart (Python) with collected restores: priced whole, not a lower bound", () => {
    const e = estimateCost(
      checkout({
        provisioned: [],
        config: { ...checkout().config, runtime: "python3.13", snapStart: true },
        snapStartVersions: 2,
        restores: { count: 100, billedSumMs: 40_000, spanMs: HOUR },
      }),
    );
    expect(toCents(e.parts.snapStartRestore)).toBe(1021);
    expect(e.parts.snapStartRestore).toBe(Math.round(73_000 * 0.0001397998 * 1e6));
    expect(e.parts.init).toBe(Math.round(29_200 * 0.0000166667 * 1e6));
    expect(toCents(e.parts.snapStartCache)).toBe(791);
    expect([e.missing, e.lowerBound]).toEqual([[], false]);
  });

  it("SnapStart (Java): only the billed restore duration; restores over another span are projected from it", () => {
    // 50 restores over 30 minutes: ×1,460 = 73,000 a month, 350 ms billed each → 25,550 GB-s.
    const e = estimateCost(
      checkout({
        provisioned: [],
        config: { ...checkout().config, runtime: "java21", snapStart: true },
        restores: { count: 50, billedSumMs: 17_500, spanMs: HOUR / 2 },
      }),
    );
    expect([e.parts.snapStartCache, e.parts.snapStartRestore]).toEqual([0, 0]);
    expect(e.parts.init).toBe(Math.round(25_550 * 0.0000166667 * 1e6));
    expect(e.lowerBound).toBe(false);
  });

  it("SnapStart restores unknown for the window: named, and the total is a lower bound", () => {
    const e = estimateCost(
      checkout({
        provisioned: [],
        config: { ...checkout().config, runtime: "python3.13", snapStart: true },
        restores: { unknown: "logs unavailable" },
      }),
    );
    expect(e.missing).toEqual(["SnapStart restores: logs unavailable"]);
    expect([e.parts.snapStartRestore, e.lowerBound]).toEqual([0, true]);
    // A function without SnapStart needs no restore data.
    expect(estimateCost(checkout({ provisioned: [] })).missing).toEqual([]);
  });

  it("bills a FAILED provisioned config for what it allocated only", () => {
    expect(
      provisionedConfigs([
        { qualifier: "live", requested: 5, allocated: 5, available: 5, status: "READY" },
        { qualifier: "7", requested: 9, allocated: 0, available: 0, status: "FAILED" },
      ]),
    ).toEqual([
      { qualifier: "live", concurrency: 5 },
      { qualifier: "7", concurrency: 0 },
    ]);
  });
});

describe("sumEstimates", () => {
  it("is a lower bound as soon as one function lacks a part or has no price, and counts them", () => {
    const whole = estimateCost(checkout());
    const partial = estimateCost(checkout({ coldStarts: { unknown: "logs unavailable" } }));
    expect(sumEstimates([whole, whole]).lowerBound).toBe(false);
    const s = sumEstimates([whole, partial, partial, null]);
    expect(s.total).toBe(whole.total + 2 * partial.total);
    expect(s).toMatchObject({
      lowerBound: true,
      unpriced: 1,
      missing: [{ part: "init: logs unavailable", functions: 2 }],
    });
    expect(sumEstimates([whole], (m) => m / 2).total).toBe(Math.round(whole.total / 2));
  });
});
