/**
 * Error variety in the sandbox's logs (contract C2), through the SDK over HTTP: what Logs Insights finds in the log
 * lines agrees with what CloudWatch counts. payments-api's PaymentDeclinedError lines come only from its canary
 * (version 8, `[8]` log streams) and never outnumber version 8's Errors metric; audit-trail's Powertools ERROR
 * lines are handled errors, so its Errors metric counts exactly its failed requests and none of them.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  type ResultField,
} from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import { startTestSandbox, TEST_CREDENTIALS, TEST_NOW } from "../support/sandbox";

const REGION = "us-east-1";
const MIN = 60_000;
/** Settled, after payments-api's shift to 8 began (3 h before now), whole minutes. */
const FROM = TEST_NOW - 150 * MIN;
const TO = TEST_NOW - 20 * MIN;

let sandbox: Sandbox;
let logs: CloudWatchLogsClient;
let metrics: CloudWatchClient;

beforeAll(async () => {
  sandbox = await startTestSandbox({ regions: [REGION] });
  const client = { endpoint: sandbox.url, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  logs = new CloudWatchLogsClient(client);
  metrics = new CloudWatchClient(client);
});

afterAll(async () => {
  logs.destroy();
  metrics.destroy();
  await sandbox.close();
});

/** Rows of one Insights query over [fromMs, toMs) (Insights' endTime is an inclusive second). */
async function insights(group: string, queryString: string, fromMs = FROM, toMs = TO) {
  const { queryId } = await logs.send(
    new StartQueryCommand({
      logGroupNames: [group],
      startTime: fromMs / 1000,
      endTime: toMs / 1000 - 1,
      queryString,
      limit: 10_000,
    }),
  );
  for (let polls = 0; polls < 1_000; polls++) {
    const out = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (out.status === "Complete") {
      return (out.results ?? []).map((row: ResultField[]) =>
        Object.fromEntries(row.map((f) => [f.field ?? "", f.value ?? ""])),
      );
    }
    expect(["Scheduled", "Running"]).toContain(out.status);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("query did not complete");
}

/** The Errors metric's sum over [fromMs, toMs) for one dimension set, in one period. */
async function errorsSum(dimensions: Record<string, string>, fromMs = FROM, toMs = TO): Promise<number> {
  const out = await metrics.send(
    new GetMetricDataCommand({
      StartTime: new Date(fromMs),
      EndTime: new Date(toMs),
      MetricDataQueries: [
        {
          Id: "errors",
          MetricStat: {
            Metric: {
              Namespace: "AWS/Lambda",
              MetricName: "Errors",
              Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
            },
            Period: (toMs - fromMs) / 1000,
            Stat: "Sum",
          },
        },
      ],
    }),
  );
  return (out.MetricDataResults?.[0]?.Values ?? []).reduce((s, v) => s + v, 0);
}

describe("payments-api: the canary's PaymentDeclinedError", () => {
  it("comes from version 8's log streams only, never more often than version 8's Errors metric", async () => {
    const lines = await insights(
      "/aws/lambda/payments-api",
      "filter @message like /PaymentDeclinedError/ | fields @logStream, @message",
    );
    const v8 = { FunctionName: "payments-api", Resource: "payments-api:live", ExecutedVersion: "8" };
    // A line is written at the handler's end, the metric counts at the request's start: one minute of slack.
    const errors8 = await errorsSum(v8, FROM - MIN, TO);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.length).toBeLessThanOrEqual(errors8);
    // It is most of the canary's errors (90 % of them), not a side note.
    expect(lines.length).toBeGreaterThan(0.75 * (await errorsSum(v8)));
    for (const l of lines) expect(l["@logStream"]).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[8\][0-9a-f]{32}$/);
    // One line per failed request (Node's `<time>\t<request id>\tERROR\tInvoke Error` line).
    const requestIds = lines.map((l) => l["@message"]!.split("\t")[1]);
    expect(new Set(requestIds).size).toBe(lines.length);
  });

  it("carries different ids in one message shape", async () => {
    const rows = await insights(
      "/aws/lambda/payments-api",
      "filter @message like /PaymentDeclinedError/ | parse @message /Charge (?<charge>ch_\\w+) declined for customer (?<customer>cus_\\w+) \\(code: (?<code>\\w+)\\)/ | stats count(*) as n, count_distinct(charge) as charges by code",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.code).toBe("card_declined");
    expect(Number(rows[0]!.charges)).toBe(Number(rows[0]!.n));
  });

  it("is not version 7's: its errors stay the generic Node ones", async () => {
    const v7 = { FunctionName: "payments-api", Resource: "payments-api:live", ExecutedVersion: "7" };
    const generic = await insights(
      "/aws/lambda/payments-api",
      'filter @message like /Invoke Error/ and @logStream like "[7]" | fields @message',
    );
    expect(generic.length).toBeLessThanOrEqual(await errorsSum(v7, FROM - MIN, TO));
    expect(generic.length).toBeGreaterThan(0);
    for (const g of generic) expect(g["@message"]).not.toContain("PaymentDeclinedError");
  });
});

describe("audit-trail: Powertools ERROR lines are handled errors", () => {
  const GROUP = "/custom/audit-trail";

  it("logs them, and its Errors metric counts only the failed requests", async () => {
    const handled = await insights(
      GROUP,
      'filter level = "ERROR" and ispresent(exception_name) | fields function_request_id, exception_name, location',
    );
    expect(handled.length).toBeGreaterThan(20);
    const failed = await insights(
      GROUP,
      'filter type = "platform.report" and record.status != "success" | fields record.requestId',
    );
    expect(failed.length).toBeGreaterThan(0);
    const failedIds = new Set(failed.map((f) => f["record.requestId"]));
    for (const h of handled) expect(failedIds.has(h.function_request_id!)).toBe(false);
    // Failures by their report lines ≤ the metric (one minute of slack at the start: lines come at the end) ≤
    // failures plus what could straddle that minute, and never the handled lines on top.
    const errors = await errorsSum({ FunctionName: "audit-trail" }, FROM - MIN, TO);
    const errorsInside = await errorsSum({ FunctionName: "audit-trail" });
    expect(failed.length).toBeLessThanOrEqual(errors);
    expect(errorsInside).toBeLessThanOrEqual(failed.length);
    expect(errors).toBeLessThan(handled.length);
  });

  it("writes the JSON platform records around each request", async () => {
    const rows = await insights(GROUP, "filter ispresent(type) | stats count(*) as n by type");
    const n = Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
    expect(n["platform.runtimeDone"]).toBeGreaterThan(0);
    // One runtimeDone per report (runtimeDone when the runtime is done, the report after its overhead); every
    // cold start's init reported.
    expect(n["platform.runtimeDone"]).toBe(n["platform.report"]);
    expect(n["platform.start"]).toBeGreaterThanOrEqual(n["platform.report"]! - 1);
    expect(n["platform.initReport"]).toBeGreaterThan(0);
    expect(n["platform.initReport"]).toBe(n["platform.initRuntimeDone"]);
    expect(Math.abs(n["platform.initReport"]! - n["platform.initStart"]!)).toBeLessThanOrEqual(1);
  });
});
