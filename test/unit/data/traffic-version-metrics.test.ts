import { describe, expect, it } from "vitest";
import type { CloudWatchPort, MetricQuery, MetricSeries } from "@/lib/aws/cloudwatch";
import type { LogsPort } from "@/lib/aws/logs";
import { versionColdStartsQuery } from "@/lib/core/query/version-cold-starts";
import { epochMs } from "@/lib/core/units";
import { versionColdStarts } from "@/lib/data/traffic/version-cold-starts";
import { versionMetrics } from "@/lib/data/traffic/version-metrics";
import { parseAccountId } from "@/lib/core/accounts";

const SCOPE = { account: parseAccountId("111111111111"), region: "us-east-1" };

const t0 = Date.UTC(2026, 10, 23, 12, 0);
const MINUTE = 60_000;

describe("versionMetrics", () => {
  it("returns a per-minute p99 that is a gap where CloudWatch has no point, beside the totals", async () => {
    let asked: readonly MetricQuery[] = [];
    const series = new Map<string, MetricSeries>([
      ["8|inv", { timestamps: [epochMs(t0)], values: [30] }],
      ["8|err", { timestamps: [epochMs(t0)], values: [3] }],
      ["8|p99", { timestamps: [epochMs(t0)], values: [400] }],
      ["8|inv/m", { timestamps: [epochMs(t0), epochMs(t0 + 2 * MINUTE)], values: [10, 20] }],
      ["8|err/m", { timestamps: [epochMs(t0 + 2 * MINUTE)], values: [3] }],
      ["8|p99/m", { timestamps: [epochMs(t0), epochMs(t0 + 2 * MINUTE)], values: [350, 410] }],
    ]);
    const cloudwatch = (): CloudWatchPort => ({
      region: "us-east-1",
      getMetricData: async (queries) => {
        asked = queries;
        return series;
      },
    });
    const [v8] = await versionMetrics({ cloudwatch }, SCOPE, "fn", "live", ["8"], {
      start: t0,
      end: t0 + 3 * MINUTE,
    });
    expect(asked.find((q) => q.key === "8|p99/m")).toMatchObject({
      metricName: "Duration",
      stat: "p99",
      period: 60,
    });
    expect(v8?.minutes).toEqual([
      { t: t0, invocations: 10, errors: 0, p99: 350 },
      { t: t0 + MINUTE, invocations: 0, errors: 0, p99: null },
      { t: t0 + 2 * MINUTE, invocations: 20, errors: 3, p99: 410 },
    ]);
    expect(v8?.p99).toBe(400);
  });
});

describe("versionColdStarts", () => {
  it("queries the function's own log group in its format and reads the rows per version", async () => {
    const calls: { query: string; groups: readonly string[]; window: { start: number; end: number } }[] = [];
    const logs = (): LogsPort => ({
      region: "us-east-1",
      runInsights: async (query, groups, window) => {
        calls.push({ query, groups, window });
        return {
          rows: [
            { version: "7", invocations: "90", coldStarts: "3" },
            { version: "8", invocations: "10", coldStarts: "2" },
          ],
          queries: 1,
          missingGroups: [],
          bytesScanned: 0,
          truncated: false,
        };
      },
      filterLogEvents: async () => [],
    });
    const window = { start: t0, end: t0 + 30 * MINUTE };
    const got = await versionColdStarts(
      { logs },
      SCOPE,
      { logGroup: "/custom/payments", logFormat: "JSON" },
      ["7", "8"],
      window,
    );
    expect(calls).toEqual([{ query: versionColdStartsQuery("JSON"), groups: ["/custom/payments"], window }]);
    expect(got).toEqual([
      { version: "7", invocations: 90, coldStarts: 3, rate: 3 / 90 },
      { version: "8", invocations: 10, coldStarts: 2, rate: 0.2 },
    ]);
  });
});
