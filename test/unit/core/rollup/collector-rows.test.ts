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
      },
      {
        "@log": "123456789012:/aws/lambda/a",
        t: "2026-11-23 11:00:00.000",
        dk: "72",
        n: "1",
        billedSum: "1000",
        memMax: "90000000",
        memSize: "128000000",
        durSum: "999",
        durMax: "999",
        timeouts: "1",
        ooms: "0",
      },
      {
        "@log": "123456789012:/aws/lambda/a",
        t: "2026-11-23 11:01:00.000",
        dk: "-Infinity",
        n: "2",
        billedSum: "2",
        durSum: "0",
        durMax: "0",
      },
    ];
    const { rollups, unreadable } = readCollectorRows("us-east-1", "Text", rows);
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

  it("counts rows of an unexpected shape as unreadable instead of reading them as zero", () => {
    const { rollups, unreadable } = readCollectorRows("us-east-1", "Text", [
      { "@log": "/aws/lambda/a", t: "yesterday", n: "3" },
      { "@log": "/aws/lambda/a", t: "2026-11-23 11:00:00.000", n: "many" },
      { count: "3" },
    ]);
    expect(unreadable).toBe(3);
    expect(rollups).toEqual([]);
  });
});
