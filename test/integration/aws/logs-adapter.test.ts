/**
 * The Logs adapter against the sandbox over HTTP: Insights chunking at 50 groups (counted at the sandbox),
 * polling to Complete, missing groups, the deadline with StopQuery, and FilterLogEvents paging. Expected numbers
 * come from CloudWatch metrics read by the `aws` CLI, an independent path through an independent client.
 */
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogsPort, DEFAULT_TIMING, type LogsPort } from "@/lib/aws/logs";
import { readReportBin, reportBinsQuery } from "@/lib/core/query/telemetry-insights";
import { assembleInvocations } from "@/lib/core/telemetry/invocation";
import { epochMs, seconds } from "@/lib/core/units";
import type { Sandbox } from "@fleetscope/sandbox";
import { cliMetricSum } from "@fleetscope/sandbox/testing/awscli";
import { TEST_CREDENTIALS, TEST_NOW, startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";

let sb: Sandbox;
let client: CloudWatchLogsClient;
let port: LogsPort;
const MINUTE = 60_000;
const window = { start: epochMs(TEST_NOW - 30 * MINUTE), end: epochMs(TEST_NOW) };
const fast = { ...DEFAULT_TIMING, firstPollMs: 20, maxPollMs: 100 };

beforeAll(async () => {
  sb = await startTestSandbox({ functionsPerRegion: 60, regions: ["us-east-1"] });
  client = new CloudWatchLogsClient({
    endpoint: sb.url,
    region: "us-east-1",
    credentials: TEST_CREDENTIALS,
    maxAttempts: 3,
  });
  port = createLogsPort(client, "us-east-1", fast);
});
afterAll(async () => {
  client.destroy();
  await sb.close();
});

const functions = () => [...(sb.account.regions.get("us-east-1")?.functions.values() ?? [])];

const metricSum = (name: string, metric: string) => cliMetricSum(sb.url, name, metric, window, 1800);

describe("Logs adapter", () => {
  it("covers 60 groups with ceil(60 / 50) queries, and REPORT counts match the Invocations metric", async () => {
    const text = functions().filter((f) => f.logFormat !== "JSON");
    const groups = text.map((f) => f.logGroup);
    expect(groups.length).toBeGreaterThan(50);
    sb.resetStats();
    const r = await port.runInsights(reportBinsQuery("Text", seconds(1800)), groups, window, {
      timeoutMs: 30_000,
    });
    expect(sb.stats()["logs.StartQuery"]).toBe(Math.ceil(groups.length / 50));
    expect(r.queries).toBe(Math.ceil(groups.length / 50));
    const bins = r.rows.map((row) => readReportBin(row, "Text"));
    expect(bins.every((b) => b !== null)).toBe(true);
    const payments = bins.filter((b) => b?.logGroup === "/aws/lambda/payments-api");
    const reports = payments.reduce((a, b) => a + (b?.invocations ?? 0), 0);
    expect(reports).toBeGreaterThan(0);
    // The metric counts an invocation when it starts, its REPORT line is written when it ends: one still running
    // at the window's end is in the first and not (yet) in the second. Anything more is a real disagreement.
    const metric = await metricSum("payments-api", "Invocations");
    expect(Math.abs(reports - metric)).toBeLessThanOrEqual(2);
  });

  it("drops a group that does not exist and keeps the rest of its chunk", async () => {
    const groups = ["/aws/lambda/payments-api", "/aws/lambda/no-such-function", "/aws/lambda/notify-sms"];
    const r = await port.runInsights(reportBinsQuery("Text", seconds(1800)), groups, window, {
      timeoutMs: 30_000,
    });
    expect(r.missingGroups).toEqual(["/aws/lambda/no-such-function"]);
    const seen = new Set(r.rows.map((row) => readReportBin(row, "Text")?.logGroup));
    expect(seen.has("/aws/lambda/payments-api")).toBe(true);
  });

  it("stops a query that misses its deadline and reports Timeout", async () => {
    sb.setFaults({ logs: { operations: { GetQueryResults: { latencyMs: 400 } } } });
    sb.resetStats();
    try {
      await expect(
        port.runInsights(reportBinsQuery("Text", seconds(1800)), ["/aws/lambda/payments-api"], window, {
          timeoutMs: 300,
        }),
      ).rejects.toMatchObject({ code: "Timeout" });
      expect(sb.stats()["logs.StopQuery"]).toBe(1);
    } finally {
      sb.setFaults({});
    }
  });

  it("reads a bounded window of REPORT lines with FilterLogEvents and assembles cold starts", async () => {
    const notify = functions().find((f) => f.name === "notify-sms");
    if (!notify) throw new Error("notify-sms is planted");
    const events = await port.filterLogEvents(notify.logGroup, window);
    const { invocations } = assembleInvocations(events);
    expect(Math.abs(invocations.length - (await metricSum("notify-sms", "Invocations")))).toBeLessThanOrEqual(
      1,
    );
    expect(invocations.some((i) => i.coldStart && i.initDuration !== null)).toBe(true);
  });
});
