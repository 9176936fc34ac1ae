import { describe, expect, it } from "vitest";
import type { LambdaPort } from "@/lib/aws/lambda";
import { FleetscopeError } from "@/lib/core/errors";
import type { Alias, FunctionConfig } from "@/lib/core/lambda/types";
import { bytes, epochMs, mb, ratio, seconds } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import { getFunctionDetail, listFleetFunctions, type Deps } from "@/lib/data/functions";

const config = (region: string, name: string, version: string): FunctionConfig => ({
  region,
  name,
  arn: `arn:aws:lambda:${region}:123456789012:function:${name}`,
  version,
  description: "",
  runtime: "nodejs20.x",
  packageType: "Zip",
  architecture: "arm64",
  memory: mb(512),
  timeout: seconds(30),
  ephemeralStorage: mb(512),
  codeSize: bytes(1000),
  codeSha256: "sha",
  envVarsSize: bytes(100),
  layers: [],
  lastModified: epochMs(0),
  logGroup: `/aws/lambda/${name}`,
  logFormat: "Text",
  tracing: "Active",
  snapStart: false,
  revisionId: "r1",
});

const live: Alias = {
  name: "live",
  arn: "arn:…:live",
  functionVersion: "7",
  description: "",
  routing: { additionalVersion: "8", weight: ratio(0.3) },
  revisionId: "a1",
};

/** A port over an in-memory region: the use-case logic runs for real, only AWS is replaced. */
function fakePort(region: string, opts: { fail?: boolean; calls?: string[] } = {}): LambdaPort {
  const functions = [
    config(region, "payments-api", "$LATEST"),
    config(region, "payments-api", "7"),
    config(region, "payments-api", "8"),
    config(region, "thumbnailer", "$LATEST"),
  ];
  const record = (c: string) => opts.calls?.push(c);
  const unsupported = () => Promise.reject(new Error("not used"));
  return {
    region,
    listFunctions: async ({ allVersions } = {}) => {
      record("ListFunctions");
      if (opts.fail) throw new FleetscopeError("AccessDenied", "no lambda:ListFunctions");
      return allVersions ? functions : functions.filter((f) => f.version === "$LATEST");
    },
    listFunctionsPage: unsupported,
    listAliases: async (name) => {
      record(`ListAliases ${name}`);
      if (name === "thumbnailer") throw new FleetscopeError("Throttled", "slow down");
      return name === "payments-api" ? [live] : [];
    },
    getFunction: async (name) => {
      record(`GetFunction ${name}`);
      const c = functions.find((f) => f.name === name && f.version === "$LATEST");
      if (!c) throw new FleetscopeError("NotFound", `Function not found: ${name}`);
      return { config: c, tags: { team: "payments" }, reservedConcurrency: 50 };
    },
    listVersions: async (name) => functions.filter((f) => f.name === name),
    listProvisionedConcurrency: async () => {
      throw new FleetscopeError("Throttled", "slow down");
    },
    getAccountSettings: async () => ({
      region,
      concurrentExecutions: 1000,
      unreservedConcurrentExecutions: 900,
      totalCodeSize: bytes(10),
      codeSizeLimit: bytes(100),
      codeSizeZipped: bytes(50),
      codeSizeUnzipped: bytes(250),
      functionCount: 2,
    }),
    getFunctionConfiguration: unsupported,
    getAlias: unsupported,
    updateAlias: unsupported,
    getReservedConcurrency: unsupported,
    listTags: unsupported,
  };
}

const deps = (ports: Record<string, LambdaPort>): Deps => ({
  lambda: (region) => {
    const port = ports[region];
    if (!port) throw new Error(`no port for ${region}`);
    return port;
  },
  cache: createCache({ ttlMs: 60_000, maxEntries: 100 }),
});

describe("listFleetFunctions", () => {
  it("counts published versions, attaches aliases, and reports a failed region without failing", async () => {
    const d = deps({
      "us-east-1": fakePort("us-east-1"),
      "eu-west-1": fakePort("eu-west-1", { fail: true }),
    });
    const listing = await listFleetFunctions(["us-east-1", "eu-west-1"], d);
    expect(listing.regions.map((r) => [r.region, r.outcome.ok])).toEqual([
      ["us-east-1", true],
      ["eu-west-1", false],
    ]);
    const failed = listing.regions[1]?.outcome;
    expect(failed && !failed.ok && failed.error.code).toBe("AccessDenied");
    const payments = listing.functions.find((f) => f.name === "payments-api");
    expect(payments?.versionsCount).toBe(2);
    expect(payments?.aliases).toEqual([live]);
    // A function whose aliases failed stays in the list, marked as unknown.
    expect(listing.functions.find((f) => f.name === "thumbnailer")?.aliases).toBeNull();
  });

  it("coalesces concurrent listings of a region into one AWS pass", async () => {
    const calls: string[] = [];
    const d = deps({ "us-east-1": fakePort("us-east-1", { calls }) });
    await Promise.all([listFleetFunctions(["us-east-1"], d), listFleetFunctions(["us-east-1"], d)]);
    expect(calls.filter((c) => c === "ListFunctions")).toHaveLength(1);
  });

  it("rejects a malformed region as InvalidInput", async () => {
    await expect(listFleetFunctions(["not a region"], deps({}))).rejects.toMatchObject({
      code: "InvalidInput",
    });
  });
});

describe("getFunctionDetail", () => {
  it("assembles config, newest-first versions, aliases, limits, and degrades failed panels", async () => {
    const detail = await getFunctionDetail(
      "us-east-1",
      "payments-api",
      deps({ "us-east-1": fakePort("us-east-1") }),
    );
    expect(detail.versions.map((v) => v.version)).toEqual(["8", "7"]);
    expect(detail.aliases).toEqual([live]);
    expect(detail.reservedConcurrency).toBe(50);
    expect(detail.provisioned.ok).toBe(false);
    expect(detail.account.ok).toBe(true);
    const reserved = detail.limits.find((l) => l.id === "reserved-concurrency");
    expect(reserved?.ratio).toBeCloseTo(0.05);
    expect(detail.limits.find((l) => l.id === "timeout")?.ratio).toBeCloseTo(30 / 900);
  });

  it("passes NotFound through and validates names before calling AWS", async () => {
    const calls: string[] = [];
    const d = deps({ "us-east-1": fakePort("us-east-1", { calls }) });
    await expect(getFunctionDetail("us-east-1", "nope", d)).rejects.toMatchObject({ code: "NotFound" });
    await expect(getFunctionDetail("us-east-1", "bad name!", d)).rejects.toMatchObject({
      code: "InvalidInput",
    });
    await expect(getFunctionDetail("us-east-1", "x".repeat(65), d)).rejects.toMatchObject({
      code: "InvalidInput",
    });
    await expect(getFunctionDetail("moon-1", "ok", d)).rejects.toMatchObject({ code: "InvalidInput" });
    expect(calls).toEqual(["GetFunction nope"]);
  });
});
