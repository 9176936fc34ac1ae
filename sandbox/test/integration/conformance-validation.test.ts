/**
 * Request validation answers in AWS's codes and "N validation error(s) detected" wording, never the schema
 * library's, through the SDK: Lambda ValidationException, CloudWatch ValidationError / MissingParameter, Logs
 * InvalidParameterException, X-Ray InvalidRequestException.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient, ListFunctionsCommand, UpdateAliasCommand } from "@aws-sdk/client-lambda";
import { GetTraceSummariesCommand, XRayClient } from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import { startTestSandbox, TEST_CREDENTIALS, TEST_NOW } from "../support/sandbox";

const REGION = "us-east-1";
let sandbox: Sandbox;
let client: { endpoint: string; region: string; credentials: typeof TEST_CREDENTIALS; maxAttempts: number };

beforeAll(async () => {
  sandbox = await startTestSandbox({ functionsPerRegion: 20, regions: [REGION] });
  client = { endpoint: sandbox.url, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
});
afterAll(async () => {
  await sandbox.close();
});

/** The rejected error's name, code, status and message. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: { name: string; Code?: string; message: string; $metadata: { httpStatusCode?: number } }) => ({
      name: e.name,
      code: e.Code,
      status: e.$metadata.httpStatusCode,
      message: e.message,
    }),
  );

describe("AWS's validation wording", () => {
  it("Lambda: MaxItems over 10000 and an UpdateAlias weight of the wrong type", async () => {
    const lambda = new LambdaClient(client);
    expect(await failure(lambda.send(new ListFunctionsCommand({ MaxItems: 10_001 })))).toMatchObject({
      name: "ValidationException",
      status: 400,
      message:
        "1 validation error detected: Value '10001' at 'maxItems' failed to satisfy constraint: " +
        "Member must have value less than or equal to 10000",
    });
    const tooLong = "d".repeat(257);
    expect(
      await failure(
        lambda.send(
          new UpdateAliasCommand({ FunctionName: "orders-api", Name: "live", Description: tooLong }),
        ),
      ),
    ).toMatchObject({
      name: "ValidationException",
      message: `1 validation error detected: Value '${tooLong}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256`,
    });
    lambda.destroy();
  });

  it("CloudWatch: MaxRecords over 100 is a ValidationError", async () => {
    const cw = new CloudWatchClient(client);
    expect(await failure(cw.send(new DescribeAlarmsCommand({ MaxRecords: 101 })))).toMatchObject({
      name: "ValidationException",
      code: "ValidationError",
      message:
        "1 validation error detected: Value '101' at 'maxRecords' failed to satisfy constraint: " +
        "Member must have value less than or equal to 100",
    });
    cw.destroy();
  });

  it("Logs: limit 0 is an InvalidParameterException", async () => {
    const logs = new CloudWatchLogsClient(client);
    expect(
      await failure(
        logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/orders-api", limit: 0 })),
      ),
    ).toMatchObject({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: " +
        "Member must have value greater than or equal to 1",
    });
    logs.destroy();
  });

  it("X-Ray: a sampling rate over 1 is an InvalidRequestException", async () => {
    const xray = new XRayClient(client);
    expect(
      await failure(
        xray.send(
          new GetTraceSummariesCommand({
            StartTime: new Date(TEST_NOW - 60_000),
            EndTime: new Date(TEST_NOW),
            SamplingStrategy: { Name: "FixedRate", Value: 2 },
          }),
        ),
      ),
    ).toMatchObject({
      name: "InvalidRequestException",
      message:
        "1 validation error detected: Value '2' at 'samplingStrategy.value' failed to satisfy constraint: " +
        "Member must have value less than or equal to 1",
    });
    xray.destroy();
  });
});
