/**
 * The trigger metrics over HTTP: the same GetMetricData queries through the SDK (awsJson1_0) and the `aws` CLI
 * (botocore) must agree datapoint for datapoint, and say what the planted triggers imply — clickstream-consumer
 * falling hours behind, thumbnail-async dropping about 4 % of its events, the Kinesis mapping (found with
 * `aws lambda list-event-source-mappings`) counting batches of 100.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import { awsCliJson } from "../support/awscli";
import { TEST_CREDENTIALS, TEST_NOW, startTestSandbox } from "../support/sandbox";

const HOUR = 3_600_000;
const WINDOW = { start: TEST_NOW - 8 * HOUR, end: TEST_NOW };

let sb: Sandbox;
let cw: CloudWatchClient;
let kinesisUuid: string;

beforeAll(async () => {
  sb = await startTestSandbox({ functionsPerRegion: 20, regions: ["us-east-1"] });
  cw = new CloudWatchClient({
    endpoint: sb.url,
    region: "us-east-1",
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  const mappings = await awsCliJson<{ EventSourceMappings: { UUID: string; EventSourceArn: string }[] }>(
    sb.url,
    ["lambda", "list-event-source-mappings", "--function-name", "clickstream-consumer"],
  );
  expect(mappings.EventSourceMappings.map((m) => m.EventSourceArn)).toEqual([
    expect.stringMatching(/:stream\/clickstream$/),
  ]);
  kinesisUuid = mappings.EventSourceMappings[0]!.UUID;
}, 60_000);

afterAll(async () => {
  cw?.destroy();
  await sb?.close();
});

const query = (id: string, metric: string, stat: string, dims: Record<string, string>, period: number) => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: "AWS/Lambda",
      MetricName: metric,
      Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
    },
    Period: period,
    Stat: stat,
  },
});

const queries = (): MetricDataQuery[] => [
  query("ageMax", "IteratorAge", "Maximum", { FunctionName: "clickstream-consumer" }, 3600),
  query("ageAvg", "IteratorAge", "Average", { FunctionName: "clickstream-consumer" }, 3600),
  query("auditAge", "IteratorAge", "Maximum", { FunctionName: "audit-trail" }, 3600),
  query("received", "AsyncEventsReceived", "Sum", { FunctionName: "thumbnail-async" }, 8 * 3600),
  query("dropped", "AsyncEventsDropped", "Sum", { FunctionName: "thumbnail-async" }, 8 * 3600),
  query("eventAge", "AsyncEventAge", "p90", { FunctionName: "thumbnail-async" }, 8 * 3600),
  query("clickInv", "Invocations", "Sum", { FunctionName: "clickstream-consumer" }, 3600),
  query("invoked", "InvokedEventCount", "Sum", { EventSourceMappingUUID: kinesisUuid }, 3600),
  query("ordersAge", "IteratorAge", "Maximum", { FunctionName: "orders-api" }, 3600),
  query("ordersAsync", "AsyncEventsReceived", "Sum", { FunctionName: "orders-api" }, 3600),
];

type Points = Map<string, { timestamps: number[]; values: number[] }>;

async function viaSdk(): Promise<Points> {
  const out = await cw.send(
    new GetMetricDataCommand({
      MetricDataQueries: queries(),
      StartTime: new Date(WINDOW.start),
      EndTime: new Date(WINDOW.end),
      ScanBy: "TimestampAscending",
    }),
  );
  expect(out.NextToken).toBeUndefined();
  return new Map(
    (out.MetricDataResults ?? []).map((r) => [
      r.Id as string,
      { timestamps: (r.Timestamps ?? []).map((t) => t.getTime()), values: r.Values ?? [] },
    ]),
  );
}

/** CLI v1 prints timestamps as the wire has them: epoch seconds for awsJson1_0 (an ISO string otherwise). */
const cliMs = (t: number | string) => (typeof t === "number" ? t * 1000 : Date.parse(t));

