/**
 * getFunctionTriggers over a fake port (only AWS is replaced) and the real cache and inventory store: each part
 * settles on its own, an unreadable policy is said as such, a reading is cached only when whole, and the DLQ
 * comes from the stored configuration when the collector stored it. With the collector's reading fresh (the
 * function's current RevisionId, within the max age) the view costs no request; stale or failed parts are read
 * live, one call each.
 */
import { describe, expect, it } from "vitest";
import type { LambdaPort, LambdaTriggersPort } from "@/lib/aws/lambda";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import { FleetscopeError } from "@/lib/core/errors";
import type { FunctionConfig } from "@/lib/core/lambda/types";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import { bytes, epochMs, mb, seconds } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import { createMeter } from "@/lib/data/traces/meter";
import {
  getFunctionTriggers,
  STORED_LISTING_MAX_AGE_MS,
  STORED_READING_MAX_AGE_MS,
  type TriggersDeps,
} from "@/lib/data/triggers";
import { openDatabase } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";
import { createTriggerStore, type TriggerParts } from "@/lib/store/triggers";

const REGION = "us-east-1";
const home: AccountTarget = {
  id: parseAccountId("123456789012"),
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
};
const member: AccountTarget = {
  ...home,
  id: parseAccountId("222222222222"),
  name: "member-1",
  source: "role",
  roleArn: "arn:aws:iam::222222222222:role/fleetscope",
};
const SCOPE = { account: home.id, region: REGION };
const THUMBS = { account: home, region: REGION, name: "thumbs" };
const DLQ = "arn:aws:sqs:us-east-1:123456789012:thumbs-dlq";

const config = (deadLetterTarget?: string | null): FunctionConfig => ({
  region: REGION,
  name: "thumbs",
  arn: "arn:aws:lambda:us-east-1:123456789012:function:thumbs",
  version: "$LATEST",
  description: "",
  runtime: "nodejs20.x",
  packageType: "Zip",
  architecture: "arm64",
  memory: mb(512),
  timeout: seconds(30),
  ephemeralStorage: mb(512),
  codeSize: bytes(1000),
  codeSha256: "sha",
  envVarsSize: bytes(0),
  layers: [],
  lastModified: epochMs(0),
  logGroup: "/aws/lambda/thumbs",
  logFormat: "Text",
  tracing: "Active",
  snapStart: false,
  revisionId: "r1",
  ...(deadLetterTarget === undefined ? {} : { deadLetterTarget }),
});

const s3Policy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "s3",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:s3:::uploads" } },
    },
  ],
});

const disabledQueue: EventSourceMapping = {
  uuid: "m-1",
  sourceArn: "arn:aws:sqs:us-east-1:123456789012:jobs",
  kind: "sqs",
  state: "Disabled",
  stateReason: "USER_INITIATED",
  lastProcessingResult: null,
  batchSize: 10,
  batchingWindowSeconds: seconds(0),
  startingPosition: null,
  filters: [],
  bisectOnError: null,
  reportBatchItemFailures: true,
  onFailureDestination: null,
  maxRetries: null,
  maxRecordAgeSeconds: null,
  parallelizationFactor: null,
  lastModified: null,
  metrics: [],
};

type Port = Pick<LambdaPort, "getFunctionConfiguration"> & LambdaTriggersPort;

function fakePort(calls: string[], overrides: Partial<Port> = {}): Port {
  const answer =
    <T>(op: string, value: T) =>
    async () => {
      calls.push(op);
      return value;
    };
  return {
    listEventSourceMappings: answer("ListEventSourceMappings", [disabledQueue]),
    getPolicy: answer("GetPolicy", s3Policy),
    getFunctionUrlConfig: answer("GetFunctionUrlConfig", null),
    getFunctionEventInvokeConfig: answer("GetFunctionEventInvokeConfig", {
      maxRetries: 0,
      maxEventAgeSeconds: seconds(3600),
      onSuccess: null,
      onFailure: null,
    }),
    getFunctionRecursionConfig: answer("GetFunctionRecursionConfig", "Allow" as const),
    getFunctionConfiguration: answer("GetFunctionConfiguration", config(null)),
    ...overrides,
  };
}

