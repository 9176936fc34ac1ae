import { describe, expect, it } from "vitest";
import { collectorQuery, readCollectorRows } from "@/lib/core/query/collector-insights";

describe("collector Insights query", () => {
  it("groups REPORT aggregates by log group, minute and log-spaced duration bucket", () => {
    const q = collectorQuery("Text");
    expect(q).toContain('filter @type = "REPORT"');
    expect(q).toContain("by @log, bin(1m) as t, floor(log(@duration) / log(1.1)) as dk");
    expect(collectorQuery("JSON")).toContain("record.metrics.durationMs");
  });

  it("adds a group-minute's bucket rows into one rollup: counts summed, maxima maxed, memory in MB", () => {
    const rows = [
      {
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
      },
      {
        "@log": "123456789012:/aws/lambda/a",
        t: "2026-11-23 11:00:00.000",
        dk: "72",
        n: "1",
        cold: "0",
        billedSum: "1000",
        memMax: "90000000",
        memSize: "128000000",
        durSum: "999",
        durMax: "999",
        timeouts: "1",
        ooms: "0",
        restores: "0",
      },
      {
        "@log": "123456789012:/aws/lambda/a",
        t: "2026-11-23 11:01:00.000",
        dk: "-Infinity",
        n: "2",
        cold: "0",
        billedSum: "2",
        memMax: "60000000",
        memSize: "128000000",
        durSum: "0",
        durMax: "0",
        timeouts: "0",
        ooms: "0",
        restores: "0",
      },
    ];
    const { rollups, unreadable } = readCollectorRows(
      { account: "111111111111", region: "us-east-1" },
      "Text",
      rows,
    );
    expect(unreadable).toBe(0);
    expect(rollups).toHaveLength(2);
    const first = rollups.find((r) => r.t === Date.UTC(2026, 10, 23, 11, 0))!;
    expect(first).toMatchObject({
      logGroup: "/aws/lambda/a",
      reports: 4,
      coldStarts: 1,
      initSumMs: 200,
      billedSumMs: 1300,
      maxMemoryUsedMb: 90,
      memorySizeMb: 128,
      durationMaxMs: 999,
      timeouts: 1,
      durations: { 48: 3, 72: 1 },
    });
    const second = rollups.find((r) => r.t === Date.UTC(2026, 10, 23, 11, 1))!;
    expect(second.coldStarts).toBe(0);
    expect(second.initMaxMs).toBeNull();
  });

  it("parses SnapStart's Billed Restore Duration in Text groups (no discovered field) and reads JSON's metric", () => {
    expect(collectorQuery("Text")).toContain(
      "parse @message /Billed Restore Duration: (?<restoreBilled>\\d+) ms/",
    );
    expect(collectorQuery("Text")).toContain(
      "count(restoreBilled) as restores, sum(restoreBilled) as restoreBilledSum by @log",
    );
    expect(collectorQuery("JSON")).toContain(
      "count(record.metrics.billedRestoreDurationMs) as restores, " +
        "sum(record.metrics.billedRestoreDurationMs) as restoreBilledSum",
    );
    expect(collectorQuery("JSON")).not.toContain("restoreBilled>");
  });

  const base = {
    "@log": "123456789012:/aws/lambda/ml",
    t: "2026-11-23 11:00:00.000",
    dk: "80",
    n: "4",
    cold: "0",
    billedSum: "4000",
    memMax: "1900000000",
    memSize: "3008000000",
    durSum: "3990",
    durMax: "1200",
    timeouts: "0",
    ooms: "0",
  };

  it("sums SnapStart restores and their billed restore duration per group-minute, like cold starts", () => {
    const { rollups, unreadable } = readCollectorRows(
      { account: "111111111111", region: "us-east-1" },
      "Text",
      [
        { ...base, restores: "2", restoreBilledSum: "731" },
        { ...base, dk: "81", n: "1", restores: "1", restoreBilledSum: "402" },
        { ...base, t: "2026-11-23 11:01:00.000", restores: "0" },
      ],
    );
    expect(unreadable).toBe(0);
    const at = (m: number) => rollups.find((r) => r.t === Date.UTC(2026, 10, 23, 11, m));
    expect([at(0)?.restores, at(0)?.restoreBilledSumMs]).toEqual([3, 1133]);
    // No restore in the minute: 0 restores and 0 ms, not "not collected".
    expect([at(1)?.restores, at(1)?.restoreBilledSumMs]).toEqual([0, 0]);
  });

  it("refuses restores without their sum, a sum without restores, more restores than reports, or no count", () => {
    const problem = (row: Record<string, string>) =>
      readCollectorRows({ account: "111111111111", region: "us-east-1" }, "Text", [row]).problem;
    expect(problem({ ...base, restores: "2" })).toBe(
      "Logs Insights returned rows without the field `restoreBilledSum` although `restores` is 2",
    );
    expect(problem({ ...base, restores: "0", restoreBilledSum: "12" })).toMatch(/`restoreBilledSum` = "12"/);
    expect(problem({ ...base, restores: "5", restoreBilledSum: "900" })).toMatch(/`restores` = 5, more than/);
    expect(problem(base)).toMatch(/without the field `restores`/);
  });

  it("counts rows of an unexpected shape as unreadable instead of reading them as zero", () => {
    const { rollups, unreadable } = readCollectorRows(
      { account: "111111111111", region: "us-east-1" },
      "Text",
      [
        { "@log": "/aws/lambda/a", t: "yesterday", n: "3" },
        { "@log": "/aws/lambda/a", t: "2026-11-23 11:00:00.000", n: "many" },
        { count: "3" },
      ],
    );
    expect(unreadable).toBe(3);
    expect(rollups).toEqual([]);
  });
});
