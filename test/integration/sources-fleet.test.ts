/**
 * The fleet view of sources (issue 13) end to end below the page: the collector fills a real SQLite store from
 * the sandbox over HTTP, the use-case lists every mapping through the SDK (one paged call per region) and judges
 * each over a 3-hour range from that store. The planted troubles come first; every mapping the `aws` CLI lists is
 * there; a region AWS does not answer is reported, not fatal.
 */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig } from "@/lib/aws/client-config";
import { createLambdaPort } from "@/lib/aws/lambda";
import { parseEnv } from "@/lib/config/env-schema";
import { epochMs } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import { bucketForRange } from "@/lib/core/time/bucket";
import { getFleetSources, type FleetSources, type FleetSourcesDeps } from "@/lib/data/triggers-fleet";
import { openDatabase } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { createTriggerStore } from "@/lib/store/triggers";
import { awsCliJson } from "@fleetscope/sandbox/testing/awscli";
import { collectedStore, type CollectedStore } from "@/test/support/collected-store";
import { homeTarget } from "./advisor-ports";

const HOUR = 3_600_000;
const REGION = "us-east-1";
/** Not served by this sandbox's client below: its listing fails (connection refused). */
const DEAD_REGION = "eu-west-1";

let rig: CollectedStore;
const clients: LambdaClient[] = [];
let sources: FleetSources;

