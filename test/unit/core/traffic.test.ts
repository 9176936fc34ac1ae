import { describe, expect, it } from "vitest";
import { evaluateGuards, type GuardConfig } from "@/lib/core/traffic/guards";
import { planInputSchema, shiftInputSchema } from "@/lib/core/traffic/inputs";
import { observedSplit, wilsonInterval } from "@/lib/core/traffic/observed-split";
import { decide, initialPlanState, planWeights, type PlanSpec } from "@/lib/core/traffic/plan";
import {
  describeRouting,
  percentToWeight,
  promoteTarget,
  rollbackTarget,
  validateRouting,
  weightToPercent,
} from "@/lib/core/traffic/routing";
import { epochMs, ms, ratio, seconds } from "@/lib/core/units";
import { parseAccountId } from "@/lib/core/accounts";

const ctx = { publishedVersions: ["$LATEST", "1", "2", "3"], aliasHasProvisionedConcurrency: false };
const fields = (ps: { field: string }[]) => ps.map((p) => p.field);

describe("validateRouting", () => {
  it("accepts two published versions with a weight in range", () => {
    expect(
      validateRouting({ primaryVersion: "2", routing: { additionalVersion: "3", weight: ratio(0.3) } }, ctx),
    ).toEqual([]);
    expect(validateRouting({ primaryVersion: "3", routing: null }, ctx)).toEqual([]);
  });

  it("refuses $LATEST, unknown versions, the same version twice", () => {
    expect(
      fields(
        validateRouting(
          { primaryVersion: "$LATEST", routing: { additionalVersion: "2", weight: ratio(0.1) } },
          ctx,
        ),
      ),
    ).toEqual(["primaryVersion"]);
    expect(
      fields(
        validateRouting(
          { primaryVersion: "2", routing: { additionalVersion: "$LATEST", weight: ratio(0.1) } },
          ctx,
        ),
      ),
    ).toEqual(["additionalVersion"]);
    expect(
      fields(
        validateRouting(
          { primaryVersion: "2", routing: { additionalVersion: "9", weight: ratio(0.1) } },
          ctx,
        ),
      ),
    ).toEqual(["additionalVersion"]);
    expect(
      fields(
        validateRouting(
          { primaryVersion: "2", routing: { additionalVersion: "2", weight: ratio(0.1) } },
          ctx,
        ),
      ),
    ).toEqual(["additionalVersion"]);
    expect(fields(validateRouting({ primaryVersion: "7", routing: null }, ctx))).toEqual(["primaryVersion"]);
  });

  it("refuses weights out of range, NaN, or finer than 0.01 %", () => {
    for (const weight of [-0.01, 1.01, Number.NaN, 0.123456]) {
      expect(
        fields(
          validateRouting(
            { primaryVersion: "1", routing: { additionalVersion: "2", weight: ratio(weight) } },
            ctx,
          ),
        ),
      ).toEqual(["weight"]);
    }
  });

  it("refuses weights on an alias with provisioned concurrency", () => {
    const problems = validateRouting(
      { primaryVersion: "1", routing: { additionalVersion: "2", weight: ratio(0.1) } },
      { ...ctx, aliasHasProvisionedConcurrency: true },
    );
    expect(problems[0]?.message).toMatch(/provisioned concurrency/);
  });

  it("converts percentages to weights at the precision it sends", () => {
    expect(percentToWeight(30)).toBe(0.3);
    expect(percentToWeight(12.345)).toBe(0.1235);
    expect(percentToWeight(0.1 + 0.2)).toBe(0.003);
    expect(weightToPercent(ratio(0.1235))).toBe(12.35);
    expect(Number.isNaN(percentToWeight(Number.NaN))).toBe(true);
  });

  it("describes, promotes and rolls back", () => {
    const current = { primaryVersion: "7", routing: { additionalVersion: "8", weight: ratio(0.3) } };
    expect(describeRouting(current)).toBe("v7 70% / v8 30%");
    expect(promoteTarget(current)).toEqual({ primaryVersion: "8", routing: null });
    expect(rollbackTarget(current)).toEqual({ primaryVersion: "7", routing: null });
    expect(promoteTarget({ primaryVersion: "7", routing: null })).toBeNull();
  });
});

