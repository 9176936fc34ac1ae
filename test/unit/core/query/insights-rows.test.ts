import { describe, expect, it } from "vitest";
import { isFleetscopeError } from "@/lib/core/errors";
import { z } from "zod";
import {
  checkStatsRow,
  insightsCount,
  insightsNumber,
  readAllRows,
  readStatsRow,
  type StatsShape,
} from "@/lib/core/query/insights-rows";

// A REPORT aggregation per log group, the shape the console's stats queries have: counts in every row,
// aggregates tied to their count, cold starts bounded by invocations.
const SHAPE: StatsShape = {
  always: ["@log", "invocations", "coldStarts"],
  given: {
    avgInitMs: "coldStarts",
    p99InitMs: "coldStarts",
    maxInitMs: "coldStarts",
    maxMemoryUsedBytes: "invocations",
    memorySizeBytes: "invocations",
    p99DurationMs: "invocations",
    billedDurationMs: "invocations",
  },
  bounded: { coldStarts: "invocations" },
};
const SCHEMA = z.object({
  "@log": z.string().min(1),
  invocations: insightsCount,
  coldStarts: insightsCount,
  avgInitMs: insightsNumber.optional(),
  p99InitMs: insightsNumber.optional(),
  maxInitMs: insightsNumber.optional(),
  maxMemoryUsedBytes: insightsNumber.optional(),
  memorySizeBytes: insightsNumber.optional(),
  p99DurationMs: insightsNumber.optional(),
  billedDurationMs: insightsNumber.optional(),
});
const read = (row: Record<string, string>) => readStatsRow(row, SHAPE, SCHEMA);

const GOOD = {
  "@log": "123456789012:/aws/lambda/orders-api",
  invocations: "1200",
  coldStarts: "12",
  avgInitMs: "310.5",
  p99InitMs: "420.1",
  maxInitMs: "455",
  maxMemoryUsedBytes: String(70 * 1_000_000),
  memorySizeBytes: String(128 * 1_000_000),
  p99DurationMs: "812.25",
  billedDurationMs: "50000",
};
const WARM = {
  "@log": "/custom/group",
  invocations: "5",
  coldStarts: "0",
  maxMemoryUsedBytes: "60000000",
  memorySizeBytes: "128000000",
  p99DurationMs: "12",
  billedDurationMs: "60",
};

const reasonOf = (row: Record<string, string>) => {
  const r = read(row);
  return r.ok ? null : r.reason;
};

describe("readStatsRow", () => {
  it("reads every column as a number", () => {
    expect(read(GOOD)).toEqual({
      ok: true,
      value: {
        "@log": GOOD["@log"],
        invocations: 1200,
        coldStarts: 12,
        avgInitMs: 310.5,
        p99InitMs: 420.1,
        maxInitMs: 455,
        maxMemoryUsedBytes: 70_000_000,
        memorySizeBytes: 128_000_000,
        p99DurationMs: 812.25,
        billedDurationMs: 50000,
      },
    });
  });

  it("reads init aggregates omitted for want of a cold start as absent: 0 cold starts, not a shape error", () => {
    const warm = read(WARM);
    expect(warm).toMatchObject({ ok: true, value: { coldStarts: 0, maxMemoryUsedBytes: 60_000_000 } });
    expect(warm.ok && "avgInitMs" in warm.value).toBe(false);
    // Another implementation printing "0" for an empty aggregate means the same.
    const zero = read({ ...WARM, avgInitMs: "0" });
    expect(zero.ok && "avgInitMs" in zero.value).toBe(false);
    expect(zero.ok).toBe(true);
  });

  it("names a missing count column instead of reading it as zero", () => {
    const { coldStarts: _, ...row } = GOOD;
    expect(reasonOf(row)).toBe("Logs Insights returned rows without the field `coldStarts`");
  });

  it("names an aggregate that a non-zero count requires", () => {
    const { avgInitMs: _, ...noInit } = GOOD;
    expect(reasonOf(noInit)).toBe(
      "Logs Insights returned rows without the field `avgInitMs` although `coldStarts` is 12",
    );
    const { billedDurationMs: __, ...noBilled } = WARM;
    expect(reasonOf(noBilled)).toBe(
      "Logs Insights returned rows without the field `billedDurationMs` although `invocations` is 5",
    );
  });

  it("rejects non-numeric, negative, fractional-count and empty values, naming the field", () => {
    expect(reasonOf({ ...GOOD, invocations: "five" })).toBe(
      "Logs Insights returned the field `invocations` with a value that is not a number",
    );
    expect(reasonOf({ ...GOOD, p99DurationMs: "-1" })).toContain(
      "`p99DurationMs` with a value that is negative",
    );
    expect(reasonOf({ ...GOOD, coldStarts: "1.5" })).toContain(
      "`coldStarts` with a value that is not a whole count",
    );
    expect(reasonOf({ ...GOOD, invocations: "" })).toContain("`invocations`");
  });

  it("rejects renamed and extra fields the query's stats does not produce", () => {
    const { coldStarts, ...rest } = GOOD;
    expect(reasonOf({ ...rest, "count(@initDuration)": coldStarts })).toBe(
      "Logs Insights returned rows without the field `coldStarts` (and with `count(@initDuration)`, which the query does not produce)",
    );
    expect(reasonOf({ ...GOOD, bin: "2026-11-23 11:00:00.000" })).toBe(
      "Logs Insights returned the field `bin`, which the query does not produce",
    );
  });

  it("rejects counts that cannot be: more cold starts than invocations, init without a cold start", () => {
    expect(reasonOf({ ...GOOD, coldStarts: "1201" })).toBe(
      "Logs Insights returned `coldStarts` = 1201, more than `invocations` = 1200",
    );
    expect(reasonOf({ ...WARM, maxInitMs: "300" })).toBe(
      'Logs Insights returned `maxInitMs` = "300" although `coldStarts` is 0',
    );
  });
});

describe("readAllRows", () => {
  const shape: StatsShape = { always: ["k", "n"] };
  const read = (row: Record<string, string | undefined>) => {
    const c = checkStatsRow(row, shape);
    return c.ok ? { ok: true as const, value: Number(c.value.n) } : c;
  };

  it("reads zero rows as zero rows: a window without matching lines", () => {
    expect(readAllRows([], read)).toEqual([]);
  });

  it("throws an Unavailable error with the first reason and how many rows did not read", () => {
    let thrown: unknown;
    try {
      readAllRows([{ k: "a", n: "1" }, { k: "b" }, { n: "3" }], read);
    } catch (e) {
      thrown = e;
    }
    expect(isFleetscopeError(thrown) && thrown.code).toBe("Unavailable");
    expect((thrown as Error).message).toBe(
      "Logs Insights returned rows without the field `n` (2 of 3 rows unreadable)",
    );
  });
});
