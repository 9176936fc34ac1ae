import { describe, expect, it } from "vitest";
import type { LambdaPort } from "@/lib/aws/lambda";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import { FleetscopeError } from "@/lib/core/errors";
import type { AccountSettings, Alias, FunctionConfig } from "@/lib/core/lambda/types";
import { bytes, epochMs, mb, ratio, seconds } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import { getFunctionDetail, listFleetFunctions, openFunctionDetail, type Deps } from "@/lib/data/functions";
import { createMeter } from "@/lib/data/traces/meter";
import { openDatabase } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";

const ACCOUNT = parseAccountId("123456789012");
const home: AccountTarget = {
  id: ACCOUNT,
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
};
const MEMBER = parseAccountId("222222222222");
const member: AccountTarget = {
  ...home,
  id: MEMBER,
  name: "member-1",
  source: "organization",
  roleArn: "arn:aws:iam::222222222222:role/fleetscope",
};

const config = (region: string, name: string, version: string, account = "123456789012"): FunctionConfig => ({
  region,
  name,
  arn: `arn:aws:lambda:${region}:${account}:function:${name}`,
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
    listVersions: async (name) => {
      record(`ListVersionsByFunction ${name}`);
      return functions.filter((f) => f.name === name);
    },
    listProvisionedConcurrency: async () => {
      throw new FleetscopeError("Throttled", "slow down");
    },
    getAccountSettings: async () => {
      record("GetAccountSettings");
      return accountSettings(region);
    },
    getFunctionConfiguration: unsupported,
    getAlias: unsupported,
    updateAlias: unsupported,
    getReservedConcurrency: unsupported,
    listTags: async (arn) => {
      record(`ListTags ${arn.split(":").pop()}`);
      return { team: "payments" };
    },
  };
}

const accountSettings = (region: string, concurrentExecutions = 1000): AccountSettings => ({
  region,
  concurrentExecutions,
  unreservedConcurrentExecutions: 900,
  totalCodeSize: bytes(10),
  codeSizeLimit: bytes(100),
  codeSizeZipped: bytes(50),
  codeSizeUnzipped: bytes(250),
  functionCount: 2,
});

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
    const listing = await listFleetFunctions(
      [
        { target: home, region: "us-east-1" },
        { target: home, region: "eu-west-1" },
      ],
      d,
    );
    expect(listing.regions.map((r) => [r.region, r.outcome.ok])).toEqual([
      ["us-east-1", true],
      ["eu-west-1", false],
    ]);
    const failed = listing.regions[1]?.outcome;
    expect(failed && !failed.ok && failed.error.code).toBe("AccessDenied");
    const payments = listing.functions.find((f) => f.name === "payments-api");
    expect(payments?.versionsCount).toBe(2);
    expect(payments?.aliases).toEqual([live]);
    expect(payments?.account).toBe(ACCOUNT);
    // A function whose aliases failed stays in the list, marked as unknown.
    expect(listing.functions.find((f) => f.name === "thumbnailer")?.aliases).toBeNull();
  });

  it("coalesces concurrent listings of a region into one AWS pass", async () => {
    const calls: string[] = [];
    const d = deps({ "us-east-1": fakePort("us-east-1", { calls }) });
    const one = [{ target: home, region: "us-east-1" }];
    await Promise.all([listFleetFunctions(one, d), listFleetFunctions(one, d)]);
    expect(calls.filter((c) => c === "ListFunctions")).toHaveLength(1);
  });

  it("rejects a malformed region as InvalidInput", async () => {
    await expect(
      listFleetFunctions([{ target: home, region: "not a region" }], deps({})),
    ).rejects.toMatchObject({
      code: "InvalidInput",
    });
  });
});

