/**
 * Triggers and async configuration through both clients that must work against the sandbox: the `aws` CLI
 * (botocore) and @aws-sdk/client-lambda. Both read the same planted facts (sandbox/README.md, "The fleet").
 */
import {
  GetEventSourceMappingCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetFunctionRecursionConfigCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListFunctionEventInvokeConfigsCommand,
  paginateListEventSourceMappings,
  type EventSourceMappingConfiguration,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import { awsCli, awsCliJson } from "../support/awscli";
import { startTestSandbox, TEST_CREDENTIALS, TEST_NOW } from "../support/sandbox";

interface Mapping {
  UUID: string;
  EventSourceArn: string;
  FunctionArn: string;
  State: string;
  StateTransitionReason: string;
  BatchSize: number;
  ParallelizationFactor?: number;
  StartingPosition?: string;
  LastModified: number;
  FunctionResponseTypes: string[];
  MetricsConfig?: { Metrics: string[] };
  FilterCriteria?: { Filters: { Pattern: string }[] };
  DestinationConfig?: { OnFailure: { Destination?: string } };
}
interface PolicyDocument {
  Version: string;
  Id: string;
  Statement: {
    Sid: string;
    Effect: string;
    Principal: { Service: string };
    Action: string;
    Resource: string;
    Condition: { ArnLike: { "AWS:SourceArn": string }; StringEquals?: Record<string, string> };
  }[];
}

let sb: Sandbox;
let client: LambdaClient;
let accountId: string;
const cli = (...args: string[]) => awsCli(sb.url, args);
const json = <T>(...args: string[]) => awsCliJson<T>(sb.url, args);
const arn = (name: string, qualifier?: string) =>
  `arn:aws:lambda:us-east-1:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ""}`;
const sdkError = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)),
  );

