/**
 * The Lambda adapter against the sandbox over real HTTP and the real SDK client: paging, qualifiers, the
 * reshaping into domain types, and error codes. The sandbox is an independent implementation, so agreement
 * here checks our reading of the AWS API, not a mock of it.
 */
import { LambdaClient, ListAliasesCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig } from "@/lib/aws/client-config";
import { createLambdaPort, parseLambdaTimestamp, type LambdaPort } from "@/lib/aws/lambda";
import { parseEnv } from "@/lib/config/env-schema";
import { ratio } from "@/lib/core/units";
import { startSandbox, type Sandbox } from "@fleetscope/sandbox";

let sandbox: Sandbox;
let client: LambdaClient;
let lambda: LambdaPort;
let requests: string[];

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    seed: 11,
    functionsPerRegion: 120,
    regions: ["us-east-1", "eu-west-1"],
  });
  // Built exactly as the console builds it: loopback endpoint, nothing configured → sandbox credentials.
  const config = clientConfig(
    "us-east-1",
    parseEnv({ AWS_ENDPOINT_URL: sandbox.url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" }),
  );
  client = new LambdaClient(config);
  requests = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { path?: string; query?: Record<string, unknown> };
      requests.push(
        `${req.path ?? ""}?${new URLSearchParams(req.query as Record<string, string>).toString()}`,
      );
      return next(args);
    },
    { step: "finalizeRequest", name: "recordRequests" },
  );
  lambda = createLambdaPort(client, "us-east-1");
});

afterAll(async () => {
  client?.destroy();
  await sandbox?.close();
});