describe("two accounts with functions of the same names in one region", () => {
  /** Each account's port, chosen by the target the use-case passes (its role): the wrong one fails the test. */
  const byAccount = (calls: string[]): Deps => ({
    lambda: (region, account) => {
      const id = account?.id ?? "home";
      calls.push(`port ${id} ${region}`);
      if (id === ACCOUNT) return fakePort(region);
      if (id === MEMBER) {
        const port = fakePort(region);
        return {
          ...port,
          listFunctions: async ({ allVersions } = {}) =>
            (await port.listFunctions({ allVersions })).map((c) => ({
              ...config(region, c.name, c.version, MEMBER),
              memory: mb(1024),
            })),
          getFunction: async (name) => {
            const f = await port.getFunction(name);
            return { ...f, config: { ...config(region, name, "$LATEST", MEMBER), memory: mb(1024) } };
          },
        };
      }
      throw new Error(`no port for account ${id}`);
    },
    cache: createCache({ ttlMs: 60_000, maxEntries: 100 }),
  });

  it("lists each account's functions through its own port, as separate rows labelled with the account", async () => {
    const calls: string[] = [];
    const listing = await listFleetFunctions(
      [
        { target: home, region: "us-east-1" },
        { target: member, region: "us-east-1" },
      ],
      byAccount(calls),
    );
    expect(calls).toEqual([`port ${ACCOUNT} us-east-1`, `port ${MEMBER} us-east-1`]);
    expect(listing.regions.map((r) => [r.account, r.region, r.outcome.ok])).toEqual([
      [ACCOUNT, "us-east-1", true],
      [MEMBER, "us-east-1", true],
    ]);
    const payments = listing.functions.filter((f) => f.name === "payments-api");
    expect(payments.map((f) => [f.account, f.accountName, f.memoryMb])).toEqual([
      [ACCOUNT, null, 512],
      [MEMBER, "member-1", 1024],
    ]);
  });

  it("caches one function's detail per account: the member's is not the home account's", async () => {
    const d = byAccount([]);
    const mine = await getFunctionDetail(home, "us-east-1", "payments-api", d);
    const theirs = await getFunctionDetail(member, "us-east-1", "payments-api", d);
    expect([mine.accountId, mine.config.memory]).toEqual([ACCOUNT, 512]);
    expect([theirs.accountId, theirs.config.memory]).toEqual([MEMBER, 1024]);
    expect(theirs.config.arn).toContain(`:${MEMBER}:`);
  });

  it("reads each account's stored inventory only: a member's listing never shows the home account's rows", async () => {
    const inventory = createInventoryStore(openDatabase(":memory:"));
    const region = "us-east-1";
    await inventory.putConfigs(
      { account: ACCOUNT, region },
      [config(region, "payments-api", "$LATEST")],
      1000,
    );
    await inventory.putAccount({ account: ACCOUNT, region }, accountSettings(region), 1000);
    await inventory.putConfigs(
      { account: MEMBER, region },
      [config(region, "orders", "$LATEST", MEMBER)],
      1000,
    );
    await inventory.putAccount({ account: MEMBER, region }, accountSettings(region), 1000);
    const calls: string[] = [];
    const listing = await listFleetFunctions(
      [
        { target: home, region },
        { target: member, region },
      ],
      { ...byAccount(calls), inventory: () => inventory },
    );
    expect(calls).toEqual([]);
    expect(listing.functions.map((f) => [f.account, f.name])).toEqual([
      [ACCOUNT, "payments-api"],
      [MEMBER, "orders"],
    ]);
  });
});

describe("getFunctionDetail", () => {
  it("assembles config, newest-first versions, aliases, limits, and degrades failed panels", async () => {
    const detail = await getFunctionDetail(
      home,
      "us-east-1",
      "payments-api",
      deps({ "us-east-1": fakePort("us-east-1") }),
    );
    expect(detail.versions.map((v) => v.version)).toEqual(["8", "7"]);
    expect(detail.aliases).toEqual([live]);
    expect(detail.reservedConcurrency).toBe(50);
    expect(detail.provisioned.ok).toBe(false);
    expect(detail.account.ok).toBe(true);
    // Settings against Lambda's maximums, labelled as such (the measured rows need the page's telemetry).
    expect(detail.limits.find((l) => l.id === "reserved-concurrency")).toMatchObject({
      group: "setting",
      status: "measured",
      ratio: 0.05,
    });
    expect(detail.limits.find((l) => l.id === "timeout-setting")).toMatchObject({
      group: "setting",
      against: "900 s maximum",
      used: 30,
      limit: 900,
    });
    expect(detail.limits.some((l) => l.group === "runtime")).toBe(false);
  });

  it("passes NotFound through and validates names before calling AWS", async () => {
    const calls: string[] = [];
    const d = deps({ "us-east-1": fakePort("us-east-1", { calls }) });
    await expect(getFunctionDetail(home, "us-east-1", "nope", d)).rejects.toMatchObject({ code: "NotFound" });
    await expect(getFunctionDetail(home, "us-east-1", "bad name!", d)).rejects.toMatchObject({
      code: "InvalidInput",
    });
    await expect(getFunctionDetail(home, "us-east-1", "x".repeat(65), d)).rejects.toMatchObject({
      code: "InvalidInput",
    });
    await expect(getFunctionDetail(home, "moon-1", "ok", d)).rejects.toMatchObject({ code: "InvalidInput" });
    expect(calls).toEqual(["GetFunction nope"]);
  });
});

