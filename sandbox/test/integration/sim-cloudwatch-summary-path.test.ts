/**
 * CloudWatch reads the real simulator through its metric-only summaries. Served from full MinuteRecords instead
 * (a simulator without `summary()`, the path test doubles take), every answer must be the same: hours of 20
 * functions here, a small window in test/unit/sandbox/cloudwatch-summary-path.test.ts.
 */
import { describe, expect, it } from "vitest";
import { generateAccount } from "../../src/fleet/generate";
import { pointsIn, SUMMARY_PATH_NOW, summaryPaths } from "../support/cloudwatch-summary-path";

const HOUR = 3_600_000;
const { contexts, answers } = summaryPaths(
  generateAccount({ seed: 7, nowMs: SUMMARY_PATH_NOW, functionsPerRegion: 20, regions: ["us-east-1"] }),
);

describe("GetMetricData over simulator summaries", () => {
  it.each([
    [60, 2],
    [300, 6],
    [3600, 6],
  ])("answers exactly as from full records (period %i s over %i h), cold and warm", async (period, hours) => {
    const { summaries, records, calls } = contexts();
    const expected = await answers(records, period, hours * HOUR);
    expect(pointsIn(expected)).toBeGreaterThan(1000);
    expect(await answers(summaries, period, hours * HOUR)).toEqual(expected);
    expect(await answers(summaries, period, hours * HOUR)).toEqual(expected); // served from cached summaries
    expect(calls.minutes).toBe(0);
    expect(calls.summary).toBeGreaterThan(0);
  });
});
