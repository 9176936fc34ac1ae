import { describe, expect, it } from "vitest";
import { isFleetscopeError } from "@/lib/core/errors";
import {
  INIT_BILLING_START,
  MONTH_MS,
  breakEvenUtilisation,
  compareProvisionedToOnDemand,
  isInitBilled,
  monthlyCost,
  pricedRegions,
  projectMonthly,
  ratesFor,
  rightSizeProvisioned,
  tieredDurationUsd,
  toCents,
} from "@/lib/core/pricing";
import { epochMs, mb, ms, ratio } from "@/lib/core/units";

const DAY = 86_400_000;

describe("monthlyCost reproduces AWS's published examples to the cent", () => {
  // https://aws.amazon.com/lambda/pricing/ "Example 1: Mobile application backend" (current page, us-east-1):
  // 3M requests/month, 120 ms average, 1536 MB, Arm. Compute 540,000 GB-s × $0.0000133334 = $7.20,
  // requests 3M × $0.20/M = $0.60, total $7.80 (no free tier applied in the example).
  it("mobile application backend (arm64, 1536 MB, 3M × 120 ms) = $7.80", () => {
    const c = monthlyCost({
      region: "us-east-1",
      architecture: "arm64",
      memory: mb(1536),
      invocations: 3_000_000,
      avgBilledDurationMs: ms(120),
    });
    expect(c.onDemandGbSeconds).toBe(540_000);
    expect(toCents(c.duration)).toBe(720);
    expect(toCents(c.requests)).toBe(60);
    expect(toCents(c.total)).toBe(780);
  });

  // The page's free-tier examples (1 ms billing era, price $0.0000166667 per GB-s, us-east-1):
  // 512 MB, 3M executions of 1 s: 1,500,000 GB-s − 400,000 free = 1,100,000 × $0.0000166667 = $18.33;
  // requests (3M − 1M free) × $0.20/M = $0.40; total $18.73.
  it("512 MB × 3M × 1 s with the free tier = $18.73", () => {
    const c = monthlyCost({
      region: "us-east-1",
      architecture: "x86_64",
      memory: mb(512),
      invocations: 3_000_000,
      avgBilledDurationMs: ms(1000),
      freeTier: true,
    });
    expect(toCents(c.duration)).toBe(1833);
    expect(toCents(c.requests)).toBe(40);
    expect(toCents(c.total)).toBe(1873);
  });

  // 128 MB, 30M executions of 200 ms: 750,000 GB-s − 400,000 = 350,000 × $0.0000166667 = $5.83;
  // requests 29M × $0.20/M = $5.80; total $11.63.
  it("128 MB × 30M × 200 ms with the free tier = $11.63", () => {
    const c = monthlyCost({
      region: "us-east-1",
      architecture: "x86_64",
      memory: mb(128),
      invocations: 30_000_000,
      avgBilledDurationMs: ms(200),
      freeTier: true,
    });
    expect(toCents(c.duration)).toBe(583);
    expect(toCents(c.requests)).toBe(580);
    expect(toCents(c.total)).toBe(1163);
  });

  // Provisioned Concurrency "Example 1": 1024 MB, concurrency 1,000 for 2 hours, 1.2M executions of 1 s on it.
  // PC 7,200,000 GB-s × $0.0000041667 = $30.00; duration 1,200,000 GB-s × $0.0000097222 = $11.67;
  // requests 1.2M × $0.20/M = $0.24; total $41.91.
  it("provisioned concurrency 1,000 × 2 h, 1.2M × 1 s at 1024 MB = $41.91", () => {
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
    expect(toCents(c.provisionedConcurrency)).toBe(3000);
    expect(toCents(c.provisionedDuration)).toBe(1167);
    expect(toCents(c.requests)).toBe(24);
    expect(toCents(c.total)).toBe(4191);
  });
});

