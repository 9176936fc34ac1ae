/**
 * Deployment markers read from a real in-memory SQLite store (lib/data/telemetry/deploy-markers.ts): the
 * inventory listing's published versions (kept with their configurations), $LATEST, and the audit log.
 */
import { describe, expect, it } from "vitest";
import { parseAccountId } from "@/lib/core/accounts";
import type { FunctionConfig } from "@/lib/core/lambda/types";
import { epochMs, mb, ratio, type EpochMs } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import {
  loadFleetMarkers,
  loadFunctionMarkers,
  readFleetMarkers,
  readFunctionMarkers,
  type RegionInventory,
} from "@/lib/data/telemetry/deploy-markers";
import { createAuditLog, type NewAuditEntry } from "@/lib/store/audit-log";
import { openDatabase } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";
import { createVersionConfigStore } from "@/lib/store/version-configs";
import { config } from "../core/advisor-fixtures";
import { bucketRange } from "@/lib/core/time/bucket";
import { seconds } from "@/lib/core/units";

const REGION = "us-east-1";
const ACCOUNT = parseAccountId("000000000000");
const SCOPE = { account: ACCOUNT, region: REGION };
const H = 3_600_000;
const NOW = epochMs(Date.UTC(2026, 11, 7, 12, 0));
const window = { start: NOW - 6 * H, end: NOW };

const fn = (name: string, over: Partial<FunctionConfig> = {}) =>
  config({ name, region: REGION, lastModified: epochMs(NOW - 10 * H), ...over });
const version = (name: string, n: number, at: number, over: Partial<FunctionConfig> = {}) =>
  fn(name, {
    version: String(n),
    arn: `arn:aws:lambda:${REGION}:000000000000:function:${name}:${n}`,
    lastModified: epochMs(at),
    ...over,
  });

const shift = (over: Partial<NewAuditEntry>): NewAuditEntry => ({
  at: epochMs(NOW - H),
  actor: "alice",
  account: ACCOUNT,
  region: REGION,
  roleArn: null,
  functionName: "orders",
  alias: "live",
  action: "shift",
  before: { primaryVersion: "2", routing: null },
  after: { primaryVersion: "2", routing: { additionalVersion: "3", weight: ratio(0.25) } },
  reason: "canary",
  outcome: "applied",
  detail: "",
  planId: null,
  ...over,
});

async function openStore() {
  const db = openDatabase(":memory:");
  const inventory = createInventoryStore(db);
  const versionConfigs = createVersionConfigStore(db);
  const audit = createAuditLog(db);
  // A FunctionVersion=ALL listing, as the collector stores it: $LATEST and every published version.
  await inventory.putConfigs(
    SCOPE,
    [
      fn("orders", { lastModified: epochMs(NOW - 30 * 60_000), memory: mb(2048) }),
      version("orders", 1, NOW - 48 * H),
      version("orders", 2, NOW - 5 * H),
      version("orders", 3, NOW - 2 * H, { memory: mb(1536), codeSha256: "v3" }),
      fn("billing"),
      version("billing", 1, NOW - 2 * H + 60_000),
      fn("quiet"),
    ],
    NOW,
  );
  await audit.record(shift({}));
  await audit.record(shift({ at: epochMs(NOW - 50 * 60_000), outcome: "conflict" }));
  await audit.record(shift({ at: epochMs(NOW - 40 * 60_000), functionName: "billing", alias: "prod" }));
  return { inventory, versionConfigs, audit };
}

describe("readFunctionMarkers", () => {
  it("draws the stored versions, the newer $LATEST change and the applied alias change, in time order", async () => {
    const markers = await readFunctionMarkers(await openStore(), SCOPE, "orders", window, NOW);
    expect(markers.map((m) => [m.t, m.kind, m.label])).toEqual([
      [NOW - 5 * H, "version", "v2 published"],
      [NOW - 2 * H, "version", "v3 published"],
      [NOW - H, "alias", "live → v3 25%"],
      [NOW - 30 * 60_000, "config", "config: memory 1536 → 2048 MB"],
    ]);
    expect(markers[1]?.detail).toContain("since v2: memory 1024 → 1536 MB, code changed");
    expect(markers[1]?.href).toBe(`/functions/us-east-1/orders?account=${ACCOUNT}`);
    expect(markers[2]?.href).toBe(`/traffic/us-east-1/orders/live?account=${ACCOUNT}`);
  });

  it("draws nothing for a function the collector has not listed, and nothing the store cannot date", async () => {
    const s = await openStore();
    expect(await readFunctionMarkers(s, SCOPE, "unknown", window, NOW)).toEqual([]);
    expect(await readFunctionMarkers(s, SCOPE, "quiet", window, NOW)).toEqual([]);
  });

  it("settles a store failure into an error instead of throwing", async () => {
    const o = await loadFunctionMarkers(
      SCOPE,
      "orders",
      bucketRange({ start: epochMs(window.start), end: NOW }, NOW, seconds(300)),
      {
        store: () => {
          throw new Error("database is locked");
        },
        now: (): EpochMs => NOW,
        inventoryCache: createCache({ ttlMs: 60_000, maxEntries: 10 }),
      },
    );
    expect(o.ok).toBe(false);
  });
});

describe("readFleetMarkers", () => {
  it("groups the changes of one chart slot across functions and keeps the others apart", async () => {
    const markers = await readFleetMarkers(
      await openStore(),
      [SCOPE],
      { ...window, period: seconds(3600) },
      NOW,
    );
    expect(markers.map((m) => [m.label, m.kind, m.count])).toEqual([
      ["orders: v2 published", "version", 1],
      ["2 changes", "version", 2],
      ["3 changes", "alias", 3],
    ]);
    expect(markers[1]?.detail?.split("\n")).toEqual(["orders: v3 published", "billing: v1 published"]);
    expect(markers[2]?.detail?.split("\n")).toEqual([
      "orders: live → v3 25%",
      "billing: prod → v3 25%",
      "orders: config: memory 1536 → 2048 MB",
    ]);
  });
});

