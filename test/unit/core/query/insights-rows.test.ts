import { describe, expect, it } from "vitest";
import { FLEET_REPORT_COLUMNS } from "@/lib/core/query/insights";
import { parseFleetReportRow } from "@/lib/core/query/insights-rows";

describe("parseFleetReportRow", () => {
  it("converts Insights strings to units, memory from bytes to MB", () => {
    const row = {
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
    expect(Object.keys(row).filter((k) => k !== "@log")).toEqual([...FLEET_REPORT_COLUMNS]);
    expect(parseFleetReportRow(row)).toEqual({
      ok: true,
      value: {
        logGroup: "/aws/lambda/orders-api",
        invocations: 1200,
        coldStarts: 12,
        avgInit: 310.5,
        p99Init: 420.1,
        maxInit: 455,
        maxMemoryUsed: 70,
        memorySize: 128,
        p99Duration: 812.25,
        billedDuration: 50000,
      },
    });
  });

  it("reads an omitted aggregate as null (no cold starts), not as 0 ms", () => {
    const r = parseFleetReportRow({ "@log": "/custom/group", invocations: "5", coldStarts: "0" });
    expect(r).toMatchObject({ ok: true, value: { coldStarts: 0, avgInit: null, maxMemoryUsed: null } });
  });

  it("rejects rows that are not numbers where numbers belong", () => {
    expect(parseFleetReportRow({ invocations: "5" }).ok).toBe(false);
    expect(parseFleetReportRow({ "@log": "/g", invocations: "five" }).ok).toBe(false);
    expect(parseFleetReportRow({ "@log": "/g", invocations: "-1" }).ok).toBe(false);
    expect(parseFleetReportRow({ "@log": "/g", invocations: "" }).ok).toBe(false);
  });
});
