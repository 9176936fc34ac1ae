/**
 * The collector status's triggers figures on a real in-memory store: when the region's mappings were listed (null
 * before), and how many functions have a reading at their current RevisionId (a changed function does not count).
 */
import { describe, expect, it } from "vitest";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { parseEnv } from "@/lib/config/env-schema";
import { readCollectorStatus } from "@/lib/data/collector/status";
import { createStore } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import type { TriggerReading } from "@/lib/store/triggers";
import { config } from "../core/advisor-fixtures";

const NOW = Date.UTC(2026, 10, 23, 12);
const REGION = "us-east-1";
const SCOPE: Scope = { account: parseAccountId("111111111111"), region: REGION };
const TARGET: AccountTarget = {
  id: SCOPE.account,
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
};
const settings = parseEnv({ FLEETSCOPE_REGIONS: REGION });

const reading = (revisionId: string): TriggerReading => ({
  parts: {
    pushSources: { ok: true, value: [] },
    url: { ok: true, value: null },
    async: { ok: true, value: null },
    recursion: { ok: true, value: "Terminate" },
  },
  revisionId,
  readAt: NOW - 60_000,
  retriedAt: {},
});

describe("collector status: triggers", () => {
  it("says nothing is listed before the first listing", async () => {
    const store = createStore(openDatabase(":memory:"));
    const [region] = (
      await readCollectorStatus({ store, settings, collector: null, accounts: [TARGET] }, NOW)
    ).regions;
    expect(region?.triggers).toEqual({ mappingsListedAt: null, functionsRead: 0 });
  });

  it("counts readings at the function's current RevisionId only", async () => {
    const store = createStore(openDatabase(":memory:"));
    await store.inventory.putConfigs(
      SCOPE,
      ["a", "b", "c"].map((name) => config({ name, region: REGION, revisionId: "r2" })),
      NOW,
    );
    await store.triggers.put(SCOPE, "a", reading("r2"));
    await store.triggers.put(SCOPE, "b", reading("r1"));
    await store.triggers.putListing(SCOPE, [], NOW - 120_000);
    const [region] = (
      await readCollectorStatus({ store, settings, collector: null, accounts: [TARGET] }, NOW)
    ).regions;
    expect(region?.triggers).toEqual({ mappingsListedAt: NOW - 120_000, functionsRead: 1 });
  });
});