beforeAll(async () => {
  sb = await startTestSandbox();
  accountId = sb.account.accountId;
  client = new LambdaClient({
    region: "us-east-1",
    endpoint: sb.url,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await sb.close();
});

describe("event source mappings via aws CLI", () => {
  it("lists clickstream-consumer's Kinesis mapping by name and by ARN, and gets it by UUID", async () => {
    const byName = await json<{ EventSourceMappings: Mapping[] }>(
      "lambda",
      "list-event-source-mappings",
      "--function-name",
      "clickstream-consumer",
    );
    expect(byName.EventSourceMappings).toHaveLength(1);
    const m = byName.EventSourceMappings[0] as Mapping;
    expect(m).toMatchObject({
      EventSourceArn: `arn:aws:kinesis:us-east-1:${accountId}:stream/clickstream`,
      FunctionArn: arn("clickstream-consumer"),
      State: "Enabled",
      BatchSize: 100,
      ParallelizationFactor: 1,
      StartingPosition: "LATEST",
      MetricsConfig: { Metrics: ["EventCount"] },
    });
    // restJson1 timestamps are epoch seconds; the mapping changed before the pinned now.
    expect(m.LastModified * 1000).toBeLessThan(TEST_NOW);
    const byArn = await json<{ EventSourceMappings: Mapping[] }>(
      "lambda",
      "list-event-source-mappings",
      "--function-name",
      arn("clickstream-consumer"),
    );
    expect(byArn.EventSourceMappings).toEqual(byName.EventSourceMappings);
    const got = await json<Mapping>("lambda", "get-event-source-mapping", "--uuid", m.UUID);
    expect(got).toEqual(m);
  });

  it("shows legacy-sync's disabled queue and audit-trail's filtered DynamoDB stream", async () => {
    const legacy = await json<{ EventSourceMappings: Mapping[] }>(
      "lambda",
      "list-event-source-mappings",
      "--function-name",
      "legacy-sync",
    );
    expect(legacy.EventSourceMappings.map((m) => [m.State, m.StateTransitionReason])).toEqual([
      ["Disabled", "USER_INITIATED"],
    ]);
    expect(legacy.EventSourceMappings[0]?.StartingPosition).toBeUndefined();
    const audit = await json<{ EventSourceMappings: Mapping[] }>(
      "lambda",
      "list-event-source-mappings",
      "--function-name",
      "audit-trail",
    );
    expect(audit.EventSourceMappings[0]).toMatchObject({
      StartingPosition: "TRIM_HORIZON",
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT","MODIFY"]}' }] },
      DestinationConfig: {
        OnFailure: { Destination: `arn:aws:sqs:us-east-1:${accountId}:audit-trail-failures` },
      },
    });
  });

  it("pages every mapping of the region 2 at a time, and filters by EventSourceArn", async () => {
    const all = await json<{ EventSourceMappings: Mapping[] }>("lambda", "list-event-source-mappings");
    expect(all.EventSourceMappings.length).toBeGreaterThanOrEqual(4);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await json<{ EventSourceMappings: Mapping[]; NextToken?: string }>(
        "lambda",
        "list-event-source-mappings",
        "--max-items",
        "2",
        ...(token ? ["--starting-token", token] : []),
      );
      expect(page.EventSourceMappings.length).toBeLessThanOrEqual(2);
      seen.push(...page.EventSourceMappings.map((m) => m.UUID));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(all.EventSourceMappings.map((m) => m.UUID));
    const queue = `arn:aws:sqs:us-east-1:${accountId}:email-outbound`;
    const bySource = await json<{ EventSourceMappings: Mapping[] }>(
      "lambda",
      "list-event-source-mappings",
      "--event-source-arn",
      queue,
    );
    expect(bySource.EventSourceMappings.map((m) => m.FunctionArn)).toEqual([arn("email-sender")]);
  });

  it("refuses an unknown UUID, an unknown function and a malformed source ARN with AWS's codes", async () => {
    const uuid = await cli(
      "lambda",
      "get-event-source-mapping",
      "--uuid",
      "00000000-0000-4000-8000-000000000000",
    );
    expect(uuid.ok ? "ok" : [uuid.code, uuid.errorCode]).toEqual([255, "ResourceNotFoundException"]);
    expect(uuid.ok ? "" : uuid.stderr).toContain("The resource you requested does not exist.");
    const fn = await cli("lambda", "list-event-source-mappings", "--function-name", "no-such-function");
    expect(fn.ok ? "ok" : fn.errorCode).toBe("ResourceNotFoundException");
    const bad = await cli("lambda", "list-event-source-mappings", "--event-source-arn", "not-an-arn");
    expect(bad.ok ? "ok" : bad.errorCode).toBe("ValidationException");
  });
});

describe("policy, function URL, async configuration and recursion via aws CLI", () => {
  it("prints thumbnail-async's policy as a JSON string: S3 may invoke it from the uploads bucket", async () => {
    const r = await json<{ Policy: string; RevisionId: string }>(
      "lambda",
      "get-policy",
      "--function-name",
      "thumbnail-async",
    );
    expect(typeof r.Policy).toBe("string");
    const doc = JSON.parse(r.Policy) as PolicyDocument;
    expect([doc.Version, doc.Id]).toEqual(["2012-10-17", "default"]);
    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0]).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: arn("thumbnail-async"),
      Condition: {
        StringEquals: { "AWS:SourceAccount": accountId },
        ArnLike: { "AWS:SourceArn": `arn:aws:s3:::uploads-${accountId}-us-east-1` },
      },
    });
    expect(r.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reads the push sources of orders-api, payments-api and report-generator", async () => {
    const principals = async (name: string) => {
      const r = await json<{ Policy: string }>("lambda", "get-policy", "--function-name", name);
      return (JSON.parse(r.Policy) as PolicyDocument).Statement.map((s) => s.Principal.Service);
    };
    expect(await principals("orders-api")).toEqual(["apigateway.amazonaws.com", "apigateway.amazonaws.com"]);
    expect(await principals("payments-api")).toEqual(["apigateway.amazonaws.com"]);
    expect(await principals("report-generator")).toEqual(["events.amazonaws.com"]);
  });

  it("answers 404 for a function with no policy, and for a version's policy", async () => {
    for (const args of [
      ["--function-name", "image-resizer"],
      ["--function-name", "orders-api", "--qualifier", "12"],
    ]) {
      const r = await cli("lambda", "get-policy", ...args);
      expect(r.ok ? "ok" : [r.code, r.errorCode]).toEqual([255, "ResourceNotFoundException"]);
      expect(r.ok ? "" : r.stderr).toContain("The resource you requested does not exist.");
    }
  });

  it("gets user-profile's function URL; none elsewhere; a version number is not a URL qualifier", async () => {
    const url = await json<Record<string, unknown>>(
      "lambda",
      "get-function-url-config",
      "--function-name",
      "user-profile",
    );
    expect(url).toMatchObject({
      AuthType: "AWS_IAM",
      InvokeMode: "BUFFERED",
      FunctionArn: arn("user-profile"),
    });
    expect(url.FunctionUrl).toMatch(/^https:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws\/$/);
    expect(Date.parse(String(url.CreationTime))).toBeLessThan(TEST_NOW);
    const none = await cli("lambda", "get-function-url-config", "--function-name", "orders-api");
    expect(none.ok ? "ok" : none.errorCode).toBe("ResourceNotFoundException");
    const version = await cli(
      "lambda",
      "get-function-url-config",
      "--function-name",
      "user-profile",
      "--qualifier",
      "4",
    );
    expect(version.ok ? "ok" : version.errorCode).toBe("ValidationException");
  });

  it("gets thumbnail-async's async config (no retries, no destinations) and report-generator's DLQ instead", async () => {
    const cfg = await json<Record<string, unknown>>(
      "lambda",
      "get-function-event-invoke-config",
      "--function-name",
      "thumbnail-async",
    );
    expect(cfg).toMatchObject({
      FunctionArn: arn("thumbnail-async", "$LATEST"),
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnSuccess: {}, OnFailure: {} },
    });
    const list = await json<{ FunctionEventInvokeConfigs: unknown[] }>(
      "lambda",
      "list-function-event-invoke-configs",
      "--function-name",
      "thumbnail-async",
    );
    expect(list.FunctionEventInvokeConfigs).toEqual([cfg]);
    const none = await cli(
      "lambda",
      "get-function-event-invoke-config",
      "--function-name",
      "report-generator",
    );
    expect(none.ok ? "ok" : none.errorCode).toBe("ResourceNotFoundException");
    expect(none.ok ? "" : none.stderr).toContain(
      `The function ${arn("report-generator", "$LATEST")} doesn't have an EventInvokeConfig`,
    );
    const dlq = await json<{ DeadLetterConfig?: { TargetArn: string } }>(
      "lambda",
      "get-function-configuration",
      "--function-name",
      "report-generator",
    );
    expect(dlq.DeadLetterConfig).toEqual({
      TargetArn: `arn:aws:sqs:us-east-1:${accountId}:report-generator-dlq`,
    });
  });

  it("reads the recursion config: Allow on thumbnail-async, AWS's default Terminate elsewhere", async () => {
    const get = (name: string) =>
      json<{ RecursiveLoop: string }>("lambda", "get-function-recursion-config", "--function-name", name);
    expect(await get("thumbnail-async")).toEqual({ RecursiveLoop: "Allow" });
    expect(await get("image-resizer")).toEqual({ RecursiveLoop: "Terminate" });
    const missing = await cli(
      "lambda",
      "get-function-recursion-config",
      "--function-name",
      "no-such-function",
    );
    expect(missing.ok ? "ok" : missing.errorCode).toBe("ResourceNotFoundException");
  });
});