describe("observedSplit", () => {
  it("has no share and no confidence without invocations", () => {
    const s = observedSplit(0, 0, ratio(0.3));
    expect(s.share).toBeNull();
    expect(s.confidence).toBe("none");
    expect(s.consistent).toBe(true);
  });

  it("is unsure at low traffic and sure at high traffic", () => {
    const low = observedSplit(7, 3, ratio(0.3));
    expect(low.share).toBeCloseTo(0.3);
    expect(low.confidence).toBe("low");
    const high = observedSplit(7000, 3000, ratio(0.3));
    expect(high.confidence).toBe("high");
    expect(high.consistent).toBe(true);
    expect(high.low).toBeLessThan(0.3);
    expect(high.high).toBeGreaterThan(0.3);
  });

  it("flags a configured weight the observations contradict", () => {
    expect(observedSplit(9000, 1000, ratio(0.3)).consistent).toBe(false);
  });

  it("keeps the Wilson interval inside [0, 1] around the observed share", () => {
    for (const [k, n] of [
      [0, 5],
      [5, 5],
      [1, 1000],
      [500, 1000],
    ] as const) {
      const { low, high } = wilsonInterval(k, n);
      expect(low).toBeGreaterThanOrEqual(0);
      expect(high).toBeLessThanOrEqual(1);
      expect(low).toBeLessThanOrEqual(k / n + 1e-12);
      expect(high).toBeGreaterThanOrEqual(k / n - 1e-12);
    }
  });
});

const guardConfig: GuardConfig = {
  maxErrorRateIncrease: ratio(0.02),
  maxP99Ratio: 1.5,
  alarmName: null,
  minInvocations: 20,
};

describe("evaluateGuards", () => {
  const stable = { invocations: 1000, errors: 2, p99: ms(400) };

  it("waits on too little evidence instead of passing", () => {
    const r = evaluateGuards(
      { stable, candidate: { invocations: 5, errors: 0, p99: ms(300) }, alarm: null },
      guardConfig,
    );
    expect(r.verdict).toBe("wait");
  });

  it("trips on an error rate well above the stable one", () => {
    const r = evaluateGuards(
      { stable, candidate: { invocations: 40, errors: 6, p99: ms(300) }, alarm: null },
      guardConfig,
    );
    expect(r.verdict).toBe("trip");
    expect(r.checks.find((c) => c.guard === "errorRate")?.status).toBe("trip");
  });

  it("trips on p99 above the allowed factor and passes a healthy candidate", () => {
    expect(
      evaluateGuards(
        { stable, candidate: { invocations: 40, errors: 0, p99: ms(700) }, alarm: null },
        guardConfig,
      ).verdict,
    ).toBe("trip");
    expect(
      evaluateGuards(
        { stable, candidate: { invocations: 40, errors: 0, p99: ms(500) }, alarm: null },
        guardConfig,
      ).verdict,
    ).toBe("pass");
  });

  it("trips on an alarm even without evidence", () => {
    const r = evaluateGuards(
      { stable, candidate: { invocations: 0, errors: 0, p99: null }, alarm: "ALARM" },
      { ...guardConfig, alarmName: "x" },
    );
    expect(r.verdict).toBe("trip");
  });
});

const spec = (shape: PlanSpec["shape"]): PlanSpec => ({
  account: parseAccountId("111111111111"),
  region: "us-east-1",
  functionName: "f",
  alias: "live",
  stableVersion: "1",
  newVersion: "2",
  shape,
  guards: guardConfig,
  maxWaitFactor: 3,
});
const pass = { verdict: "pass" as const, checks: [] };
const wait = { verdict: "wait" as const, checks: [] };
const trip = {
  verdict: "trip" as const,
  checks: [{ guard: "errorRate" as const, status: "trip" as const, detail: "15%" }],
};