const lambdaAt = (url: string, region: string) => {
  const client = new LambdaClient(
    clientConfig(region, parseEnv({ AWS_ENDPOINT_URL: url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" })),
  );
  clients.push(client);
  return createLambdaPort(client, region);
};

let listings = 0;
const deps = (): FleetSourcesDeps => ({
  lambda: (region) => {
    const port = lambdaAt(region === REGION ? rig.sb.url : "http://127.0.0.1:9", region);
    return {
      listAllEventSourceMappings: (o) => {
        listings++;
        return port.listAllEventSourceMappings(o);
      },
    };
  },
  // The sandbox's one account, read with the console's own credentials.
  target: async (id) => homeTarget(id),
  telemetry: () => rig.store.telemetry,
  inventory: () => rig.store.inventory,
  cache: createCache({ ttlMs: 60_000, maxEntries: 10 }),
});

beforeAll(async () => {
  rig = await collectedStore({ region: REGION, horizonMs: 3 * HOUR });
  const now = epochMs(rig.clock.t);
  const bucket = bucketForRange({ kind: "custom", from: epochMs(now - 3 * HOUR), to: epochMs(now) }, now);
  sources = await getFleetSources([rig.scope, { ...rig.scope, region: DEAD_REGION }], bucket, deps());
}, 240_000);
afterAll(async () => {
  for (const c of clients) c.destroy();
  await rig?.close();
});

const rowsOf = (fn: string) => sources.rows.filter((r) => r.functionName === fn && r.region === REGION);

describe("the fleet's sources from a collected store", () => {
  it("puts the lagging stream and the disabled mapping first, with the lag's slope and latest age", () => {
    const [first, second] = sources.rows;
    expect([first?.functionName, first?.judgement.health]).toEqual([
      "clickstream-consumer",
      "falling behind",
    ]);
    expect([second?.functionName, second?.judgement.health]).toEqual(["legacy-sync", "disabled"]);
    // The sandbox plants 48 min an hour, ≈ 4.8 h behind at now.
    expect(first!.judgement.slopeMinPerHour).toBeGreaterThan(40);
    expect(first!.judgement.slopeMinPerHour).toBeLessThan(56);
    expect(first!.judgement.latestIteratorAgeMs).toBeGreaterThan(4 * HOUR);
    expect(first!.judgement.evidence).toMatch(/^Iterator age rising .*\/hour .* behind\.$/);
    expect(first!.sourceName).toBe("clickstream");
    expect(second!.judgement.evidence).toMatch(/USER_INITIATED/);
  });

  it("finds thumbnail-async dropping events from the store alone", () => {
    const [row] = rowsOf("thumbnail-async");
    expect(row?.kind).toBe("async");
    expect(row?.judgement.health).toBe("dropping events");
    expect(row?.judgement.dropped).toBeGreaterThan(0);
    const firstOk = sources.rows.findIndex((r) => r.judgement.health === "ok");
    expect(sources.rows.indexOf(row!)).toBeLessThan(firstOk);
  });

  it("calls the healthy SQS and DynamoDB mappings ok", () => {
    const healthyQueues = sources.rows.filter(
      (r) =>
        r.kind === "sqs" && r.state === "Enabled" && /-(consumer|worker|processor)$/.test(r.functionName),
    );
    expect(healthyQueues.length).toBeGreaterThanOrEqual(1);
    for (const r of healthyQueues)
      expect([r.functionName, r.judgement.health]).toEqual([r.functionName, "ok"]);
    expect(rowsOf("audit-trail").map((r) => [r.kind, r.judgement.health])).toEqual([["dynamodb", "ok"]]);
    // The lag judgement is the Advisor's (lib/core/triggers/lag.ts): only the planted stream falls behind.
    expect(
      sources.rows.filter((r) => r.judgement.health === "falling behind").map((r) => r.functionName),
    ).toEqual(["clickstream-consumer"]);
  });

  it("lists every mapping the aws CLI lists, with its function and state", async () => {
    const cli = await awsCliJson<{
      EventSourceMappings: { UUID: string; FunctionArn: string; State: string; BatchSize: number }[];
    }>(rig.sb.url, ["lambda", "list-event-source-mappings", "--region", REGION]);
    const ours = new Map(sources.rows.filter((r) => r.uuid !== null).map((r) => [r.uuid, r]));
    // The four planted mappings (Kinesis, SQS, disabled SQS, DynamoDB) and at least one healthy consumer's.
    expect(cli.EventSourceMappings.length).toBeGreaterThanOrEqual(5);
    expect(ours.size).toBe(cli.EventSourceMappings.length);
    for (const m of cli.EventSourceMappings) {
      const row = ours.get(m.UUID);
      expect(row?.functionName).toBe(m.FunctionArn.split(":")[6]);
      expect(row?.state).toBe(m.State);
      expect(row?.batchSize).toBe(m.BatchSize);
    }
  });

  it("follows NextMarker: a listing two mappings a page is the same listing", async () => {
    const port = lambdaAt(rig.sb.url, REGION);
    const whole = await port.listAllEventSourceMappings();
    const paged = await port.listAllEventSourceMappings({ pageSize: 2 });
    expect(whole.length).toBeGreaterThan(4);
    expect(paged).toEqual(whole);
  });

  it("reports a region AWS does not answer and keeps the other, with one listing per region", () => {
    expect(sources.failures.map((f) => f.region)).toEqual([DEAD_REGION]);
    expect(sources.rows.every((r) => r.region === REGION)).toBe(true);
    expect(listings).toBe(2);
    expect(sources.awsListings).toBe(2);
  });
});

describe("the fleet's sources on a store that cannot be reached", () => {
  it("fail with the store's reason (the page shows it) instead of judging without evidence", async () => {
    // A PostgreSQL store nobody answers for: every read fails with the store's own coded Unavailable.
    const db = openDatabase("postgres://fleetscope@127.0.0.1:1/fleetscope", { connectTimeoutMs: 1000 });
    const now = epochMs(rig.clock.t);
    const bucket = bucketForRange({ kind: "custom", from: epochMs(now - 3 * HOUR), to: epochMs(now) }, now);
    await expect(
      getFleetSources([rig.scope], bucket, {
        ...deps(),
        telemetry: () => createTelemetryStore(db),
        inventory: () => createInventoryStore(db),
        triggers: () => createTriggerStore(db),
      }),
    ).rejects.toMatchObject({
      code: "Unavailable",
      message: expect.stringMatching(/^The store \(PostgreSQL\) is unreachable: /),
    });
    await db.close();
  });
});
