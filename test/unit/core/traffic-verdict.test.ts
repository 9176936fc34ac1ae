import { describe, expect, it } from "vitest";
import { DEFAULT_GUARDS } from "@/lib/core/traffic/guards";
import { planInputSchema, promoteInputSchema } from "@/lib/core/traffic/inputs";
import { aliasVerdict, DEFAULT_VERDICT_THRESHOLDS as T, formatRate } from "@/lib/core/traffic/verdict";
import { ms, ratio } from "@/lib/core/units";

const v = (version: string, invocations: number, errors: number, p99: number | null = null) => ({
  version,
  invocations,
  errors,
  p99: p99 === null ? null : ms(p99),
});

describe("aliasVerdict (95 % Wilson intervals, plan-guard thresholds)", () => {
  it("uses a plan's default guards", () => {
    expect(T).toEqual({ maxErrorRateIncrease: 0.02, maxP99Ratio: 1.5, minInvocations: 50 });
    const plan = planInputSchema.parse({
      region: "us-east-1",
      functionName: "f",
      alias: "live",
      newVersion: "2",
      kind: "canary",
      stepPercent: 10,
      stepSeconds: 60,
    });
    expect(plan.maxErrorRateIncreasePercent).toBe(DEFAULT_GUARDS.maxErrorRateIncreasePercent);
    expect(plan.minInvocations).toBe(T.minInvocations);
  });

  it("calls payments-api's canary failing: v8 75/540 against v7 4/1260", () => {
    const r = aliasVerdict(v("7", 1260, 4), v("8", 540, 75), T);
    expect(r.health).toBe("failing");
    expect(r.canary.rate).toBeCloseTo(0.138889, 6);
    expect(r.canary.low).toBeCloseTo(0.112263, 6);
    expect(r.canary.high).toBeCloseTo(0.170617, 6);
    expect(r.stable.high).toBeCloseTo(0.008134, 6);
    expect(r.summary).toBe(
      "v8 13.9 % errors (95 % CI 11.2 %–17.1 %) vs v7 0.32 % (95 % CI 0.12 %–0.81 %): failing",
    );
    expect(r.because).toBe(
      "v8's lower bound 11.2 % > v7's upper bound 0.81 % + 2.0 % allowed (75/540 vs 4/1260 invocations)",
    );
  });

  it("fails even a small canary when the evidence is beyond doubt (5 of 10 failed)", () => {
    const r = aliasVerdict(v("7", 1000, 3), v("8", 10, 5), T);
    expect(r.health).toBe("failing");
    expect(r.canary.low).toBeCloseTo(0.236593, 6);
  });

  it("is healthy only when the canary's upper bound is within the stable rate + allowance", () => {
    const r = aliasVerdict(v("7", 1000, 3), v("8", 1000, 2), T);
    expect(r.health).toBe("healthy");
    expect(r.canary.high).toBeCloseTo(0.007263, 6);
    expect(r.because).toBe(
      "v8's upper bound 0.73 % ≤ v7's 0.30 % + 2.0 % allowed (2/1000 vs 3/1000 invocations)",
    );
  });

  it("says 'not enough traffic' below minInvocations, with the counts, even at 0 errors", () => {
    const r = aliasVerdict(v("7", 1000, 3), v("8", 20, 0), T);
    expect(r.health).toBe("insufficient");
    expect(r.because).toBe("20 of 50 canary invocations needed (0/20 vs 3/1000 invocations)");
    expect(r.summary).toContain("not enough traffic to judge");
  });

  it("says 'not enough traffic' when the interval is still too wide to clear the allowance (0/60: up to 6 %)", () => {
    const r = aliasVerdict(v("7", 1000, 3), v("8", 60, 0), T);
    expect(r.health).toBe("insufficient");
    expect(r.canary.high).toBeCloseTo(0.060172, 6);
  });

  it("is degraded when the observed rate breaches the allowance but the interval does not prove it", () => {
    const r = aliasVerdict(v("7", 1000, 3), v("8", 200, 9), T);
    expect(r.health).toBe("degraded");
    expect(r.canary.low).toBeCloseTo(0.023853, 6); // < 0.88 % + 2 %: not failing
  });

  it("is degraded (never failing) on a p99 breach alone, and ignores p99 when disabled", () => {
    expect(aliasVerdict(v("7", 1000, 3, 400), v("8", 1000, 2, 700), T).health).toBe("degraded");
    expect(aliasVerdict(v("7", 1000, 3, 400), v("8", 1000, 2, 590), T).health).toBe("healthy");
    expect(aliasVerdict(v("7", 1000, 3, 400), v("8", 1000, 2, 700), { ...T, maxP99Ratio: null }).health).toBe(
      "healthy",
    );
  });

  it("follows the plan's own allowance", () => {
    const loose = { ...T, maxErrorRateIncrease: ratio(0.2) };
    expect(aliasVerdict(v("7", 1260, 4), v("8", 540, 75), loose).health).toBe("healthy");
  });

  it("handles no invocations at all and clamps nonsense counts", () => {
    expect(aliasVerdict(v("7", 0, 0), v("8", 0, 0), T).health).toBe("insufficient");
    const r = aliasVerdict(v("7", 100, 0), v("8", 10, 50), T);
    expect(r.canary.errors).toBe(10);
    expect(r.health).toBe("failing");
  });

  it("formats small rates with two decimals", () => {
    expect(formatRate(0.0004)).toBe("0.04 %");
    expect(formatRate(0)).toBe("0.0 %");
    expect(formatRate(0.139)).toBe("13.9 %");
  });
});

describe("promote input: an override needs a reason", () => {
  const base = { region: "us-east-1", functionName: "payments-api", alias: "live", revisionId: "r1" };
  it("defaults to no override and accepts an override with a reason", () => {
    expect(promoteInputSchema.parse(base)).toMatchObject({ override: false, reason: "" });
    expect(promoteInputSchema.parse({ ...base, override: true, reason: " hotfix INC-42 " })).toMatchObject({
      override: true,
      reason: "hotfix INC-42",
    });
  });
  it("refuses an override without a real reason, and a non-boolean override", () => {
    for (const bad of [
      { ...base, override: true },
      { ...base, override: true, reason: "  x " },
      { ...base, override: "yes", reason: "because" },
    ]) {
      const r = promoteInputSchema.safeParse(bad);
      expect(r.success).toBe(false);
    }
    const r = promoteInputSchema.safeParse({ ...base, override: true, reason: "" });
    expect(r.success ? null : r.error.issues[0]?.path).toEqual(["reason"]);
  });
});
