/**
 * The CloudWatch adapter against the sandbox over HTTP: batching (≤ 500 queries per request, counted at the
 * sandbox), NextToken paging, the three dimension sets, and error mapping. Expected values come from the `aws`
 * CLI (an independent client) or from single-query requests, never from constants.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCloudWatchPort, type CloudWatchPort, type MetricQuery } from "@/lib/aws/cloudwatch";
import { epochMs, seconds } from "@/lib/core/units";
import type { Sandbox } from "@fleetscope/sandbox";
import { cliMetricSum } from "@fleetscope/sandbox/testing/awscli";
import { TEST_CREDENTIALS, TEST_NOW, startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";

let sb: Sandbox;
let client: CloudWatchClient;
let port: CloudWatchPort;
const HOUR = 3_600_000;
const window = { start: epochMs(TEST_NOW - HOUR), end: epochMs(TEST_NOW) };

beforeAll(async () => {
  sb = await startTestSandbox({ functionsPerRegion: 130, regions: ["us-east-1"] });
  client = new CloudWatchClient({
    endpoint: sb.url,
    region: "us-east-1",
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  port = createCloudWatchPort(client, "us-east-1");
});
afterAll(async () => {
  client.destroy();
  await sb.close();
});

const names = () => [...(sb.account.regions.get("us-east-1")?.functions.keys() ?? [])];

describe("CloudWatch adapter", () => {
  it("packs many queries into ceil(n / 500) requests and returns the CLI's numbers", async () => {
    const fns = names();
    const queries: MetricQuery[] = fns.flatMap((name) =>
      (["Invocations", "Errors", "Throttles", "Duration"] as const).map((metricName) => ({
        key: `${name}/${metricName}`,
        metricName,
        stat: metricName === "Duration" ? "p99" : "Sum",
        dimensions: { kind: "function" as const, functionName: name },
        period: seconds(3600),
      })),
    );
    expect(queries.length).toBeGreaterThan(500);
    sb.resetStats();
    const out = await port.getMetricData(queries, window);
    expect(sb.stats()["monitoring.GetMetricData"]).toBe(Math.ceil(queries.length / 500));
    expect(out.size).toBe(queries.length);

    const expected = await cliMetricSum(sb.url, "payments-api", "Invocations", window, 3600);
    expect(expected).toBeGreaterThan(0);
    expect(out.get("payments-api/Invocations")?.values.reduce((a, b) => a + b, 0)).toBe(expected);
  });

  it("follows NextToken pages and reassembles each series in time order", async () => {
    // 2 × 130 one-minute series over an hour is ~15,600 points: pages of 1,000 points force many NextTokens.
    const fns = names();
    const queries: MetricQuery[] = fns.flatMap((name) => [
      {
        key: `${name}/i`,
        metricName: "Invocations",
        stat: "Sum",
        dimensions: { kind: "function", functionName: name },
        period: seconds(60),
      },
      {
        key: `${name}/d`,
        metricName: "Duration",
        stat: "Average",
        dimensions: { kind: "function", functionName: name },
        period: seconds(60),
      },
    ]);
    sb.resetStats();
    const statuses: [string, string][] = [];
    const out = await port.getMetricData(queries, window, {
      maxDatapointsPerPage: 1000,
      onStatus: (key, status) => statuses.push([key, status]),
    });
    expect(sb.stats()["monitoring.GetMetricData"]).toBeGreaterThan(5);
    // Each query's final StatusCode, once, after its last page: Complete for every one (PartialData meant "more").
    expect(statuses.map(([key]) => key).sort()).toEqual(queries.map((q) => q.key).sort());
    expect(new Set(statuses.map(([, status]) => status))).toEqual(new Set(["Complete"]));
    const long = window;
    const last = fns.at(-1) as string;
    const alone = await port.getMetricData([queries.at(-2) as MetricQuery], long);
    const paged = out.get(`${last}/i`);
    expect(paged?.timestamps).toEqual(alone.get(`${last}/i`)?.timestamps);
    expect(paged?.values).toEqual(alone.get(`${last}/i`)?.values);
    const ts = paged?.timestamps ?? [];
    expect(ts.every((t, i) => i === 0 || t > (ts[i - 1] as number))).toBe(true);
  });

  it("reads alias and executed-version dimensions (payments-api live splits 7/8)", async () => {
    const dims = (executedVersion: string) => ({
      kind: "executedVersion" as const,
      functionName: "payments-api",
      resource: "payments-api:live",
      executedVersion,
    });
    const out = await port.getMetricData(
      [
        {
          key: "alias",
          metricName: "Invocations",
          stat: "Sum",
          dimensions: { kind: "resource", functionName: "payments-api", resource: "payments-api:live" },
          period: seconds(3600),
        },
        { key: "v7", metricName: "Invocations", stat: "Sum", dimensions: dims("7"), period: seconds(3600) },
        { key: "v8", metricName: "Invocations", stat: "Sum", dimensions: dims("8"), period: seconds(3600) },
      ],
      window,
    );
    const sum = (k: string) => out.get(k)?.values.reduce((a, b) => a + b, 0) ?? 0;
    expect(sum("v8")).toBeGreaterThan(0);
    expect(sum("v7") + sum("v8")).toBe(sum("alias"));
  });

  it("maps a throttled request to Throttled", async () => {
    sb.setFaults({ monitoring: { throttleRate: 1 } });
    try {
      await expect(
        port.getMetricData(
          [
            {
              key: "x",
              metricName: "Invocations",
              stat: "Sum",
              dimensions: { kind: "region" },
              period: seconds(60),
            },
          ],
          window,
        ),
      ).rejects.toMatchObject({ code: "Throttled" });
    } finally {
      sb.setFaults({});
    }
  });
});