async function viaCli(): Promise<Points> {
  const out = await awsCliJson<{
    MetricDataResults: { Id: string; Timestamps: (number | string)[]; Values: number[] }[];
  }>(sb.url, [
    "cloudwatch",
    "get-metric-data",
    "--start-time",
    new Date(WINDOW.start).toISOString(),
    "--end-time",
    new Date(WINDOW.end).toISOString(),
    "--scan-by",
    "TimestampAscending",
    "--metric-data-queries",
    JSON.stringify(queries()),
  ]);
  return new Map(
    out.MetricDataResults.map((r) => [r.Id, { timestamps: r.Timestamps.map(cliMs), values: r.Values }]),
  );
}

describe("trigger metrics through the SDK and the aws CLI", () => {
  let sdk: Points;
  beforeAll(async () => {
    sdk = await viaSdk();
  }, 120_000);

  it("agree datapoint for datapoint", async () => {
    const cli = await viaCli();
    expect([...cli.keys()].sort()).toEqual([...sdk.keys()].sort());
    for (const [id, points] of sdk) expect(cli.get(id), id).toEqual(points);
  }, 120_000);

  it("show clickstream-consumer falling behind for the last 6 h, hour after hour", () => {
    const max = sdk.get("ageMax")!.values;
    const avg = sdk.get("ageAvg")!.values;
    expect(max).toHaveLength(8);
    expect(max[0]).toBeLessThan(5_000);
    for (let i = 3; i < 8; i++) expect(max[i]).toBeGreaterThan(max[i - 1]!);
    expect(max[7]).toBeGreaterThan(4.5 * HOUR);
    avg.forEach((a, i) => expect(a).toBeLessThanOrEqual(max[i]!));
    // Past the Advisor's 2 h threshold; the healthy DynamoDB consumer stays within seconds.
    expect(Math.max(...sdk.get("auditAge")!.values)).toBeLessThan(60_000);
  });

  it("show thumbnail-async dropping about 4 % of what it receives", () => {
    const received = sdk.get("received")!.values[0]!;
    const dropped = sdk.get("dropped")!.values[0]!;
    expect(received).toBeGreaterThan(1_000);
    expect(dropped / received).toBeGreaterThan(0.03);
    expect(dropped / received).toBeLessThan(0.055);
    expect(sdk.get("eventAge")!.values[0]).toBeLessThan(1_000);
  });

  it("count the Kinesis mapping's full batches under its UUID", () => {
    const invocations = sdk.get("clickInv")!;
    const invoked = sdk.get("invoked")!;
    expect(invoked.timestamps).toEqual(invocations.timestamps);
    // Behind, every poll is a full batch of 100 (the last 6 hours).
    for (let i = 2; i < 8; i++) expect(invoked.values[i]).toBe(invocations.values[i]! * 100);
  });

  it("have no datapoints for a function without such sources", () => {
    expect(sdk.get("ordersAge")!.values).toEqual([]);
    expect(sdk.get("ordersAsync")!.values).toEqual([]);
  });
});

describe("ListMetrics", () => {
  it("names the mapping's series by its UUID, through the SDK and the CLI alike", async () => {
    const sdk = await cw.send(
      new ListMetricsCommand({
        Namespace: "AWS/Lambda",
        Dimensions: [{ Name: "EventSourceMappingUUID", Value: kinesisUuid }],
      }),
    );
    const names = (sdk.Metrics ?? []).map((m) => m.MetricName).sort();
    expect(names).toEqual([
      "DroppedEventCount",
      "FailedInvokeEventCount",
      "InvokedEventCount",
      "PolledEventCount",
    ]);
    const cli = await awsCliJson<{ Metrics: { MetricName: string }[] }>(sb.url, [
      "cloudwatch",
      "list-metrics",
      "--namespace",
      "AWS/Lambda",
      "--dimensions",
      `Name=EventSourceMappingUUID,Value=${kinesisUuid}`,
    ]);
    expect(cli.Metrics.map((m) => m.MetricName).sort()).toEqual(names);
  });
});