const depsWith = async (port: Port, stored?: FunctionConfig): Promise<TriggersDeps> => {
  const inventory = createInventoryStore(openDatabase(":memory:"));
  if (stored) await inventory.putConfigs(SCOPE, [stored], 1000);
  return {
    lambda: () => port,
    cache: createCache({ ttlMs: 60_000, maxEntries: 10 }),
    inventory: () => inventory,
  };
};

describe("getFunctionTriggers", () => {
  it("reads every part, derives the warnings, and serves the next view from the cache", async () => {
    const calls: string[] = [];
    const deps = await depsWith(fakePort(calls));
    const meter = createMeter();
    const t = await getFunctionTriggers(THUMBS, deps, meter);
    expect(t.mappings).toEqual({ ok: true, value: [disabledQueue] });
    expect(t.pushSources).toEqual({
      ok: true,
      value: [{ sid: "s3", principal: "s3.amazonaws.com", kind: "s3", sourceArn: "arn:aws:s3:::uploads" }],
    });
    expect(t.url).toEqual({ ok: true, value: null });
    expect(t.async.ok && t.async.value.deadLetterTarget).toBeNull();
    expect(t.recursion).toEqual({ ok: true, value: "Allow" });
    expect(t.warnings.map((w) => w.code)).toEqual(["mapping-disabled", "async-events-unguarded"]);
    // Not stored by the collector: the DLQ needed the configuration, read live.
    expect(meter.cost().total).toBe(6);
    expect(calls).toHaveLength(6);

    await getFunctionTriggers(THUMBS, deps);
    expect(calls).toHaveLength(6);
  });

  it("keeps the other parts when GetPolicy is throttled, and asks again on the next view", async () => {
    const calls: string[] = [];
    const throttled = async () => {
      calls.push("GetPolicy");
      throw new FleetscopeError("Throttled", "Lambda GetPolicy: rate exceeded");
    };
    const deps = await depsWith(fakePort(calls, { getPolicy: throttled }));
    const t = await getFunctionTriggers(THUMBS, deps);
    expect(t.pushSources).toEqual({
      ok: false,
      error: { code: "Throttled", message: "Lambda GetPolicy: rate exceeded" },
    });
    expect(t.mappings.ok && t.recursion.ok && t.async.ok && t.url.ok).toBe(true);
    // The async config alone still shows its events unguarded.
    expect(t.warnings.map((w) => w.code)).toContain("async-events-unguarded");

    await getFunctionTriggers(THUMBS, deps);
    expect(calls.filter((c) => c === "GetPolicy")).toHaveLength(2);
  });

  it("says a malformed policy is unreadable instead of failing or showing no sources", async () => {
    const deps = await depsWith(fakePort([], { getPolicy: async () => '{"Statement": "everyone"}' }));
    const t = await getFunctionTriggers(THUMBS, deps);
    expect(t.pushSources.ok).toBe(false);
    expect(!t.pushSources.ok && t.pushSources.error.message).toMatch(/^unreadable policy: /);
    expect(t.mappings.ok).toBe(true);
  });

  it("takes the DLQ from the stored configuration, and reads it live for a row stored before the field", async () => {
    const storedCalls: string[] = [];
    const withDlq = await getFunctionTriggers(THUMBS, await depsWith(fakePort(storedCalls), config(DLQ)));
    expect(withDlq.async.ok && withDlq.async.value.deadLetterTarget).toBe(DLQ);
    expect(withDlq.warnings.map((w) => w.code)).toEqual(["mapping-disabled"]);
    expect(storedCalls).not.toContain("GetFunctionConfiguration");

    const oldRowCalls: string[] = [];
    await getFunctionTriggers(THUMBS, await depsWith(fakePort(oldRowCalls), config()));
    expect(oldRowCalls).toContain("GetFunctionConfiguration");
  });

  it("refuses a malformed name before any AWS call", async () => {
    const calls: string[] = [];
    await expect(
      getFunctionTriggers({ ...THUMBS, name: "bad name!" }, await depsWith(fakePort(calls))),
    ).rejects.toMatchObject({
      code: "InvalidInput",
    });
    expect(calls).toEqual([]);
  });
});