describe("getFunctionDetail from the collector's inventory", () => {
  const REGION = "us-east-1";
  const SCOPE = { account: ACCOUNT, region: REGION };
  const canary: Alias = { ...live, name: "canary", routing: null, revisionId: "a2" };

  /** A real in-memory store listing payments-api (with its details unless told otherwise) and thumbnailer. */
  async function withInventory(opts: { account?: boolean; details?: boolean } = {}) {
    const inventory = createInventoryStore(openDatabase(":memory:"));
    await inventory.putConfigs(
      SCOPE,
      [
        { ...config(REGION, "payments-api", "$LATEST"), memory: mb(2048) },
        config(REGION, "thumbnailer", "$LATEST"),
      ],
      1000,
    );
    if (opts.details !== false)
      await inventory.putDetails(
        SCOPE,
        "payments-api",
        {
          aliases: [live, canary],
          reservedConcurrency: 200,
          provisioned: [{ qualifier: "live", requested: 5, allocated: 5, available: 5, status: "READY" }],
        },
        "r1",
        2000,
      );
    if (opts.account !== false) await inventory.putAccount(SCOPE, accountSettings(REGION, 2000), 1500);
    const calls: string[] = [];
    const d: Deps = {
      ...deps({ [REGION]: fakePort(REGION, { calls }) }),
      inventory: () => inventory,
    };
    return { d, calls };
  }

  it("reads configuration, aliases, concurrency and account settings from the store; versions and tags live", async () => {
    const { d, calls } = await withInventory();
    const meter = createMeter();
    const detail = await getFunctionDetail(home, REGION, "payments-api", d, meter);
    expect(calls).toEqual(["ListVersionsByFunction payments-api", "ListTags payments-api"]);
    expect(meter.cost()).toEqual({
      total: 2,
      byOperation: { ListVersionsByFunction: 1, ListTags: 1 },
    });
    expect(detail.source).toEqual({ kind: "store", listedAt: 1000, detailsReadAt: 2000 });
    expect(detail.config.memory).toBe(2048);
    expect(detail.aliases.map((a) => a.name)).toEqual(["live", "canary"]);
    expect(detail.reservedConcurrency).toBe(200);
    expect(detail.provisioned).toEqual({
      ok: true,
      value: [{ qualifier: "live", requested: 5, allocated: 5, available: 5, status: "READY" }],
    });
    expect(detail.account.ok && detail.account.value.concurrentExecutions).toBe(2000);
    expect(detail.tags).toEqual({ ok: true, value: { team: "payments" } });
    expect(detail.versions.map((v) => v.version)).toEqual(["8", "7"]);
    expect(detail.limits.find((l) => l.id === "reserved-concurrency")).toMatchObject({ ratio: 0.1 });
  });

  it("reads account settings live when the collector has not stored them yet", async () => {
    const { d, calls } = await withInventory({ account: false });
    const detail = await getFunctionDetail(home, REGION, "payments-api", d);
    expect(calls).toContain("GetAccountSettings");
    expect(detail.account.ok && detail.account.value.concurrentExecutions).toBe(1000);
  });

  it("falls back to AWS for a function listed without details, or not listed at all", async () => {
    const { d, calls } = await withInventory({ details: false });
    const meter = createMeter();
    const detail = await getFunctionDetail(home, REGION, "payments-api", d, meter);
    expect(detail.source).toEqual({ kind: "live" });
    expect(detail.reservedConcurrency).toBe(50);
    expect(calls[0]).toBe("GetFunction payments-api");
    expect(meter.cost().byOperation).toEqual({
      GetFunction: 1,
      ListVersionsByFunction: 1,
      ListAliases: 1,
      ListProvisionedConcurrencyConfigs: 1,
      GetAccountSettings: 1,
    });
    await expect(getFunctionDetail(home, REGION, "just-deployed", d)).rejects.toMatchObject({
      code: "NotFound",
    });
    expect(calls).toContain("GetFunction just-deployed");
  });

  it("keeps the stored detail when AWS is down: versions and tags say why, nothing throws", async () => {
    const { d, calls } = await withInventory();
    const down = new FleetscopeError("Timeout", "Lambda ListVersionsByFunction: TimeoutError: timed out");
    const port = d.lambda(REGION, home);
    const lambda = () => ({
      ...port,
      listVersions: async (name: string) => {
        calls.push(`ListVersionsByFunction ${name}`);
        throw down;
      },
      listTags: async () => {
        throw new FleetscopeError("Unavailable", "Lambda ListTags: ServiceUnavailableException: down");
      },
    });
    const meter = createMeter();
    const detail = await getFunctionDetail(home, REGION, "payments-api", { ...d, lambda }, meter);
    expect(detail.versions).toEqual([]);
    expect(detail.versionsError).toEqual({ code: "Timeout", message: down.message });
    expect(detail.tags).toMatchObject({ ok: false, error: { code: "Unavailable" } });
    expect(detail.config.memory).toBe(2048);
    expect(detail.aliases.map((a) => a.name)).toEqual(["live", "canary"]);
    expect(detail.limits.find((l) => l.id === "reserved-concurrency")).toMatchObject({ ratio: 0.1 });
    // The failed listing still cost its request.
    expect(meter.cost().byOperation).toEqual({ ListVersionsByFunction: 1, ListTags: 1 });
    // Not cached: the next view asks AWS again (and gets the versions once it answers).
    await getFunctionDetail(home, REGION, "payments-api", { ...d, lambda }, createMeter());
    expect(calls.filter((c) => c.startsWith("ListVersionsByFunction"))).toHaveLength(2);
    const recovered = await getFunctionDetail(home, REGION, "payments-api", d);
    expect(recovered.versionsError).toBeNull();
    expect(recovered.versions.map((v) => v.version)).toEqual(["8", "7"]);
  });

  it("opens a stored function without waiting on AWS; the rest follows in `detail`", async () => {
    const { d } = await withInventory();
    const port = d.lambda(REGION, home);
    let answer: (versions: FunctionConfig[]) => void = () => {};
    let asked: () => void = () => {};
    const listing = new Promise<void>((resolve) => (asked = resolve));
    // AWS hangs: ListVersionsByFunction answers only when the test says so.
    const lambda = () => ({
      ...port,
      listVersions: () =>
        new Promise<FunctionConfig[]>((resolve) => {
          answer = resolve;
          asked();
        }),
    });
    const head = await openFunctionDetail(home, REGION, "payments-api", { ...d, lambda });
    expect(head.config.memory).toBe(2048);
    expect(head.aliases.map((a) => a.name)).toEqual(["live", "canary"]);
    expect(head.provisioned.ok).toBe(true);
    expect(head.source).toEqual({ kind: "store", listedAt: 1000, detailsReadAt: 2000 });
    // The rest is read behind the head (the store first, then AWS): answer once it has asked.
    await listing;
    answer([config(REGION, "payments-api", "3")]);
    expect((await head.detail).versions.map((v) => v.version)).toEqual(["3"]);
  });

  it("opens an unlisted function live: NotFound and AWS failures reject before anything renders", async () => {
    const { d } = await withInventory({ details: false });
    const head = await openFunctionDetail(home, REGION, "payments-api", d);
    expect(head.source).toEqual({ kind: "live" });
    expect((await head.detail).reservedConcurrency).toBe(50);
    await expect(openFunctionDetail(home, REGION, "just-deployed", d)).rejects.toMatchObject({
      code: "NotFound",
    });
    const port = d.lambda(REGION, home);
    const lambda = () => ({
      ...port,
      getFunction: async () => {
        throw new FleetscopeError("Throttled", "Lambda GetFunction: TooManyRequestsException: slow down");
      },
    });
    d.cache.invalidate(() => true);
    await expect(openFunctionDetail(home, REGION, "payments-api", { ...d, lambda })).rejects.toMatchObject({
      code: "Throttled",
    });
  });

  it("a cached answer costs this view nothing", async () => {
    const { d } = await withInventory();
    await getFunctionDetail(home, REGION, "payments-api", d, createMeter());
    const again = createMeter();
    await getFunctionDetail(home, REGION, "payments-api", d, again);
    expect(again.cost().total).toBe(0);
  });
});

