/** SnapStart restores in log rollups (lib/core/rollup/types.ts): they add like cold starts; "not collected" wins. */
import { describe, expect, it } from "vitest";
import { addLog, emptyLog, rollUp, type LogRollup } from "@/lib/core/rollup/types";

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const M = 60_000;
const row = (t: number, restores: number | null, restoreBilledSumMs: number | null): LogRollup => ({
  ...emptyLog({ account: "111111111111", region: "us-east-1" }, "/aws/lambda/ml", 60, t),
  reports: 10,
  coldStarts: 1,
  restores,
  restoreBilledSumMs,
});
const hourly = (rows: LogRollup[]) =>
  rollUp(
    rows,
    3600,
    (r) => r.logGroup,
    (r, t) => emptyLog(r, r.logGroup, 3600, t),
    addLog,
  );

describe("restores in log rollups", () => {
  it("starts collected at zero and adds counts and billed sums across minutes", () => {
    expect([
      emptyLog({ account: "a", region: "r" }, "g", 60, 0).restores,
      emptyLog({ account: "a", region: "r" }, "g", 60, 0).restoreBilledSumMs,
    ]).toEqual([0, 0]);
    const [h] = hourly([row(T0, 2, 800), row(T0 + M, 0, 0), row(T0 + 2 * M, 1, 395)]);
    expect(h).toMatchObject({ res: 3600, reports: 30, coldStarts: 3, restores: 3, restoreBilledSumMs: 1195 });
  });

  it("a minute written before restores were collected makes the bucket's restores unknown, not a partial sum", () => {
    const [h] = hourly([row(T0, 2, 800), row(T0 + M, null, null)]);
    expect([h?.restores, h?.restoreBilledSumMs, h?.reports]).toEqual([null, null, 20]);
    expect(addLog(row(T0, null, null), row(T0 + M, 4, 100)).restores).toBeNull();
  });
});