describe("plan state machine", () => {
  it("lists linear weights without float drift and never reaching 1", () => {
    expect(planWeights({ kind: "linear", increment: ratio(0.1), stepSeconds: seconds(60) })).toEqual([
      0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9,
    ]);
    expect(planWeights({ kind: "linear", increment: ratio(0.3), stepSeconds: seconds(60) })).toEqual([
      0.3, 0.6, 0.9,
    ]);
    expect(planWeights({ kind: "canary", weight: ratio(0.1), stepSeconds: seconds(60) })).toEqual([0.1]);
  });

  it("runs a canary: first weight, hold, then promote", () => {
    const s = spec({ kind: "canary", weight: ratio(0.1), stepSeconds: seconds(60) });
    const t0 = 1_000_000;
    const d1 = decide(s, initialPlanState(), epochMs(t0), null);
    expect(d1.action).toEqual({ kind: "setWeight", weight: 0.1, step: 0 });
    expect(decide(s, d1.next, epochMs(t0 + 30_000), pass).action.kind).toBe("none");
    const d3 = decide(s, d1.next, epochMs(t0 + 60_000), pass);
    expect(d3.action).toEqual({ kind: "promote" });
    expect(d3.next.status).toBe("succeeded");
    expect(decide(s, d3.next, epochMs(t0 + 90_000), pass).action.kind).toBe("none");
  });

  it("rolls back as soon as a guard trips, mid-step", () => {
    const s = spec({ kind: "linear", increment: ratio(0.5), stepSeconds: seconds(60) });
    const d1 = decide(s, initialPlanState(), epochMs(0), null);
    const d2 = decide(s, d1.next, epochMs(10_000), trip);
    expect(d2.action.kind).toBe("rollback");
    expect(d2.next.status).toBe("rolled_back");
    expect(d2.next.reason).toContain("errorRate");
  });

  it("extends a step while evidence is thin, then rolls back", () => {
    const s = spec({ kind: "canary", weight: ratio(0.1), stepSeconds: seconds(60) });
    const d1 = decide(s, initialPlanState(), epochMs(0), null);
    expect(decide(s, d1.next, epochMs(120_000), wait).action.kind).toBe("none");
    expect(decide(s, d1.next, epochMs(180_000), wait).action.kind).toBe("rollback");
  });

  it("advances a linear plan one step per passing period", () => {
    const s = spec({ kind: "linear", increment: ratio(0.4), stepSeconds: seconds(60) });
    let state = decide(s, initialPlanState(), epochMs(0), null).next;
    const d = decide(s, state, epochMs(60_000), pass);
    expect(d.action).toEqual({ kind: "setWeight", weight: 0.8, step: 1 });
    state = d.next;
    expect(decide(s, state, epochMs(120_000), pass).action).toEqual({ kind: "promote" });
  });
});

describe("inputs", () => {
  it("rejects what a form must never send", () => {
    const base = {
      region: "us-east-1",
      functionName: "payments-api",
      alias: "live",
      primaryVersion: "7",
      additionalVersion: "8",
      weightPercent: 30,
      revisionId: "abc",
    };
    expect(shiftInputSchema.safeParse(base).success).toBe(true);
    expect(shiftInputSchema.safeParse({ ...base, weightPercent: 130 }).success).toBe(false);
    expect(shiftInputSchema.safeParse({ ...base, functionName: "a b" }).success).toBe(false);
    expect(shiftInputSchema.safeParse({ ...base, region: "mars-1" }).success).toBe(false);
    expect(shiftInputSchema.safeParse({ ...base, revisionId: "" }).success).toBe(false);
    const plan = planInputSchema.parse({
      ...base,
      newVersion: "8",
      kind: "canary",
      stepPercent: 30,
      stepSeconds: 60,
    });
    expect(plan.stepWeight).toBe(0.3);
    expect(plan.maxErrorRateIncrease).toBe(0.02);
  });
});