describe("a store that cannot be reached", () => {
  const REGION = "us-east-1";
  /** A PostgreSQL store nobody answers for: its reads fail with the store's own coded Unavailable. */
  const unreachable = () => {
    const db = openDatabase("postgres://fleetscope@127.0.0.1:1/fleetscope", { connectTimeoutMs: 1000 });
    return { db, inventory: createInventoryStore(db) };
  };

  it("fails the region's listing with why, and does not list the fleet from AWS instead", async () => {
    const { db, inventory } = unreachable();
    const calls: string[] = [];
    const d: Deps = { ...deps({ [REGION]: fakePort(REGION, { calls }) }), inventory: () => inventory };
    const listing = await listFleetFunctions([{ target: home, region: REGION }], d);
    expect(listing.regions[0]?.outcome).toMatchObject({
      ok: false,
      error: {
        code: "Unavailable",
        message: expect.stringMatching(/^The store \(PostgreSQL\) is unreachable: /),
      },
    });
    expect(listing.functions).toEqual([]);
    expect(calls).toEqual([]);
    await db.close();
  });

  it("opens one function's page from AWS, as for a function the collector has not listed", async () => {
    const { db, inventory } = unreachable();
    const calls: string[] = [];
    const d: Deps = { ...deps({ [REGION]: fakePort(REGION, { calls }) }), inventory: () => inventory };
    const head = await openFunctionDetail(home, REGION, "payments-api", d);
    expect(head.source).toEqual({ kind: "live" });
    expect(head.aliases.map((a) => a.name)).toEqual(["live"]);
    expect(calls).toContain("GetFunction payments-api");
    await db.close();
  });
});