describe("getFunctionTriggers with the collector's reading", () => {
  const READ_AT = 1_000_000;
  const storedParts: TriggerParts = {
    pushSources: { ok: true, value: [] },
    url: { ok: true, value: null },
    async: { ok: true, value: null },
    recursion: { ok: true, value: "Terminate" },
  };

  /** A store where the collector read "thumbs" at READ_AT (revision r1) and listed the region's mappings. */
  async function stored(now: number, parts: TriggerParts = storedParts, revisionId = "r1") {
    const calls: string[] = [];
    const db = openDatabase(":memory:");
    const inventory = createInventoryStore(db);
    await inventory.putConfigs(SCOPE, [config(DLQ)], READ_AT);
    const triggers = createTriggerStore(db);
    await triggers.put(SCOPE, "thumbs", { parts, revisionId, readAt: READ_AT, retriedAt: {} });
    await triggers.putListing(
      SCOPE,
      [
        { functionName: "thumbs", qualifier: null, mapping: disabledQueue },
        { functionName: "thumbs", qualifier: "live", mapping: { ...disabledQueue, uuid: "m-alias" } },
        { functionName: "other", qualifier: null, mapping: { ...disabledQueue, uuid: "m-other" } },
      ],
      READ_AT,
    );
    const deps: TriggersDeps = {
      lambda: () => fakePort(calls),
      cache: createCache({ ttlMs: 60_000, maxEntries: 10 }),
      inventory: () => inventory,
      triggers: () => triggers,
      now: () => now,
    };
    return { deps, calls };
  }

  it("serves every part from a fresh store: no AWS request, and says when the collector read it", async () => {
    const { deps, calls } = await stored(READ_AT + 60_000);
    const meter = createMeter();
    const t = await getFunctionTriggers(THUMBS, deps, meter);
    expect(meter.cost().total).toBe(0);
    expect(calls).toEqual([]);
    // The unqualified function's mappings only, as ListEventSourceMappings(FunctionName) answers.
    expect(t.mappings).toEqual({ ok: true, value: [disabledQueue] });
    expect(t.async).toEqual({ ok: true, value: { config: null, deadLetterTarget: DLQ } });
    expect(t.recursion).toEqual({ ok: true, value: "Terminate" });
    expect(t.collectedAt).toBe(READ_AT);
    expect(t.answeredAt).toBe(READ_AT + 60_000);
    expect(t.liveParts).toEqual([]);
    expect(t.warnings.map((w) => w.code)).toEqual(["mapping-disabled"]);
  });

  it("reads live what the collector failed to read, and only that", async () => {
    const throttled: TriggerParts = {
      ...storedParts,
      pushSources: { ok: false, error: { code: "Throttled", message: "Lambda GetPolicy: rate exceeded" } },
    };
    const { deps, calls } = await stored(READ_AT + 60_000, throttled);
    const meter = createMeter();
    const t = await getFunctionTriggers(THUMBS, deps, meter);
    expect(calls).toEqual(["GetPolicy"]);
    expect(meter.cost()).toEqual({ total: 1, byOperation: { GetPolicy: 1 } });
    expect(t.pushSources.ok && t.pushSources.value.map((p) => p.kind)).toEqual(["s3"]);
    expect(t.liveParts).toEqual(["pushSources"]);
    expect(t.collectedAt).toBe(READ_AT);
  });

  it("reads live when the reading is of another revision or too old, and mappings when the listing is", async () => {
    const changed = await stored(READ_AT + 60_000, storedParts, "r0");
    await getFunctionTriggers(THUMBS, changed.deps);
    expect(changed.calls.sort()).toEqual([
      "GetFunctionEventInvokeConfig",
      "GetFunctionRecursionConfig",
      "GetFunctionUrlConfig",
      "GetPolicy",
    ]);

    const old = await stored(READ_AT + Math.max(STORED_READING_MAX_AGE_MS, STORED_LISTING_MAX_AGE_MS) + 1);
    const t = await getFunctionTriggers(THUMBS, old.deps);
    expect(old.calls).toHaveLength(5);
    expect(t.collectedAt).toBeNull();
    expect(t.liveParts).toEqual(["mappings", "pushSources", "url", "async", "recursion"]);
  });
});

