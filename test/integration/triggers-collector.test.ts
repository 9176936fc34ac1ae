/**
 * The collector's triggers against the sandbox over HTTP, with a real SQLite store and a shared clock the test
 * moves: after a few rounds the stored triggers of the planted functions equal what the SDK reads live (the
 * Kinesis consumer's and the SQS consumer's mappings, thumbnail-async's async config, policy and recursion
 * setting, user-profile's function URL); GetPolicy, counted at the sandbox, never goes past its own bucket; a
 * throttled GetPolicy leaves the other parts stored and is retried later on its own; and a function page view
 * over a fresh store costs no trigger request.
 */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { accountIdFor } from "@fleetscope/sandbox";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { clientConfig } from "@/lib/aws/client-config";
import { createLambdaPort } from "@/lib/aws/lambda";
import { GET_POLICY_BUDGET, GET_POLICY_QUOTA_PER_SECOND } from "@/lib/collector/budget";
import { createCollector, type Collector } from "@/lib/collector/collector";
import { DEFAULT_SETTINGS, resetPublishers } from "@/lib/collector/region";
import { parseEnv } from "@/lib/config/env-schema";
import { parsePolicy } from "@/lib/core/triggers/policy";
import { epochMs } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import { bucketForRange } from "@/lib/core/time/bucket";
import { createMeter } from "@/lib/data/traces/meter";
import { getFleetSources } from "@/lib/data/triggers-fleet";
import { getFunctionTriggers, STORED_READING_MAX_AGE_MS } from "@/lib/data/triggers";
import type { Sandbox } from "@fleetscope/sandbox";
import { createStore, type Store } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import { TRIGGER_PARTS } from "@/lib/store/triggers";
import { TEST_NOW, TEST_SEED, startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";
import { sandboxPorts } from "./advisor-ports";

const REGION = "us-east-1";
/** The sandbox's one account (its default seed's id) in that region. */
const SCOPE: Scope = { account: parseAccountId(accountIdFor(TEST_SEED)), region: REGION };
/** That account as the console reads it: its own credentials (the sandbox's dummy keys). */
const TARGET: AccountTarget = {
  id: SCOPE.account,
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
};
const TICK_MS = 5_000;
const PLANTED = ["clickstream-consumer", "email-sender", "thumbnail-async", "user-profile"];

const open: { sb?: Sandbox; collector?: Collector; clients: LambdaClient[] } = { clients: [] };
afterEach(async () => {
  await open.collector?.stop();
  await open.sb?.close();
  for (const c of open.clients.splice(0)) c.destroy();
  open.sb = undefined;
  open.collector = undefined;
});

async function rig() {
  resetPublishers();
  const clock = { t: TEST_NOW };
  const sb = await startTestSandbox({ regions: [REGION], now: () => clock.t });
  open.sb = sb;
  const store: Store = createStore(openDatabase(":memory:"));
  // One attempt: a throttled GetPolicy reaches the collector instead of being retried by the SDK.
  const collector = createCollector({
    scopes: () => [SCOPE],
    portsFor: (scope) => sandboxPorts(sb.url, 1)(scope.region),
    store,
    owner: "test",
    settings: { horizonMs: 10 * 60_000 },
    now: () => clock.t,
    tickMs: TICK_MS,
    retryPauseMs: 10,
    lambdaRequestsPerSecond: 10,
  });
  open.collector = collector;
  const client = new LambdaClient(
    clientConfig(REGION, parseEnv({ AWS_ENDPOINT_URL: sb.url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" })),
  );
  open.clients.push(client);
  const live = createLambdaPort(client, REGION);
  const getPolicies = () => sb.stats()["lambda.GetPolicy"] ?? 0;
  /** Ticks TICK_MS apart until every listed function has a reading; GetPolicy requests per tick. */
  const collect = async (maxTicks = 40) => {
    const perTick: number[] = [];
    for (let i = 0; i < maxTicks; i++) {
      const before = getPolicies();
      await collector.tick();
      perTick.push(getPolicies() - before);
      const names = (await store.inventory.functions(SCOPE)).map((e) => e.config.name);
      const readings = await store.triggers.list(SCOPE);
      if (names.length > 0 && names.every((n) => readings.has(n))) return perTick;
      clock.t += TICK_MS;
    }
    throw new Error("the collector did not read every function's triggers");
  };
  return { sb, store, clock, collector, live, collect, getPolicies };
}

describe("collector: triggers in the store", () => {
  it("stores what the SDK reads live, within GetPolicy's own bucket, and serves a page view for free", async () => {
    const r = await rig();
    const perTick = await r.collect();
    const functions = await r.store.inventory.functions(SCOPE);
    expect(functions.length).toBe(40);

    // GetPolicy: once per function, never more in a tick (one simulated instant) than the bucket's burst, and
    // never more over the run than burst + rate × elapsed seconds.
    expect(perTick.reduce((a, n) => a + n, 0)).toBe(functions.length);
    expect(Math.max(...perTick)).toBeLessThanOrEqual(GET_POLICY_BUDGET.burst);
    expect(Math.max(...perTick)).toBeLessThan(GET_POLICY_QUOTA_PER_SECOND);
    const elapsedS = ((perTick.length - 1) * TICK_MS) / 1000;
    expect(functions.length).toBeLessThanOrEqual(
      GET_POLICY_BUDGET.burst + GET_POLICY_BUDGET.perSecond * elapsedS,
    );
    // It took several ticks: the bucket, not the fleet size, paced it.
    expect(perTick.length).toBeGreaterThan(functions.length / GET_POLICY_BUDGET.burst - 1);

    const listing = (await r.store.triggers.listing(SCOPE))!;
    for (const name of PLANTED) {
      const stored = (await r.store.triggers.get(SCOPE, name))!;
      expect(stored.revisionId, name).toBe(functions.find((e) => e.config.name === name)!.config.revisionId);
      const policy = await r.live.getPolicy(name);
      const reading = policy === null ? null : parsePolicy(policy);
      expect(stored.parts, name).toEqual({
        pushSources: { ok: true, value: reading?.readable ? reading.sources : [] },
        url: { ok: true, value: await r.live.getFunctionUrlConfig(name) },
        async: { ok: true, value: await r.live.getFunctionEventInvokeConfig(name) },
        recursion: { ok: true, value: await r.live.getFunctionRecursionConfig(name) },
      });
      const mappings = listing.mappings
        .filter((m) => m.functionName === name && m.qualifier === null)
        .map((m) => m.mapping);
      expect(mappings, name).toEqual(await r.live.listEventSourceMappings(name));
    }
    // The planted facts themselves, so an empty store could not pass the comparison above.
    const kinds = (name: string) =>
      listing.mappings.filter((m) => m.functionName === name).map((m) => m.mapping.kind);
    expect(kinds("clickstream-consumer")).toEqual(["kinesis"]);
    expect(kinds("email-sender")).toEqual(["sqs"]);
    const thumbs = (await r.store.triggers.get(SCOPE, "thumbnail-async"))!.parts;
    expect(thumbs.async.ok && thumbs.async.value?.maxRetries).toBe(0);
    expect(thumbs.recursion).toEqual({ ok: true, value: "Allow" });
    const profile = (await r.store.triggers.get(SCOPE, "user-profile"))!.parts;
    expect(profile.url.ok && profile.url.value?.authType).toBe("AWS_IAM");

    // The function page's triggers from this store: no AWS request, the same answer as a live read.
    const view = (now: number) => {
      const meter = createMeter();
      const deps = {
        lambda: () => r.live,
        cache: createCache({ ttlMs: 60_000, maxEntries: 10 }),
        inventory: () => r.store.inventory,
        triggers: () => r.store.triggers,
        now: () => now,
      };
      return {
        meter,
        load: () =>
          getFunctionTriggers({ account: TARGET, region: REGION, name: "thumbnail-async" }, deps, meter),
      };
    };
    const before = r.sb.stats();
    const fresh = view(r.clock.t);
    const fromStore = await fresh.load();
    expect(fresh.meter.cost().total).toBe(0);
    expect(r.sb.stats()).toEqual(before);
    expect(fromStore.collectedAt).not.toBeNull();
    const stale = view(r.clock.t + STORED_READING_MAX_AGE_MS + DEFAULT_SETTINGS.inventory.listEveryMs * 3);
    const fromAws = await stale.load();
    expect(stale.meter.cost().total).toBe(5);
    expect(fromStore.pushSources).toEqual(fromAws.pushSources);
    expect(fromStore.async).toEqual(fromAws.async);
    expect(fromStore.recursion).toEqual(fromAws.recursion);
    expect(fromStore.mappings).toEqual(fromAws.mappings);
    expect(fromStore.warnings).toEqual(fromAws.warnings);

    // The fleet's sources from the stored listing: no ListEventSourceMappings, every mapping AWS lists.
    const now = epochMs(r.clock.t);
    const listingsBefore = r.sb.stats()["lambda.ListEventSourceMappings"] ?? 0;
    const fleet = await getFleetSources(
      [SCOPE],
      bucketForRange({ kind: "custom", from: epochMs(now - 3_600_000), to: epochMs(now) }, now),
      {
        lambda: () => r.live,
        telemetry: () => r.store.telemetry,
        inventory: () => r.store.inventory,
        cache: createCache({ ttlMs: 60_000, maxEntries: 10 }),
        triggers: () => r.store.triggers,
        now: () => r.clock.t,
      },
    );
    expect(r.sb.stats()["lambda.ListEventSourceMappings"] ?? 0).toBe(listingsBefore);
    expect(fleet.awsListings).toBe(0);
    expect(fleet.collected).toEqual([{ ...SCOPE, listedAt: listing.listedAt }]);
    const liveUuids = (await r.live.listAllEventSourceMappings()).map((m) => m.mapping.uuid).sort();
    expect(liveUuids.length).toBeGreaterThan(0);
    expect(fleet.rows.flatMap((row) => row.uuid ?? []).sort()).toEqual(liveUuids);
  }, 120_000);

  it("keeps the other parts when GetPolicy is throttled, and retries only GetPolicy later", async () => {
    const r = await rig();
    r.sb.setFaults({ lambda: { operations: { GetPolicy: { throttleRate: 1 } } } });
    await r.collect();
    const throttled = (await r.store.triggers.get(SCOPE, "thumbnail-async"))!;
    expect(throttled.parts.pushSources.ok).toBe(false);
    expect(!throttled.parts.pushSources.ok && throttled.parts.pushSources.error.code).toBe("Throttled");
    for (const part of TRIGGER_PARTS.filter((p) => p !== "pushSources"))
      expect(throttled.parts[part].ok, part).toBe(true);
    const events = (await r.store.telemetry.events(50)).filter((e) => e.source === "triggers");
    expect(events).toEqual([]); // A failed part is stored, not a failed step.

    r.sb.setFaults({});
    r.sb.resetStats();
    // Not before the retry pause...
    await r.collector.tick();
    expect(r.getPolicies()).toBe(0);
    // ...then only GetPolicy, as its bucket allows, until every policy is read.
    r.clock.t += DEFAULT_SETTINGS.triggers.retryFailedAfterMs;
    for (let i = 0; i < 40; i++) {
      await r.collector.tick();
      const readings = [...(await r.store.triggers.list(SCOPE)).values()];
      if (readings.every((x) => x.parts.pushSources.ok)) break;
      r.clock.t += TICK_MS;
    }
    const stats = r.sb.stats();
    expect(stats["lambda.GetPolicy"]).toBe(40);
    for (const op of ["GetFunctionUrlConfig", "GetFunctionEventInvokeConfig", "GetFunctionRecursionConfig"])
      expect(stats[`lambda.${op}`] ?? 0, op).toBe(0);
    const retried = (await r.store.triggers.get(SCOPE, "thumbnail-async"))!;
    const policy = parsePolicy((await r.live.getPolicy("thumbnail-async"))!);
    expect(retried.parts.pushSources).toEqual({ ok: true, value: policy.readable ? policy.sources : null });
    expect(retried.readAt).toBe(throttled.readAt);
    expect(retried.retriedAt.pushSources).toBeGreaterThan(throttled.readAt);
  }, 120_000);
});