describe("monthlyCost details", () => {
  const base = {
    region: "us-east-1",
    architecture: "x86_64" as const,
    memory: mb(1024),
    invocations: 1_000_000,
    avgBilledDurationMs: ms(1000),
  };

  it("keeps the free tier off by default", () => {
    expect(toCents(monthlyCost(base).requests)).toBe(20);
    expect(monthlyCost({ ...base, freeTier: true }).requests).toBe(0);
  });

  it("adds up its parts exactly", () => {
    const c = monthlyCost({
      ...base,
      ephemeralStorage: mb(2048),
      init: { coldStarts: 100, avgInitDurationMs: ms(250.2), billed: true },
    });
    expect(c.total).toBe(
      c.requests +
        c.duration +
        c.init +
        c.ephemeralStorage +
        c.provisionedConcurrency +
        c.provisionedDuration,
    );
  });

  it("bills ephemeral storage above 512 MB only: 10,240 MB × 1M s = 9.5 GB × 1M s × $0.0000000309", () => {
    expect(monthlyCost({ ...base, ephemeralStorage: mb(512) }).ephemeralStorage).toBe(0);
    const c = monthlyCost({ ...base, ephemeralStorage: mb(10_240) });
    expect(c.ephemeralStorage).toBe(293_550); // $0.29355
  });

  it("bills INIT only when told it is billed, rounding each init up to the ms", () => {
    const init = { coldStarts: 1000, avgInitDurationMs: ms(999.2) };
    expect(monthlyCost({ ...base, init: { ...init, billed: false } }).init).toBe(0);
    const billed = monthlyCost({ ...base, init: { ...init, billed: true } });
    // 1000 × 1.000 s × 1 GB × $0.0000166667
    expect(billed.init).toBe(16_667);
  });

  it("walks the duration tiers from the account's prior usage (x86: −10% past 6B GB-s, −20% past 15B)", () => {
    const { rates } = ratesFor("us-east-1");
    const x86 = rates.architectures.x86_64.duration;
    expect(tieredDurationUsd(x86, 200_000_000, 5_900_000_000)).toBeCloseTo(
      100_000_000 * 0.0000166667 + 100_000_000 * 0.000015,
      6,
    );
    expect(tieredDurationUsd(x86, 1_000_000, 20_000_000_000)).toBeCloseTo(1_000_000 * 0.0000133334, 6);
    const arm = rates.architectures.arm64.duration;
    expect(tieredDurationUsd(arm, 1_000_000, 7_500_000_000)).toBeCloseTo(1_000_000 * 0.0000120001, 6);
    expect(tieredDurationUsd(arm, 1_000_000, 18_750_000_000)).toBeCloseTo(1_000_000 * 0.0000106667, 6);
  });

  it("rejects negative or non-finite usage", () => {
    expect(() => monthlyCost({ ...base, invocations: -1 })).toThrow(/non-negative/);
    expect(() => monthlyCost({ ...base, avgBilledDurationMs: ms(Number.NaN) })).toThrow();
  });
});

describe("regions", () => {
  it("prices the required regions at the same list rates", () => {
    for (const region of [
      "us-east-1",
      "us-east-2",
      "us-west-2",
      "eu-west-1",
      "eu-central-1",
      "ap-southeast-1",
      "ap-northeast-1",
    ]) {
      expect(pricedRegions()).toContain(region);
      expect(ratesFor(region).rates.architectures.x86_64.duration[0]?.usdPerGbSecond).toBe(0.0000166667);
    }
  });

  it("refuses an unknown region by default and estimates it from us-east-1 on request", () => {
    let caught: unknown;
    try {
      ratesFor("af-south-1");
    } catch (e) {
      caught = e;
    }
    expect(isFleetscopeError(caught) && caught.code).toBe("InvalidInput");
    const c = monthlyCost({
      region: "af-south-1",
      architecture: "x86_64",
      memory: mb(128),
      invocations: 10,
      avgBilledDurationMs: ms(1),
      unknownRegion: "estimate",
    });
    expect(c.estimatedRegion).toBe(true);
  });
});

describe("isInitBilled", () => {
  const zip = { packageType: "Zip" as const, runtime: "nodejs22.x" };
  it("starts billing managed ZIP runtimes on 2025-08-01", () => {
    expect(isInitBilled(zip, epochMs(INIT_BILLING_START - 1))).toBe(false);
    expect(isInitBilled(zip, INIT_BILLING_START)).toBe(true);
  });
  it("always billed custom runtimes and container images", () => {
    const before = epochMs(Date.UTC(2024, 0, 1));
    expect(isInitBilled({ packageType: "Zip", runtime: "provided.al2023" }, before)).toBe(true);
    expect(isInitBilled({ packageType: "Image", runtime: null }, before)).toBe(true);
  });
});

describe("projectMonthly", () => {
  it("scales counts from the window to a 730-hour month", () => {
    const w = { start: epochMs(0), end: epochMs(DAY) };
    expect(projectMonthly({ invocations: 240 }, w).invocations).toBeCloseTo(240 * (730 / 24), 9);
    expect(projectMonthly({ n: 5 }, { start: epochMs(0), end: epochMs(MONTH_MS) }).n).toBe(5);
  });
  it("refuses an empty window", () => {
    expect(() => projectMonthly({ n: 1 }, { start: epochMs(5), end: epochMs(5) })).toThrow(/empty window/);
  });
});

describe("provisioned concurrency economics", () => {
  it("breaks even near 60% utilisation on both architectures", () => {
    expect(breakEvenUtilisation({ region: "us-east-1", architecture: "x86_64" })).toBeCloseTo(0.6, 3);
    expect(breakEvenUtilisation({ region: "us-east-1", architecture: "arm64" })).toBeCloseTo(0.6, 3);
  });

  it("is dearer than on-demand below break-even and cheaper above", () => {
    const at = (u: number) =>
      compareProvisionedToOnDemand({
        region: "us-east-1",
        architecture: "x86_64",
        memory: mb(1024),
        concurrency: 10,
        utilisation: ratio(u),
      });
    expect(at(0.3).provisioned).toBeGreaterThan(at(0.3).onDemand);
    expect(at(0.9).provisioned).toBeLessThan(at(0.9).onDemand);
    expect(Math.abs(at(0.6).provisioned - at(0.6).onDemand) / at(0.6).onDemand).toBeLessThan(0.001);
  });

  it("right-sizes to serve the peak at the target utilisation, never below 1", () => {
    expect(rightSizeProvisioned(5, ratio(0.8))).toBe(7);
    expect(rightSizeProvisioned(8, ratio(0.8))).toBe(10);
    expect(rightSizeProvisioned(0, ratio(0.8))).toBe(1);
  });
});