describe("getFunctionTriggers on a store that cannot be reached", () => {
  it("reads every part live, as before the collector stored them, instead of failing the panel", async () => {
    // A PostgreSQL store nobody answers for: every read fails with the store's own coded Unavailable.
    const db = openDatabase("postgres://fleetscope@127.0.0.1:1/fleetscope", { connectTimeoutMs: 1000 });
    const calls: string[] = [];
    const deps: TriggersDeps = {
      lambda: () => fakePort(calls),
      cache: createCache({ ttlMs: 60_000, maxEntries: 10 }),
      inventory: () => createInventoryStore(db),
      triggers: () => createTriggerStore(db),
    };
    const t = await getFunctionTriggers(THUMBS, deps);
    expect(t.liveParts).toEqual(["mappings", "pushSources", "url", "async", "recursion"]);
    expect(t.collectedAt).toBeNull();
    expect(t.mappings).toEqual({ ok: true, value: [disabledQueue] });
    // The dead-letter queue the store would have held is read with the configuration.
    expect(calls.sort()).toEqual([
      "GetFunctionConfiguration",
      "GetFunctionEventInvokeConfig",
      "GetFunctionRecursionConfig",
      "GetFunctionUrlConfig",
      "GetPolicy",
      "ListEventSourceMappings",
    ]);
    await db.close();
  });
});

describe("getFunctionTriggers in several accounts", () => {
  it("reads through the function's own account and caches per account, region and name", async () => {
    const calls: string[] = [];
    const asked: (string | null)[] = [];
    const deps: TriggersDeps = {
      ...(await depsWith(fakePort(calls))),
      lambda: (_region, account) => {
        asked.push(account?.id ?? null);
        return fakePort(calls);
      },
    };
    await getFunctionTriggers(THUMBS, deps);
    await getFunctionTriggers({ ...THUMBS, account: member }, deps);
    expect([...new Set(asked)]).toEqual([home.id, member.id]);
    // Two same-named functions of two accounts: two readings, none served from the other's cache entry.
    expect(calls.filter((c) => c === "GetPolicy")).toHaveLength(2);
    await getFunctionTriggers({ ...THUMBS, account: member }, deps);
    expect(calls.filter((c) => c === "GetPolicy")).toHaveLength(2);
  });

  it("never serves one account's stored reading for another account's same-named function", async () => {
    const db = openDatabase(":memory:");
    const inventory = createInventoryStore(db);
    const triggers = createTriggerStore(db);
    await inventory.putConfigs(SCOPE, [config(DLQ)], 1000);
    await triggers.put(SCOPE, "thumbs", {
      parts: {
        pushSources: { ok: true, value: [] },
        url: { ok: true, value: null },
        async: { ok: true, value: null },
        recursion: { ok: true, value: "Terminate" },
      },
      revisionId: "r1",
      readAt: 1000,
      retriedAt: {},
    });
    await triggers.putListing(
      SCOPE,
      [{ functionName: "thumbs", qualifier: null, mapping: disabledQueue }],
      1000,
    );
    const calls: string[] = [];
    const deps: TriggersDeps = {
      lambda: () => fakePort(calls),
      cache: createCache({ ttlMs: 60_000, maxEntries: 10 }),
      inventory: () => inventory,
      triggers: () => triggers,
      now: () => 2000,
    };
    const own = await getFunctionTriggers(THUMBS, deps);
    expect(own.liveParts).toEqual([]);
    expect(calls).toEqual([]);

    const other = await getFunctionTriggers({ ...THUMBS, account: member }, deps);
    expect(other.liveParts).toEqual(["mappings", "pushSources", "url", "async", "recursion"]);
    // Its DLQ is not the home account's stored one: read from its own configuration.
    expect(calls).toContain("GetFunctionConfiguration");
    expect(other.async.ok && other.async.value.deadLetterTarget).toBeNull();
  });
});
