/** The aws CLI (botocore, an independent client) against the sandbox's Lambda control plane. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import { awsCli, awsCliJson } from "../support/awscli";
import { startTestSandbox } from "../support/sandbox";

interface Config {
  FunctionName: string;
  FunctionArn: string;
  Version: string;
  LoggingConfig: { LogGroup: string; LogFormat: string };
}
interface AliasConfig {
  Name: string;
  FunctionVersion: string;
  RevisionId: string;
  RoutingConfig?: { AdditionalVersionWeights: Record<string, number> };
}

let sb: Sandbox;
const cli = (...args: string[]) => awsCli(sb.url, args);
const json = <T>(...args: string[]) => awsCliJson<T>(sb.url, args);

beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => {
  await sb.close();
});

describe("lambda via aws CLI", () => {
  it("pages list-functions 7 at a time to the same list as one call", async () => {
    const full = await json<{ Functions: Config[] }>("lambda", "list-functions");
    expect(full.Functions).toHaveLength(40);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await json<{ Functions: Config[]; NextToken?: string }>(
        "lambda",
        "list-functions",
        "--max-items",
        "7",
        ...(token ? ["--starting-token", token] : []),
      );
      seen.push(...page.Functions.map((f) => f.FunctionName));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(6);
    expect(seen).toEqual(full.Functions.map((f) => f.FunctionName));
  });

  it("lists every version with --function-version ALL", async () => {
    const all = await json<{ Functions: Config[] }>("lambda", "list-functions", "--function-version", "ALL");
    const payments = all.Functions.filter((f) => f.FunctionName === "payments-api").map((f) => f.Version);
    expect(payments).toEqual(["$LATEST", "1", "2", "3", "4", "5", "6", "7", "8"]);
  });

  it("gets a function and its configuration by qualifier, reading LoggingConfig", async () => {
    const got = await json<{
      Configuration: Config;
      Code: { RepositoryType: string; Location: string };
      Tags: Record<string, string>;
    }>("lambda", "get-function", "--function-name", "audit-trail");
    expect(got.Configuration.LoggingConfig).toMatchObject({
      LogGroup: "/custom/audit-trail",
      LogFormat: "JSON",
    });
    expect(got.Code.RepositoryType).toBe("S3");
    expect(got.Code.Location).toMatch(/^https:\/\/awslambda-us-east-1-tasks\.s3/);
    expect(got.Tags.env).toBe("prod");
    const viaAlias = await json<Config>(
      "lambda",
      "get-function-configuration",
      "--function-name",
      "payments-api",
      "--qualifier",
      "live",
    );
    expect(viaAlias.Version).toBe("7");
    expect(viaAlias.FunctionArn).toBe(
      `arn:aws:lambda:us-east-1:${sb.account.accountId}:function:payments-api:live`,
    );
    const byArn = await json<Config>(
      "lambda",
      "get-function-configuration",
      "--function-name",
      `arn:aws:lambda:us-east-1:${sb.account.accountId}:function:payments-api:3`,
    );
    expect(byArn.Version).toBe("3");
  });

  it("lists versions and aliases, and gets an alias", async () => {
    const versions = await json<{ Versions: Config[] }>(
      "lambda",
      "list-versions-by-function",
      "--function-name",
      "orders-api",
    );
    expect(versions.Versions.map((v) => v.Version)).toEqual([
      "$LATEST",
      ...Array.from({ length: 13 }, (_, i) => String(i + 1)),
    ]);
    const aliases = await json<{ Aliases: AliasConfig[] }>(
      "lambda",
      "list-aliases",
      "--function-name",
      "user-profile",
    );
    expect(aliases.Aliases.map((a) => a.Name)).toEqual(["beta", "live"]);
    const beta = await json<AliasConfig>(
      "lambda",
      "get-alias",
      "--function-name",
      "user-profile",
      "--name",
      "beta",
    );
    expect(beta).toMatchObject({
      FunctionVersion: "4",
      RoutingConfig: { AdditionalVersionWeights: { "5": 0.5 } },
    });
  });

  it("updates an alias, then rejects a stale revision id", async () => {
    const before = await json<AliasConfig>(
      "lambda",
      "get-alias",
      "--function-name",
      "orders-api",
      "--name",
      "live",
    );
    const updated = await json<AliasConfig>(
      "lambda",
      "update-alias",
      "--function-name",
      "orders-api",
      "--name",
      "live",
      "--routing-config",
      "AdditionalVersionWeights={13=0.25}",
      "--revision-id",
      before.RevisionId,
    );
    expect(updated.RoutingConfig?.AdditionalVersionWeights).toEqual({ "13": 0.25 });
    expect(updated.RevisionId).not.toBe(before.RevisionId);
    const stale = await cli(
      "lambda",
      "update-alias",
      "--function-name",
      "orders-api",
      "--name",
      "live",
      "--routing-config",
      "AdditionalVersionWeights={13=0.5}",
      "--revision-id",
      before.RevisionId,
    );
    expect(stale.ok ? null : stale.errorCode).toBe("PreconditionFailedException");
    const after = await json<AliasConfig>(
      "lambda",
      "get-alias",
      "--function-name",
      "orders-api",
      "--name",
      "live",
    );
    expect(after.RoutingConfig?.AdditionalVersionWeights).toEqual({ "13": 0.25 });
  });

  it("rejects invalid routing with AWS's error codes", async () => {
    const update = (routing: string, ...extra: string[]) =>
      cli(
        "lambda",
        "update-alias",
        "--function-name",
        "payments-api",
        "--name",
        "live",
        "--routing-config",
        routing,
        ...extra,
      );
    const code = (r: Awaited<ReturnType<typeof cli>>) => (r.ok ? "ok" : r.errorCode);
    expect(code(await update("AdditionalVersionWeights={8=0.5,6=0.1}"))).toBe(
      "InvalidParameterValueException",
    );
    expect(code(await update("AdditionalVersionWeights={8=1.5}"))).toBe("ValidationException");
    expect(code(await update('{"AdditionalVersionWeights":{"$LATEST":0.2}}'))).toBe("ValidationException");
    expect(code(await update("AdditionalVersionWeights={8=0.2}", "--function-version", "$LATEST"))).toBe(
      "InvalidParameterValueException",
    );
    expect(code(await update("AdditionalVersionWeights={7=0.2}"))).toBe("InvalidParameterValueException");
    expect(code(await update("AdditionalVersionWeights={99=0.2}"))).toBe("ResourceNotFoundException");
    const pc = await cli(
      "lambda",
      "update-alias",
      "--function-name",
      "checkout-api",
      "--name",
      "live",
      "--routing-config",
      "AdditionalVersionWeights={1=0.1}",
    );
    expect(code(pc)).toBe("ResourceConflictException");
    const unchanged = await json<AliasConfig>(
      "lambda",
      "get-alias",
      "--function-name",
      "payments-api",
      "--name",
      "live",
    );
    expect(unchanged.RoutingConfig?.AdditionalVersionWeights).toEqual({ "8": 0.3 });
  });

  it("reports account settings, concurrency, provisioned concurrency and tags", async () => {
    const settings = await json<{
      AccountLimit: { ConcurrentExecutions: number; UnreservedConcurrentExecutions: number };
      AccountUsage: { FunctionCount: number };
    }>("lambda", "get-account-settings");
    expect(settings.AccountLimit.ConcurrentExecutions).toBe(1000);
    expect(settings.AccountUsage.FunctionCount).toBe(40);
    const reserved = [...(sb.account.regions.get("us-east-1")?.functions.values() ?? [])].reduce(
      (s, f) => s + (f.reservedConcurrency ?? 0),
      0,
    );
    expect(settings.AccountLimit.UnreservedConcurrentExecutions).toBe(1000 - reserved);
    expect(await json("lambda", "get-function-concurrency", "--function-name", "webhook-ingest")).toEqual({
      ReservedConcurrentExecutions: 5,
    });
    const pc = await json<{
      ProvisionedConcurrencyConfigs: {
        FunctionArn: string;
        RequestedProvisionedConcurrentExecutions: number;
      }[];
    }>("lambda", "list-provisioned-concurrency-configs", "--function-name", "search-api");
    expect(pc.ProvisionedConcurrencyConfigs).toMatchObject([
      {
        FunctionArn: expect.stringMatching(/:search-api:live$/),
        RequestedProvisionedConcurrentExecutions: 2,
      },
    ]);
    const tags = await json<{ Tags: Record<string, string> }>(
      "lambda",
      "list-tags",
      "--resource",
      `arn:aws:lambda:us-east-1:${sb.account.accountId}:function:orders-api`,
    );
    expect(tags.Tags).toEqual(sb.account.regions.get("us-east-1")?.functions.get("orders-api")?.tags);
  });

  it("answers an unknown function with ResourceNotFoundException and AWS's message", async () => {
    const r = await cli("lambda", "get-function", "--function-name", "does-not-exist");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errorCode).toBe("ResourceNotFoundException");
    expect(r.stderr).toContain(
      `Function not found: arn:aws:lambda:us-east-1:${sb.account.accountId}:function:does-not-exist`,
    );
  });

  it("throttles when fault injection says so", async () => {
    sb.setFaults({ lambda: { throttleRate: 1 } });
    try {
      const r = await cli("lambda", "list-functions");
      expect(r.ok ? "ok" : r.errorCode).toBe("TooManyRequestsException");
    } finally {
      sb.setFaults({});
    }
    expect((await cli("lambda", "get-account-settings")).ok).toBe(true);
  });
});
