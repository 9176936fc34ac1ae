/** Rollups keep accounts apart: the same function name in the same region of two accounts never adds up. */
import { describe, expect, it } from "vitest";
import { addMetric, emptyMetric, rollUp, type MetricRollup } from "@/lib/core/rollup/types";

const T0 = Date.UTC(2026, 11, 7, 12, 0);
const row = (account: string, t: number, invocations: number): MetricRollup => ({
  ...emptyMetric({ account, region: "us-east-1" }, "checkout", 60, t),
  invocations,
});

describe("rolling up with accounts", () => {
  it("rolls each account's rows into its own bucket, carrying its account", () => {
    const rows = [
      row("111111111111", T0, 1),
      row("222222222222", T0, 10),
      row("111111111111", T0 + 60_000, 2),
    ];
    const hourly = rollUp(
      rows,
      3600,
      (r) => r.fn,
      (r, t) => emptyMetric(r, r.fn, 3600, t),
      addMetric,
    );
    expect(hourly.map((r) => [r.account, r.region, r.invocations])).toEqual([
      ["111111111111", "us-east-1", 3],
      ["222222222222", "us-east-1", 10],
    ]);
  });
});
