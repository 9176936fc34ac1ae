/**
 * The live telemetry readers (report bins, function summary, failure markers) and the collector's reader against
 * rows of the expected shape, no rows, and rows of another shape: an unreadable row is a reason, never a 0.
 */
import { describe, expect, it } from "vitest";
import { isFleetscopeError } from "@/lib/core/errors";
import { readCollectorRows } from "@/lib/core/query/collector-insights";
import {
  EMPTY_LOG_SUMMARY,
  readFailureMarkers,
  readFunctionSummary,
  readReportBin,
} from "@/lib/core/query/telemetry-insights";

function failure(f: () => unknown): { code: string; message: string } | null {
  try {
    f();
    return null;
  } catch (e) {
    return isFleetscopeError(e)
      ? { code: e.code, message: e.message }
      : { code: "thrown", message: String(e) };
  }
}

const BIN = {
  "@log": "123456789012:/aws/lambda/a",
  t: "2026-11-23 11:00:00.000",
  invocations: "10",
  coldStarts: "2",
  initSumMs: "400",
  maxInitMs: "250",
  maxMemoryUsed: "70000000",
  memorySize: "128000000",
  billedSumMs: "1000",
};

describe("readReportBin", () => {
  it("reads a row of the query's shape", () => {
    expect(readReportBin(BIN, "Text")).toMatchObject({
      logGroup: "/aws/lambda/a",
      invocations: 10,
      coldStarts: 2,
      initSum: 400,
      maxMemoryUsed: 70,
      billedSum: 1000,
    });
  });

  it("throws Unavailable with the reason for a row without a count column", () => {
    const { coldStarts: _, ...row } = BIN;
    expect(failure(() => readReportBin(row, "Text"))).toEqual({
      code: "Unavailable",
      message: "Logs Insights returned rows without the field `coldStarts`",
    });
  });
});

const SUMMARY = {
  invocations: "100",
  coldStarts: "0",
  p50DurationMs: "12",
  p99DurationMs: "80",
  billedSumMs: "1500",
  maxMemoryUsed: "64000000",
  memorySize: "128000000",
};

describe("readFunctionSummary", () => {
  it("reads no row as no REPORT line (zero, exactly) and a warm row's init as unknown", () => {
    expect(readFunctionSummary([], "Text")).toEqual(EMPTY_LOG_SUMMARY);
    expect(readFunctionSummary([SUMMARY], "Text")).toMatchObject({
      invocations: 100,
      coldStarts: 0,
      avgInit: null,
      billedSum: 1500,
      memorySize: 128,
    });
  });

  it("never reads a row of another shape as zero", () => {
    // Columns named after the aggregate, not the alias: the answer of an implementation that ignores `as`.
    const unaliased = { "count(*)": "100", "count(@initDuration)": "3", "sum(@billedDuration)": "1500" };
    expect(failure(() => readFunctionSummary([unaliased], "Text"))?.message).toBe(
      "Logs Insights returned rows without the fields `invocations`, `coldStarts` (and with `count(*)`, " +
        "`count(@initDuration)`, `sum(@billedDuration)`, which the query does not produce)",
    );
    expect(failure(() => readFunctionSummary([{ ...SUMMARY, billedSumMs: "n/a" }], "Text"))?.message).toBe(
      "Logs Insights returned the field `billedSumMs` with a value that is not a number",
    );
    expect(failure(() => readFunctionSummary([SUMMARY, SUMMARY], "Text"))?.code).toBe("Unavailable");
  });
});

describe("readFailureMarkers", () => {
  it("counts timeouts and OOM kills; no row is none of either", () => {
    expect(readFailureMarkers([])).toEqual({ timeouts: 0, oom: 0 });
    expect(
      readFailureMarkers([
        { marker: "Task timed out", n: "3" },
        { marker: "signal: killed", n: "1" },
        { marker: "Runtime.OutOfMemory", n: "2" },
      ]),
    ).toEqual({ timeouts: 3, oom: 3 });
  });

  it("fails on an unknown marker or a count that is not a number", () => {
    expect(failure(() => readFailureMarkers([{ marker: "timeout", n: "3" }]))?.message).toContain("`marker`");
    expect(failure(() => readFailureMarkers([{ marker: "Task timed out", n: "three" }]))?.message).toContain(
      "`n` with a value that is not a number",
    );
  });
});

const MINUTE_ROW = {
  "@log": "123456789012:/aws/lambda/a",
  t: "2026-11-23 11:00:00.000",
  dk: "48",
  n: "3",
  cold: "1",
  initSum: "200",
  initMax: "200",
  billedSum: "300",
  memMax: "70000000",
  memSize: "128000000",
  durSum: "290",
  durMax: "110",
  timeouts: "0",
  ooms: "0",
  restores: "0",
};

describe("readCollectorRows: the shape of the collector's query", () => {
  it("reads good rows, and an empty answer as no rollup (no REPORT line in the window)", () => {
    expect(
      readCollectorRows({ account: "111111111111", region: "us-east-1" }, "Text", [MINUTE_ROW]),
    ).toMatchObject({
      unreadable: 0,
      problem: null,
    });
    expect(readCollectorRows({ account: "111111111111", region: "us-east-1" }, "Text", [])).toEqual({
      rollups: [],
      unreadable: 0,
      problem: null,
    });
  });

  it.each([
    ["a missing count", { cold: undefined }, "Logs Insights returned rows without the field `cold`"],
    [
      "a missing REPORT aggregate",
      { billedSum: undefined },
      "Logs Insights returned rows without the field `billedSum` although `n` is 3",
    ],
    [
      "a missing init aggregate with cold starts",
      { initSum: undefined },
      "Logs Insights returned rows without the field `initSum` although `cold` is 1",
    ],
    ["a non-numeric count", { timeouts: "none" }, "the field `timeouts` with a value that is not a number"],
    [
      "a renamed field",
      { cold: undefined, coldStarts: "1" },
      "without the field `cold` (and with `coldStarts`, which the query does not produce)",
    ],
    ["more timeouts than lines", { timeouts: "4" }, "`timeouts` = 4, more than `n` = 3"],
  ])("counts a row with %s as unreadable, with its reason", (_, change, reason) => {
    const row = { ...MINUTE_ROW, ...change } as Record<string, string | undefined>;
    const r = readCollectorRows({ account: "111111111111", region: "us-east-1" }, "Text", [MINUTE_ROW, row]);
    expect(r.unreadable).toBe(1);
    expect(r.problem).toContain(reason);
  });
});
