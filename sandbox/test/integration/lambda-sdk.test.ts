/** @aws-sdk/client-lambda against the sandbox (endpoint = sandbox URL): the path the console takes. */
import {
  GetAccountSettingsCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListProvisionedConcurrencyConfigsCommand,
  ListTagsCommand,
  UpdateAliasCommand,
  paginateListAliases,
  paginateListFunctions,
  paginateListVersionsByFunction,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import { startTestSandbox, TEST_CREDENTIALS, TEST_NOW } from "../support/sandbox";

let sb: Sandbox;
let client: LambdaClient;
const errorName = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof Error ? e.name : String(e)),
  );

beforeAll(async () => {
  sb = await startTestSandbox({ functionsPerRegion: 120 });
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

describe("lambda via the SDK", () => {
  it("paginates ListFunctions (default 50 per page) and ListFunctions ALL", async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListFunctions({ client }, {})) {
      pages++;
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ""));
    }
    expect(pages).toBe(3);
    expect(names).toHaveLength(120);
    expect(new Set(names).size).toBe(120);
    expect(names).toEqual([...names].sort());
    let versions = 0;
    for await (const page of paginateListFunctions({ client, pageSize: 33 }, { FunctionVersion: "ALL" }))
      versions += page.Functions?.length ?? 0;
    const expected = [...(sb.account.regions.get("us-east-1")?.functions.values() ?? [])].reduce(
      (s, f) => s + 1 + f.versions.length,
      0,
    );
    expect(versions).toBe(expected);
  });

  it("paginates versions and aliases", async () => {
    const versions: string[] = [];
    for await (const page of paginateListVersionsByFunction(
      { client, pageSize: 4 },
      { FunctionName: "orders-api" },
    ))
      versions.push(...(page.Versions ?? []).map((v) => v.Version ?? ""));
    expect(versions).toHaveLength(14);
    const aliases: string[] = [];
    for await (const page of paginateListAliases({ client, pageSize: 1 }, { FunctionName: "payments-api" }))
      aliases.push(...(page.Aliases ?? []).map((a) => a.Name ?? ""));
    expect(aliases).toContain("live");
  });

  it("reads configuration fields with AWS's formats", async () => {
    const got = await client.send(new GetFunctionCommand({ FunctionName: "webhook-ingest" }));
    expect(got.Concurrency?.ReservedConcurrentExecutions).toBe(5);
    const c = got.Configuration;
    expect(c?.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(c?.State).toBe("Active");
    expect(c?.LoggingConfig?.LogGroup).toBe("/aws/lambda/webhook-ingest");
    const v8 = await client.send(
      new GetFunctionConfigurationCommand({ FunctionName: "payments-api", Qualifier: "8" }),
    );
    expect(v8.Version).toBe("8");
    const mismatch = client.send(
      new GetFunctionConfigurationCommand({ FunctionName: "payments-api:7", Qualifier: "8" }),
    );
    expect(await errorName(mismatch)).toBe("InvalidParameterValueException");
    expect(
      await errorName(
        client.send(new GetFunctionConfigurationCommand({ FunctionName: "payments-api", Qualifier: "99" })),
      ),
    ).toBe("ResourceNotFoundException");
    expect(await errorName(client.send(new GetFunctionCommand({ FunctionName: "nope" })))).toBe(
      "ResourceNotFoundException",
    );
  });

  it("shifts traffic with UpdateAlias from the next minute, with optimistic locking", async () => {
    const fn = sb.account.regions.get("us-east-1")?.functions.get("payments-api");
    const before = await client.send(new GetAliasCommand({ FunctionName: "payments-api", Name: "live" }));
    const rolledBack = await client.send(
      new UpdateAliasCommand({
        FunctionName: "payments-api",
        Name: "live",
        RoutingConfig: { AdditionalVersionWeights: {} },
        RevisionId: before.RevisionId,
      }),
    );
    expect(rolledBack.RoutingConfig).toBeUndefined();
    expect(rolledBack.FunctionVersion).toBe("7");
    const last = fn?.aliases.find((a) => a.name === "live")?.history.at(-1);
    expect(last).toEqual({ fromMs: TEST_NOW + 60_000, functionVersion: "7", additional: null });
    const stale = client.send(
      new UpdateAliasCommand({
        FunctionName: "payments-api",
        Name: "live",
        FunctionVersion: "8",
        RevisionId: before.RevisionId,
      }),
    );
    expect(await errorName(stale)).toBe("PreconditionFailedException");
    const missing = client.send(
      new UpdateAliasCommand({ FunctionName: "payments-api", Name: "nope", FunctionVersion: "8" }),
    );
    expect(await errorName(missing)).toBe("ResourceNotFoundException");
  });

  it("answers account settings, concurrency, provisioned concurrency and tags", async () => {
    const s = await client.send(new GetAccountSettingsCommand({}));
    expect(s.AccountLimit?.ConcurrentExecutions).toBe(1000);
    expect(s.AccountUsage?.FunctionCount).toBe(120);
    const none = await client.send(new GetFunctionConcurrencyCommand({ FunctionName: "checkout-api" }));
    expect(none.ReservedConcurrentExecutions).toBeUndefined();
    const pc = await client.send(
      new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "checkout-api" }),
    );
    expect(pc.ProvisionedConcurrencyConfigs?.[0]?.RequestedProvisionedConcurrentExecutions).toBe(50);
    const tags = await client.send(
      new ListTagsCommand({
        Resource: `arn:aws:lambda:us-east-1:${sb.account.accountId}:function:checkout-api`,
      }),
    );
    expect(tags.Tags?.env).toBe("prod");
  });

  it("rejects regions the account lacks and counts operations", async () => {
    const other = new LambdaClient({
      region: "af-south-1",
      endpoint: sb.url,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    expect(await errorName(other.send(new GetAccountSettingsCommand({})))).toBe(
      "UnrecognizedClientException",
    );
    other.destroy();
    sb.resetStats();
    await client.send(new GetAccountSettingsCommand({}));
    await client.send(new GetAccountSettingsCommand({}));
    expect(sb.stats()).toEqual({ "lambda.GetAccountSettings": 2 });
  });

  it("injects 5xx faults per operation, deterministically", async () => {
    sb.setFaults({ lambda: { operations: { GetAccountSettings: { errorRate: 1 } } } });
    try {
      expect(await errorName(client.send(new GetAccountSettingsCommand({})))).toBe("ServiceException");
      expect(
        await errorName(client.send(new GetFunctionConcurrencyCommand({ FunctionName: "checkout-api" }))),
      ).toBe("ok");
    } finally {
      sb.setFaults({});
    }
  });

  it("serves control endpoints and JSON errors for unknown routes", async () => {
    const health = (await (await fetch(`${sb.url}/_sandbox/health`)).json()) as {
      status: string;
      functions: number;
    };
    expect(health).toMatchObject({ status: "ok", functions: 240 });
    const set = await fetch(`${sb.url}/_sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ xray: { throttleRate: 0.5 } }),
    });
    expect(set.status).toBe(200);
    expect(await (await fetch(`${sb.url}/_sandbox/faults`)).json()).toEqual({ xray: { throttleRate: 0.5 } });
    expect(
      (
        await fetch(`${sb.url}/_sandbox/faults`, {
          method: "POST",
          body: JSON.stringify({ xray: { throttleRate: 2 } }),
        })
      ).status,
    ).toBe(400);
    sb.setFaults({});
    const auth = {
      authorization:
        "AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x",
    };
    const unknown = await fetch(`${sb.url}/2015-03-31/nonsense`, { headers: auth });
    expect(unknown.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(unknown.headers.get("content-type")).toBe("application/json");
    const noAuth = await fetch(`${sb.url}/2015-03-31/functions`);
    expect([noAuth.status, noAuth.headers.get("x-amzn-errortype")]).toEqual([
      403,
      "MissingAuthenticationTokenException",
    ]);
  });
});
