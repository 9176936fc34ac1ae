/**
 * getFleetSources across accounts over a fake Lambda port (only AWS is replaced) and a real in-memory store: each
 * account-region is listed through its own account, its rows name that account (two accounts' same-named
 * functions are two rows), and an account whose role is refused fails alone, its async rows from the store still
 * shown, never hiding the other account's mappings.
 */
import { describe, expect, it } from "vitest";
import type { FunctionMapping } from "@/lib/aws/lambda";
import { parseAccountId, type AccountId, type AccountTarget } from "@/lib/core/accounts";
import { FleetscopeError } from "@/lib/core/errors";
import { emptyMetric } from "@/lib/core/rollup/types";
import { bucketForRange } from "@/lib/core/time/bucket";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import { epochMs, seconds } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import { getFleetSources, type FleetSourcesDeps } from "@/lib/data/triggers-fleet";
import { openDatabase } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { config } from "./core/advisor-fixtures";

const REGION = "us-east-1";
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const target = (id: string, roleArn: string | null): AccountTarget => ({
  id: parseAccountId(id),
  name: null,
  source: roleArn ? "role" : "home",
  roleArn,
  externalId: null,
  telemetry: "direct",
});
const HOME = target("111111111111", null);
const MEMBER = target("222222222222", "arn:aws:iam::222222222222:role/fleetscope");
const DENIED = target("333333333333", "arn:aws:iam::333333333333:role/fleetscope");
const TARGETS = new Map<string, AccountTarget>([HOME, MEMBER, DENIED].map((t) => [t.id, t]));
const scope = (t: AccountTarget) => ({ account: t.id, region: REGION });

const queue = (uuid: string, account: string): EventSourceMapping => ({
  uuid,
  sourceArn: `arn:aws:sqs:us-east-1:${account}:jobs`,
  kind: "sqs",
  state: "Enabled",
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
});

async function deps() {
  const db = openDatabase(":memory:");
  const telemetry = createTelemetryStore(db);
  const inventory = createInventoryStore(db);
  // The denied account's function dropped async events: known from the store alone.
  await inventory.putConfigs(scope(DENIED), [config({ name: "worker" })], NOW);
  await telemetry.putMetrics([
    { ...emptyMetric(scope(DENIED), "worker", 60, NOW - 10 * 60_000), asyncDropped: 4 },
  ]);
  const asked: (string | null)[] = [];
  const d: FleetSourcesDeps = {
    lambda: (_region, account) => ({
      async listAllEventSourceMappings(): Promise<FunctionMapping[]> {
        asked.push(account?.id ?? null);
        if (account?.id === DENIED.id)
          throw new FleetscopeError(
            "AccessDenied",
            `not authorized to perform: sts:AssumeRole on ${DENIED.roleArn}`,
          );
        return [
          { functionName: "worker", qualifier: null, mapping: queue(`m-${account?.id}`, account?.id ?? "") },
        ];
      },
    }),
    target: async (id: AccountId) => TARGETS.get(id)!,
    telemetry: () => telemetry,
    inventory: () => inventory,
    cache: createCache({ ttlMs: 60_000, maxEntries: 10 }),
    now: () => NOW,
  };
  return { deps: d, asked };
}

describe("getFleetSources across accounts", () => {
  const bucket = bucketForRange(
    { kind: "custom", from: epochMs(NOW - 3_600_000), to: epochMs(NOW) },
    epochMs(NOW),
  );

  it("lists each account through its own account, rows naming it; a denied account fails alone", async () => {
    const { deps: d, asked } = await deps();
    const sources = await getFleetSources([scope(HOME), scope(MEMBER), scope(DENIED)], bucket, d);
    expect(asked).toEqual([HOME.id, MEMBER.id, DENIED.id]);
    const mappings = sources.rows.filter((r) => r.kind !== "async");
    expect(mappings.map((r) => [r.account, r.functionName, r.uuid]).sort()).toEqual([
      [HOME.id, "worker", `m-${HOME.id}`],
      [MEMBER.id, "worker", `m-${MEMBER.id}`],
    ]);
    expect(sources.failures.map((f) => [f.account, f.region, f.error.code])).toEqual([
      [DENIED.id, REGION, "AccessDenied"],
    ]);
    // Its async row comes from the store (no AWS call): still shown, under its own account.
    const async = sources.rows.filter((r) => r.kind === "async");
    expect(async.map((r) => [r.account, r.functionName])).toEqual([[DENIED.id, "worker"]]);
    expect(sources.awsListings).toBe(3);
  });

  it("caches each account-region's listing apart", async () => {
    const { deps: d, asked } = await deps();
    await getFleetSources([scope(HOME)], bucket, d);
    await getFleetSources([scope(HOME), scope(MEMBER)], bucket, d);
    expect(asked).toEqual([HOME.id, MEMBER.id]);
  });
});