describe("the same facts via @aws-sdk/client-lambda", () => {
  it("pages the mappings with the SDK paginator to what the CLI lists", async () => {
    const sdk: EventSourceMappingConfiguration[] = [];
    for await (const page of paginateListEventSourceMappings({ client, pageSize: 2 }, {}))
      sdk.push(...(page.EventSourceMappings ?? []));
    const viaCli = await json<{ EventSourceMappings: Mapping[] }>("lambda", "list-event-source-mappings");
    expect(sdk.map((m) => m.UUID)).toEqual(viaCli.EventSourceMappings.map((m) => m.UUID));
    const email = sdk.find((m) => m.FunctionArn === arn("email-sender"));
    expect(email).toMatchObject({ State: "Enabled", BatchSize: 10, FunctionResponseTypes: [] });
    // The SDK parses restJson1 epoch seconds into a Date.
    expect(email?.LastModified).toBeInstanceOf(Date);
    const one = await client.send(new GetEventSourceMappingCommand({ UUID: email?.UUID }));
    expect(one.EventSourceArn).toBe(`arn:aws:sqs:us-east-1:${accountId}:email-outbound`);
  });

  it("reads the policy, URL, async config, DLQ and recursion config", async () => {
    const policy = await client.send(new GetPolicyCommand({ FunctionName: "report-generator" }));
    const doc = JSON.parse(policy.Policy ?? "{}") as PolicyDocument;
    expect(doc.Statement[0]?.Condition.ArnLike["AWS:SourceArn"]).toBe(
      `arn:aws:events:us-east-1:${accountId}:rule/nightly-reports`,
    );
    const url = await client.send(new GetFunctionUrlConfigCommand({ FunctionName: arn("user-profile") }));
    expect([url.AuthType, url.InvokeMode, url.Cors?.AllowOrigins]).toEqual([
      "AWS_IAM",
      "BUFFERED",
      ["https://app.example.com"],
    ]);
    const cfg = await client.send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: "thumbnail-async" }),
    );
    expect([cfg.MaximumRetryAttempts, cfg.DestinationConfig?.OnFailure?.Destination]).toEqual([0, undefined]);
    expect(cfg.LastModified).toBeInstanceOf(Date);
    const listed = await client.send(
      new ListFunctionEventInvokeConfigsCommand({ FunctionName: "image-resizer" }),
    );
    expect(listed.FunctionEventInvokeConfigs).toEqual([]);
    const conf = await client.send(new GetFunctionConfigurationCommand({ FunctionName: "report-generator" }));
    expect(conf.DeadLetterConfig?.TargetArn).toBe(`arn:aws:sqs:us-east-1:${accountId}:report-generator-dlq`);
    const rec = await client.send(new GetFunctionRecursionConfigCommand({ FunctionName: "thumbnail-async" }));
    expect(rec.RecursiveLoop).toBe("Allow");
  });

  it("maps the not-found answers to ResourceNotFoundException", async () => {
    expect(await sdkError(client.send(new GetPolicyCommand({ FunctionName: "image-resizer" })))).toBe(
      "ResourceNotFoundException: The resource you requested does not exist.",
    );
    expect(
      await sdkError(client.send(new GetFunctionUrlConfigCommand({ FunctionName: "image-resizer" }))),
    ).toMatch(/^ResourceNotFoundException/);
    expect(
      await sdkError(
        client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "report-generator" })),
      ),
    ).toBe(
      `ResourceNotFoundException: The function ${arn("report-generator", "$LATEST")} doesn't have an EventInvokeConfig`,
    );
    expect(await sdkError(client.send(new GetEventSourceMappingCommand({ UUID: "nope" })))).toMatch(
      /^ResourceNotFoundException/,
    );
    expect(
      await sdkError(
        client.send(new GetFunctionRecursionConfigCommand({ FunctionName: "no-such-function" })),
      ),
    ).toBe(`ResourceNotFoundException: Function not found: ${arn("no-such-function")}`);
  });
});
