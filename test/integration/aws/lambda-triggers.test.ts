/**
 * The Lambda port's trigger and async-delivery calls against the sandbox over HTTP, each compared with the
 * `aws` CLI's answer for the same function: botocore is an independent reader of the same wire responses, so
 * agreement checks our reshaping, not a copy of it.
 */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig } from "@/lib/aws/client-config";
import { createLambdaPort, type LambdaPort, type LambdaTriggersPort } from "@/lib/aws/lambda";
import { parseEnv } from "@/lib/config/env-schema";
import { parsePolicy } from "@/lib/core/triggers/policy";
import type { Sandbox } from "@fleetscope/sandbox";
import { awsCli, awsCliJson } from "@fleetscope/sandbox/testing/awscli";
import { startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";

interface CliMapping {
  UUID: string;
  EventSourceArn: string;
  State: string;
  StateTransitionReason: string;
  BatchSize: number;
  MaximumBatchingWindowInSeconds: number;
  StartingPosition?: string;
  MaximumRetryAttempts?: number;
  MaximumRecordAgeInSeconds?: number;
  BisectBatchOnFunctionError?: boolean;
  ParallelizationFactor?: number;
  FunctionResponseTypes?: string[];
  DestinationConfig?: { OnFailure?: { Destination?: string } };
  LastModified: number | string;
  MetricsConfig?: { Metrics?: string[] };
}

let sb: Sandbox;
let client: LambdaClient;
let lambda: LambdaPort & LambdaTriggersPort;
const cli = (...args: string[]) => awsCli(sb.url, args);
const cliJson = <T>(...args: string[]) => awsCliJson<T>(sb.url, args);

/** botocore prints a timestamp as received (epoch seconds) or as ISO text, depending on its settings. */
const cliEpochMs = (t: number | string) => (typeof t === "number" ? t * 1000 : Date.parse(t));

beforeAll(async () => {
  sb = await startTestSandbox({ regions: ["us-east-1"] });
  client = new LambdaClient(
    clientConfig("us-east-1", parseEnv({ AWS_ENDPOINT_URL: sb.url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" })),
  );
  lambda = createLambdaPort(client, "us-east-1");
});

afterAll(async () => {
  client?.destroy();
  await sb?.close();
});

const cliMappings = async (name: string) =>
  (
    await cliJson<{ EventSourceMappings: CliMapping[] }>(
      "lambda",
      "list-event-source-mappings",
      "--function-name",
      name,
    )
  ).EventSourceMappings;

describe("event source mappings", () => {
  it("reads clickstream-consumer's Kinesis mapping as the CLI does", async () => {
    const [cliMapping] = await cliMappings("clickstream-consumer");
    const mappings = await lambda.listEventSourceMappings("clickstream-consumer", { pageSize: 1 });
    expect(cliMapping).toBeDefined();
    expect(mappings).toEqual([
      {
        uuid: cliMapping?.UUID,
        sourceArn: cliMapping?.EventSourceArn,
        kind: "kinesis",
        state: cliMapping?.State,
        stateReason: cliMapping?.StateTransitionReason,
        lastProcessingResult: expect.any(String),
        batchSize: 100,
        batchingWindowSeconds: cliMapping?.MaximumBatchingWindowInSeconds,
        startingPosition: cliMapping?.StartingPosition,
        filters: [],
        bisectOnError: cliMapping?.BisectBatchOnFunctionError,
        reportBatchItemFailures: false,
        onFailureDestination: null,
        maxRetries: cliMapping?.MaximumRetryAttempts,
        maxRecordAgeSeconds: cliMapping?.MaximumRecordAgeInSeconds,
        parallelizationFactor: cliMapping?.ParallelizationFactor,
        lastModified: cliEpochMs(cliMapping?.LastModified ?? NaN),
        metrics: cliMapping?.MetricsConfig?.Metrics ?? [],
      },
    ]);
    expect(mappings[0]?.sourceArn).toMatch(/:stream\/clickstream$/);
    expect(mappings[0]?.maxRetries).toBe(-1);
  });

  it("reads email-sender's SQS mapping, where the stream-only settings do not apply", async () => {
    const [cliMapping] = await cliMappings("email-sender");
    const [mapping] = await lambda.listEventSourceMappings("email-sender");
    expect(mapping).toMatchObject({
      uuid: cliMapping?.UUID,
      sourceArn: cliMapping?.EventSourceArn,
      kind: "sqs",
      batchSize: cliMapping?.BatchSize,
      reportBatchItemFailures: (cliMapping?.FunctionResponseTypes ?? []).includes("ReportBatchItemFailures"),
      startingPosition: null,
      bisectOnError: null,
      maxRetries: null,
      maxRecordAgeSeconds: null,
    });
    expect(mapping?.reportBatchItemFailures).toBe(false);
  });

  it("reads legacy-sync's mapping as disabled, with the reason the CLI shows", async () => {
    const [cliMapping] = await cliMappings("legacy-sync");
    const [mapping] = await lambda.listEventSourceMappings("legacy-sync");
    expect(cliMapping?.State).toBe("Disabled");
    expect(mapping).toMatchObject({ state: "Disabled", stateReason: cliMapping?.StateTransitionReason });
  });

  it("lists no mapping for a function without one, and NotFound for an unknown function", async () => {
    expect(await cliMappings("orders-api")).toEqual([]);
    expect(await lambda.listEventSourceMappings("orders-api")).toEqual([]);
    await expect(lambda.listEventSourceMappings("no-such-function")).rejects.toMatchObject({
      code: "NotFound",
    });
  });
});

describe("resource policy", () => {
  const cliPolicy = async (name: string) =>
    parsePolicy((await cliJson<{ Policy: string }>("lambda", "get-policy", "--function-name", name)).Policy);

  it("returns the policy text whose push sources match the CLI's (S3 on thumbnail-async, API Gateway on orders-api)", async () => {
    for (const [name, kind, count] of [
      ["thumbnail-async", "s3", 1],
      ["orders-api", "apigateway", 2],
    ] as const) {
      const text = await lambda.getPolicy(name);
      expect(text).not.toBeNull();
      const reading = parsePolicy(text ?? "");
      expect(reading).toEqual(await cliPolicy(name));
      expect(reading.readable && reading.sources.map((s) => s.kind)).toEqual(Array(count).fill(kind));
      expect(reading.readable && reading.sources.every((s) => s.sourceArn !== null)).toBe(true);
    }
  });

  it("answers null where the CLI gets ResourceNotFoundException (no policy)", async () => {
    const r = await cli("lambda", "get-policy", "--function-name", "user-profile");
    expect(r.ok ? null : r.errorCode).toBe("ResourceNotFoundException");
    expect(await lambda.getPolicy("user-profile")).toBeNull();
  });
});

describe("function URL", () => {
  it("reads user-profile's URL, auth, invoke mode and CORS as the CLI does", async () => {
    const raw = await cliJson<{
      FunctionUrl: string;
      AuthType: string;
      InvokeMode: string;
      Cors: { AllowOrigins: string[]; AllowMethods: string[]; AllowCredentials: boolean; MaxAge: number };
    }>("lambda", "get-function-url-config", "--function-name", "user-profile");
    const url = await lambda.getFunctionUrlConfig("user-profile");
    expect(url).toMatchObject({
      url: raw.FunctionUrl,
      authType: raw.AuthType,
      invokeMode: raw.InvokeMode,
      cors: {
        allowOrigins: raw.Cors.AllowOrigins,
        allowMethods: raw.Cors.AllowMethods,
        allowCredentials: raw.Cors.AllowCredentials,
        maxAgeSeconds: raw.Cors.MaxAge,
      },
    });
    expect(url?.cors?.allowOrigins).toEqual(["https://app.example.com"]);
  });

  it("answers null for a function without a URL", async () => {
    const r = await cli("lambda", "get-function-url-config", "--function-name", "orders-api");
    expect(r.ok ? null : r.errorCode).toBe("ResourceNotFoundException");
    expect(await lambda.getFunctionUrlConfig("orders-api")).toBeNull();
  });
});

describe("async delivery and recursion", () => {
  it("reads thumbnail-async's event invoke config (no retries, no destinations) as the CLI does", async () => {
    const raw = await cliJson<{
      MaximumRetryAttempts: number;
      MaximumEventAgeInSeconds: number;
      DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
    }>("lambda", "get-function-event-invoke-config", "--function-name", "thumbnail-async");
    expect(await lambda.getFunctionEventInvokeConfig("thumbnail-async")).toEqual({
      maxRetries: raw.MaximumRetryAttempts,
      maxEventAgeSeconds: raw.MaximumEventAgeInSeconds,
      onSuccess: raw.DestinationConfig?.OnSuccess?.Destination ?? null,
      onFailure: raw.DestinationConfig?.OnFailure?.Destination ?? null,
    });
    expect(raw.MaximumRetryAttempts).toBe(0);
  });

  it("answers null for a function without an event invoke config", async () => {
    const r = await cli("lambda", "get-function-event-invoke-config", "--function-name", "orders-api");
    expect(r.ok ? null : r.errorCode).toBe("ResourceNotFoundException");
    expect(await lambda.getFunctionEventInvokeConfig("orders-api")).toBeNull();
  });

  it("reads the recursion setting: Allow on thumbnail-async, Terminate elsewhere", async () => {
    for (const name of ["thumbnail-async", "legacy-sync"]) {
      const raw = await cliJson<{ RecursiveLoop: string }>(
        "lambda",
        "get-function-recursion-config",
        "--function-name",
        name,
      );
      expect(await lambda.getFunctionRecursionConfig(name)).toBe(raw.RecursiveLoop);
    }
    expect(await lambda.getFunctionRecursionConfig("thumbnail-async")).toBe("Allow");
    expect(await lambda.getFunctionRecursionConfig("legacy-sync")).toBe("Terminate");
  });

  it("carries the dead-letter queue in the configuration, null without one", async () => {
    const raw = await cliJson<{ DeadLetterConfig?: { TargetArn?: string } }>(
      "lambda",
      "get-function-configuration",
      "--function-name",
      "report-generator",
    );
    expect(raw.DeadLetterConfig?.TargetArn).toMatch(/^arn:aws:sqs:/);
    expect((await lambda.getFunctionConfiguration("report-generator")).deadLetterTarget).toBe(
      raw.DeadLetterConfig?.TargetArn,
    );
    expect((await lambda.getFunctionConfiguration("thumbnail-async")).deadLetterTarget).toBeNull();
  });

  it("abandons a call when its signal aborts", async () => {
    await expect(
      lambda.getFunctionRecursionConfig("thumbnail-async", { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: "Timeout" });
  });
});