describe("alias changes in an older range", () => {
  it("are drawn although more than 10,000 newer audit entries follow them", async () => {
    const s = await openStore();
    const older = { start: NOW - 30 * H, end: NOW - 20 * H };
    await s.audit.record(shift({ at: epochMs(NOW - 25 * H), after: { primaryVersion: "1", routing: null } }));
    // A busy day since: every attempt is kept, none inside the older range.
    for (let i = 0; i < 10_001; i++)
      await s.audit.record(shift({ at: epochMs(NOW - 10 * H + i), outcome: "conflict" }));
    const fleet = await readFleetMarkers(s, [SCOPE], { ...older, period: seconds(3600) }, NOW);
    expect(fleet.filter((m) => m.kind === "alias").map((m) => [m.t, m.label])).toEqual([
      [NOW - 25 * H, "orders: live → v1"],
    ]);
    const one = await readFunctionMarkers(s, SCOPE, "orders", older, NOW);
    expect(one.filter((m) => m.kind === "alias").map((m) => m.t)).toEqual([NOW - 25 * H]);
  });
});

describe("loadFleetMarkers", () => {
  it("reads each region's version configurations once per collector listing, and the audit every time", async () => {
    const s = await openStore();
    await s.inventory.putAccount(SCOPE, { concurrentExecutions: 1000 } as never, NOW);
    let reads = 0;
    const reader = {
      ...s,
      versionConfigs: {
        get: (arns: readonly string[], now: number) => {
          reads += 1;
          return s.versionConfigs.get(arns, now);
        },
      },
    };
    const deps = {
      store: () => reader,
      now: (): EpochMs => NOW,
      inventoryCache: createCache<RegionInventory>({ ttlMs: 60_000, maxEntries: 10, now: () => NOW }),
    };
    const bucket = (end: number) =>
      bucketRange({ start: epochMs(end - 6 * H), end: epochMs(end) }, NOW, seconds(3600));
    const labels = async (end: number) => {
      const o = await loadFleetMarkers([SCOPE], bucket(end), deps);
      if (!o.ok) throw new Error(o.error.message);
      return o.value.map((m) => m.label);
    };

    const first = await labels(NOW);
    expect(first).toEqual(["orders: v2 published", "2 changes", "3 changes"]);
    // An auto-refresh tick a minute later (the window slid): same listing, no second read of the configurations.
    expect(await labels(NOW - 60_000)).toEqual(first);
    expect(reads).toBe(1);

    // An alias change made since is drawn at once: the audit is not cached.
    await s.audit.record(shift({ at: epochMs(NOW - 3 * H), alias: "beta", functionName: "quiet" }));
    expect(await labels(NOW)).toContain("quiet: beta → v3 25%");
    expect(reads).toBe(1);

    // The collector lists the region again: the next view reads the configurations it wrote.
    await s.inventory.putConfigs(SCOPE, [fn("orders"), version("orders", 4, NOW - 4 * H)], NOW + 60_000);
    await s.inventory.putAccount(SCOPE, { concurrentExecutions: 1000 } as never, NOW + 60_000);
    expect(await labels(NOW)).toContain("orders: v4 published");
    expect(reads).toBe(2);
  });
});

describe("two accounts with a function of one name in one region", () => {
  const MEMBER = parseAccountId("222222222222");
  const OTHER = { account: MEMBER, region: REGION };

  it("keep their markers apart: each function's page draws its own account's changes only", async () => {
    const s = await openStore();
    await s.inventory.putConfigs(
      OTHER,
      [
        fn("orders", { arn: `arn:aws:lambda:${REGION}:${MEMBER}:function:orders` }),
        version("orders", 9, NOW - 3 * H, { arn: `arn:aws:lambda:${REGION}:${MEMBER}:function:orders:9` }),
      ],
      NOW,
    );
    await s.audit.record(shift({ account: MEMBER, at: epochMs(NOW - 90 * 60_000), alias: "blue" }));
    const theirs = await readFunctionMarkers(s, OTHER, "orders", window, NOW);
    expect(theirs.map((m) => m.label)).toEqual(["v9 published", "blue → v3 25%"]);
    expect(theirs[0]?.href).toBe(`/functions/us-east-1/orders?account=${MEMBER}`);
    const mine = await readFunctionMarkers(s, SCOPE, "orders", window, NOW);
    expect(mine.map((m) => m.label)).not.toContain("v9 published");
    expect(mine.map((m) => m.label)).not.toContain("blue → v3 25%");
  });

  it("name the account in the fleet's grouped markers", async () => {
    const s = await openStore();
    await s.inventory.putConfigs(
      OTHER,
      [
        fn("orders", { arn: `arn:aws:lambda:${REGION}:${MEMBER}:function:orders` }),
        version("orders", 9, NOW - 3 * H, { arn: `arn:aws:lambda:${REGION}:${MEMBER}:function:orders:9` }),
      ],
      NOW,
    );
    const markers = await readFleetMarkers(s, [SCOPE, OTHER], { ...window, period: seconds(3600) }, NOW);
    // A slot's one change is its label; several are listed in its detail.
    const lines = markers.flatMap((m) => [m.label, ...(m.detail?.split("\n") ?? [])]);
    expect(lines).toContain(`${MEMBER}/${REGION}/orders: v9 published`);
    expect(lines).toContain(`${ACCOUNT}/${REGION}/orders: v2 published`);
  });
});
