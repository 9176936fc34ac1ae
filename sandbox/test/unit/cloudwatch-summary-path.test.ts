/**
 * CloudWatch reads the real simulator through its metric-only summaries. Served from full MinuteRecords instead
 * (a simulator without `summary()`, the path test doubles take), every answer must be the same. Here a few
 * hand-built functions over a short window; hours of the planted fleet:
 * test/integration/sandbox-sim/cloudwatch-summary-path.test.ts.
 */
import { describe, expect, it } from "vitest";
import { pointsIn, summaryPaths } from "../support/cloudwatch-summary-path";
import { HOUR, MINUTE, NOW, account, behaviour, canary, fn, version } from "../support/sim-fixtures";

// A canary throttled at its reserved limit, an alias spilling over its provisioned concurrency, plain $LATEST.
const throttledCanary = canary(0.3, NOW - 60 * 24 * HOUR, {
  name: "canary-api",
  reservedConcurrency: 2,
  traffic: { peakPerMinute: 20, dailyDip: 0, burstChance: 0.3, burstFactor: 5, viaAlias: "live" },
});
const provisioned = canary(0, NOW - 60 * 24 * HOUR, {
  name: "provisioned-api",
  traffic: { peakPerMinute: 30, dailyDip: 0, burstChance: 0, burstFactor: 1, viaAlias: "live" },
});
provisioned.versions = [version("1", { behaviour: behaviour({ durationMedianMs: 3000 }) }), version("2")];
provisioned.provisioned = [{ qualifier: "live", requested: 1 }];
const { contexts, answers } = summaryPaths(account(throttledCanary, provisioned, fn({ name: "plain-api" })));

describe("GetMetricData over simulator summaries", () => {
  it.each([
    [60, 15],
    [300, 30],
  ])(
    "answers exactly as from full records (period %i s over %i min), cold and warm",
    async (period, minutes) => {
      const { summaries, records, calls } = contexts();
      const expected = await answers(records, period, minutes * MINUTE);
      expect(pointsIn(expected)).toBeGreaterThan(500);
      expect(await answers(summaries, period, minutes * MINUTE)).toEqual(expected);
      expect(await answers(summaries, period, minutes * MINUTE)).toEqual(expected); // served from cached summaries
      expect(calls.minutes).toBe(0);
      expect(calls.summary).toBeGreaterThan(0);
    },
  );
});