describe("Lambda adapter against the sandbox", () => {
  it("pages through every function with small pages", async () => {
    requests.length = 0;
    const functions = await lambda.listFunctions({ pageSize: 7 });
    const expected = sandbox.account.regions.get("us-east-1")?.functions.size ?? 0;
    expect(expected).toBeGreaterThanOrEqual(120);
    expect(functions).toHaveLength(expected);
    expect(new Set(functions.map((f) => f.name)).size).toBe(expected);
    expect(functions.every((f) => f.version === "$LATEST" && f.region === "us-east-1")).toBe(true);
    const pages = requests.filter((r) => r.includes("/functions"));
    expect(pages.length).toBe(Math.ceil(expected / 7));
    expect(pages.slice(1).every((p) => p.includes("Marker="))).toBe(true);
  });

  it("lists published versions too with FunctionVersion=ALL", async () => {
    const all = await lambda.listFunctions({ allVersions: true, pageSize: 50 });
    const payments = all.filter((f) => f.name === "payments-api");
    const sim = sandbox.account.regions.get("us-east-1")?.functions.get("payments-api");
    expect(payments.map((f) => f.version).sort()).toEqual(
      ["$LATEST", ...(sim?.versions.map((v) => v.version) ?? [])].sort(),
    );
  });

  it("reshapes one function into the domain type", async () => {
    const sim = sandbox.account.regions.get("us-east-1")?.functions.get("payments-api");
    const { config, tags, reservedConcurrency } = await lambda.getFunction("payments-api");
    expect(config.name).toBe("payments-api");
    expect(config.runtime).toBe(sim?.latest.runtime);
    expect(config.memory).toBe(sim?.latest.memorySize);
    expect(config.timeout).toBe(sim?.latest.timeout);
    expect(config.codeSize).toBe(sim?.latest.codeSize);
    expect(config.architecture).toBe(sim?.latest.architecture);
    expect(config.logGroup).toBe(sim?.logGroup);
    expect(config.lastModified).toBe(sim?.latest.lastModifiedMs);
    expect(tags).toEqual(sim?.tags);
    expect(reservedConcurrency).toBe(sim?.reservedConcurrency ?? null);
  });

  it("reads a qualified configuration and all versions with paging", async () => {
    const sim = sandbox.account.regions.get("us-east-1")?.functions.get("payments-api");
    const first = sim?.versions[0];
    expect(first).toBeDefined();
    const v = await lambda.getFunctionConfiguration("payments-api", first?.version);
    expect(v.version).toBe(first?.version);
    expect(v.codeSha256).toBe(first?.codeSha256);
    const versions = await lambda.listVersions("payments-api", { pageSize: 2 });
    expect(versions.map((x) => x.version)).toEqual([
      "$LATEST",
      ...(sim?.versions.map((x) => x.version) ?? []),
    ]);
  });

  it("reads aliases with routing weights exactly as the raw API reports them", async () => {
    const aliases = await lambda.listAliases("payments-api", { pageSize: 1 });
    const raw = await client.send(new ListAliasesCommand({ FunctionName: "payments-api" }));
    expect(aliases.map((a) => a.name).sort()).toEqual((raw.Aliases ?? []).map((a) => a.Name).sort());
    for (const a of raw.Aliases ?? []) {
      const mine = aliases.find((x) => x.name === a.Name);
      const weights = Object.entries(a.RoutingConfig?.AdditionalVersionWeights ?? {});
      expect(mine?.functionVersion).toBe(a.FunctionVersion);
      expect(mine?.routing).toEqual(
        weights[0] ? { additionalVersion: weights[0][0], weight: weights[0][1] } : null,
      );
    }
    const live = await lambda.getAlias("payments-api", "live");
    expect(live).toEqual(aliases.find((a) => a.name === "live"));
  });

  it("updates an alias's routing with optimistic locking", async () => {
    const live = await lambda.getAlias("payments-api", "live");
    const additional = live.routing?.additionalVersion ?? live.functionVersion;
    const updated = await lambda.updateAlias({
      functionName: "payments-api",
      alias: "live",
      routing: { additionalVersion: additional, weight: ratio(0.5) },
      revisionId: live.revisionId,
    });
    expect(updated.routing?.weight).toBe(0.5);
    expect(updated.revisionId).not.toBe(live.revisionId);
    // The old RevisionId is now stale: AWS answers PreconditionFailedException, which we call Conflict.
    await expect(
      lambda.updateAlias({
        functionName: "payments-api",
        alias: "live",
        routing: null,
        revisionId: live.revisionId,
      }),
    ).rejects.toMatchObject({ code: "Conflict" });
  });

  it("reads account settings, concurrency, provisioned concurrency and tags", async () => {
    const account = await lambda.getAccountSettings();
    expect(account.concurrentExecutions).toBe(sandbox.account.regions.get("us-east-1")?.accountConcurrency);
    expect(account.functionCount).toBe(sandbox.account.regions.get("us-east-1")?.functions.size);
    const withPc = [...(sandbox.account.regions.get("us-east-1")?.functions.values() ?? [])].find(
      (f) => f.provisioned.length > 0,
    );
    expect(withPc).toBeDefined();
    const pcs = await lambda.listProvisionedConcurrency(withPc?.name ?? "");
    expect(pcs.map((p) => [p.qualifier, p.requested])).toEqual(
      withPc?.provisioned.map((p) => [p.qualifier, p.requested]),
    );
    const reserved = [...(sandbox.account.regions.get("us-east-1")?.functions.values() ?? [])].find(
      (f) => f.reservedConcurrency !== null,
    );
    expect(reserved).toBeDefined();
    expect(await lambda.getReservedConcurrency(reserved?.name ?? "")).toBe(reserved?.reservedConcurrency);
    const { config } = await lambda.getFunction("payments-api");
    expect(await lambda.listTags(config.arn)).toEqual(
      sandbox.account.regions.get("us-east-1")?.functions.get("payments-api")?.tags,
    );
  });

  it("maps AWS errors to codes", async () => {
    await expect(lambda.getFunction("no-such-function")).rejects.toMatchObject({
      code: "NotFound",
      details: { awsCode: "ResourceNotFoundException" },
    });
    await expect(lambda.getAlias("payments-api", "no-such-alias")).rejects.toMatchObject({
      code: "NotFound",
    });
    await expect(lambda.getFunctionConfiguration("payments-api", "999")).rejects.toMatchObject({
      code: "NotFound",
    });
    await expect(lambda.listFunctions({ pageSize: 100_000 })).rejects.toMatchObject({ code: "InvalidInput" });
  });

  it("parses Lambda's timestamp format", () => {
    expect(parseLambdaTimestamp("2024-05-01T12:00:00.000+0000")).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseLambdaTimestamp(undefined)).toBe(0);
  });
});
