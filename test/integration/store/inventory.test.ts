/**
 * The inventory store on both engines (SQLite and PostgreSQL), as its callers use it: a listing (with published
 * versions) is stored whole, keeps the details already read, and hands the versions' configurations to the
 * version-config store; details carry their RevisionId; an alias the console changed is merged into the stored
 * details without losing details read meanwhile; vanished functions are removed; the account settings
 * round-trip; unreadable rows are missing; the order is the same on both engines.
 */
import { expect, it } from "vitest";
import { sql } from "kysely";
import type { AccountId } from "@/lib/core/accounts/account-id";
import type { AccountSettings, Alias, FunctionConfig } from "@/lib/core/lambda/types";
import { bytes, ratio } from "@/lib/core/units";
import { createStore } from "@/lib/store";
import { createInventoryStore, type FunctionDetails } from "@/lib/store/inventory";
import { createVersionConfigStore } from "@/lib/store/version-configs";
import { config } from "../../unit/core/advisor-fixtures";
import { interleaved } from "../../support/interleave";
import { describeStores } from "../../support/stores";

const REGION = "us-east-1";
const ACCOUNT = "111111111111" as AccountId;
const at = (region: string) => ({ account: ACCOUNT, region });
const SCOPE = at(REGION);

const latest = (name: string, revisionId = "rev-1"): FunctionConfig => config({ name, revisionId });
const published = (name: string, version: string): FunctionConfig =>
  config({ name, version, arn: `arn:aws:lambda:${REGION}:000000000000:function:${name}:${version}` });

const alias = (name: string, functionVersion: string, over: Partial<Alias> = {}): Alias => ({
  name,
  arn: `arn:aws:lambda:${REGION}:000000000000:function:orders:${name}`,
  functionVersion,
  description: "",
  routing: null,
  revisionId: `alias-${name}-${functionVersion}`,
  ...over,
});

const details = (over: Partial<FunctionDetails> = {}): FunctionDetails => ({
  aliases: [alias("live", "2")],
  reservedConcurrency: 50,
  provisioned: [{ qualifier: "live", requested: 5, allocated: 5, available: 5, status: "READY" }],
  ...over,
});

const account: AccountSettings = {
  region: REGION,
  concurrentExecutions: 1000,
  unreservedConcurrentExecutions: 950,
  totalCodeSize: bytes(10_000),
  codeSizeLimit: bytes(75 * 1024 ** 3),
  codeSizeZipped: bytes(50 * 1024 ** 2),
  codeSizeUnzipped: bytes(250 * 1024 ** 2),
  functionCount: 2,
};

describeStores("inventory store", (fresh) => {
  it("stores a listing with each function's published versions, ascending by number", async () => {
    const inv = createInventoryStore(await fresh());
    expect(await inv.functions(SCOPE)).toEqual([]);
    expect(await inv.get(SCOPE, "orders")).toBeNull();
    await inv.putConfigs(
      SCOPE,
      [published("orders", "10"), latest("orders"), published("orders", "2"), latest("billing")],
      1_000,
    );
    const orders = await inv.get(SCOPE, "orders");
    expect(orders).toEqual({
      config: latest("orders"),
      publishedVersions: ["2", "10"],
      details: null,
      detailsRevisionId: null,
      detailsReadAt: null,
      listedAt: 1_000,
    });
    expect((await inv.get(SCOPE, "billing"))!.publishedVersions).toEqual([]);
    expect((await inv.functions(SCOPE)).map((e) => e.config.name)).toEqual(["billing", "orders"]);
    expect(await inv.functions(at("eu-west-1"))).toEqual([]);
  });

  it("hands the listed versions' configurations to the version-config store", async () => {
    const db = await fresh();
    const v2 = published("orders", "2");
    await createInventoryStore(db).putConfigs(SCOPE, [latest("orders"), v2], 1_000);
    const versions = await createVersionConfigStore(db).get([v2.arn, latest("orders").arn], 2_000);
    expect([...versions.keys()]).toEqual([v2.arn]);
    expect(versions.get(v2.arn)).toEqual(v2);
  });

  it("keeps details across listings; details carry the RevisionId they were read at", async () => {
    const inv = createInventoryStore(await fresh());
    await inv.putConfigs(SCOPE, [latest("orders", "rev-1")], 1_000);
    await inv.putDetails(SCOPE, "orders", details(), "rev-1", 1_500);
    await inv.putConfigs(SCOPE, [latest("orders", "rev-2"), published("orders", "3")], 2_000);
    const entry = (await inv.get(SCOPE, "orders"))!;
    expect(entry.details).toEqual(details());
    expect([entry.detailsRevisionId, entry.detailsReadAt, entry.listedAt]).toEqual(["rev-1", 1_500, 2_000]);
    // Stale details: the function changed since they were read.
    expect(entry.config.revisionId).toBe("rev-2");
    expect(entry.publishedVersions).toEqual(["3"]);
    // Details of a function that is not listed are not stored.
    await inv.putDetails(SCOPE, "ghost", details(), "rev-1", 1_500);
    expect(await inv.get(SCOPE, "ghost")).toBeNull();
  });

  it("merges an alias the console changed into the stored details, and only where details are stored", async () => {
    const inv = createInventoryStore(await fresh());
    await inv.putConfigs(SCOPE, [latest("orders"), latest("billing")], 1_000);
    await inv.putDetails(
      SCOPE,
      "orders",
      details({ aliases: [alias("live", "2"), alias("beta", "3")] }),
      "r",
      5,
    );
    const shifted = alias("live", "2", {
      routing: { additionalVersion: "3", weight: ratio(0.1) },
      revisionId: "x",
    });
    await inv.putAlias(SCOPE, "orders", shifted);
    await inv.putAlias(SCOPE, "orders", alias("canary", "3"));
    const entry = (await inv.get(SCOPE, "orders"))!;
    expect(entry.details!.aliases).toEqual([alias("beta", "3"), alias("canary", "3"), shifted]);
    expect([entry.detailsRevisionId, entry.detailsReadAt]).toEqual(["r", 5]);
    expect(entry.details!.reservedConcurrency).toBe(50);
    await inv.putAlias(SCOPE, "billing", shifted);
    expect((await inv.get(SCOPE, "billing"))!.details).toBeNull();
    await inv.putAlias(SCOPE, "ghost", shifted);
    expect(await inv.get(SCOPE, "ghost")).toBeNull();
  });

  it("does not put older details back when the collector stored newer ones between the alias read and write", async () => {
    const db = await fresh();
    const race = interleaved(db);
    const console_ = createInventoryStore(race.db);
    const collector = createInventoryStore(db);
    await collector.putConfigs(SCOPE, [latest("orders")], 1_000);
    await collector.putDetails(SCOPE, "orders", details(), "rev-1", 1_500);
    const newer = details({ reservedConcurrency: 80, aliases: [alias("live", "2"), alias("beta", "4")] });
    race.afterNextQuery(() => collector.putDetails(SCOPE, "orders", newer, "rev-2", 3_000));
    const changed = alias("live", "4");
    await console_.putAlias(SCOPE, "orders", changed);
    expect(race.ran).toBe(1);
    const entry = (await collector.get(SCOPE, "orders"))!;
    expect(entry.details).toEqual({ ...newer, aliases: [alias("beta", "4"), changed] });
    expect([entry.detailsRevisionId, entry.detailsReadAt]).toEqual(["rev-2", 3_000]);
  });

  it("removes functions missing from a complete listing, with their details, in that region only", async () => {
    const inv = createInventoryStore(await fresh());
    await inv.putConfigs(
      SCOPE,
      ["a", "b", "c"].map((n) => latest(n)),
      1_000,
    );
    await inv.putConfigs(at("eu-west-1"), [latest("a")], 1_000);
    await inv.putDetails(SCOPE, "a", details(), "rev-1", 1_000);
    expect(await inv.retain(SCOPE, new Set(["b"]))).toBe(2);
    expect((await inv.functions(SCOPE)).map((e) => e.config.name)).toEqual(["b"]);
    expect(await inv.get(SCOPE, "a")).toBeNull();
    expect(await inv.get(at("eu-west-1"), "a")).not.toBeNull();
    expect(await inv.retain(SCOPE, new Set(["b"]))).toBe(0);
  });

  it("stores and prunes a fleet too large for one statement", async () => {
    const inv = createInventoryStore(await fresh());
    // 5,001 functions × 6 values (and as many versions × 3): over the per-statement limit of either engine.
    const names = Array.from({ length: 5_001 }, (_, i) => `fn-${String(i).padStart(5, "0")}`);
    await inv.putConfigs(
      SCOPE,
      names.flatMap((n) => [latest(n), published(n, "1")]),
      1_000,
    );
    const all = await inv.functions(SCOPE);
    expect(all).toHaveLength(5_001);
    expect(all.every((e) => e.publishedVersions.join() === "1")).toBe(true);
    expect(await inv.retain(SCOPE, new Set(names.slice(0, 1)))).toBe(5_000);
    expect((await inv.functions(SCOPE)).map((e) => e.config.name)).toEqual([names[0]]);
  });

  it("stores a listing whole or not at all", async () => {
    const db = await fresh();
    const inv = createInventoryStore(db);
    const broken = { ...latest("zz-broken"), revisionId: null as unknown as string };
    const fleet = Array.from({ length: 5_001 }, (_, i) => latest(`fn-${i}`));
    await expect(inv.putConfigs(SCOPE, [...fleet, published("fn-1", "1"), broken], 1_000)).rejects.toThrow();
    expect(await inv.functions(SCOPE)).toEqual([]);
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM lambda_version_configs`.execute(
      db.kysely,
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it("joins a fenced write's transaction, so a collector step that fails stores none of its listing", async () => {
    const store = createStore(await fresh());
    const lease = await store.leases.acquire("collector", "replica-a", 0, 1_000);
    if (!lease) throw new Error("not acquired");
    await expect(
      store.fenced(lease, async (tx) => {
        await tx.inventory.putConfigs(SCOPE, [latest("orders")], 1_000);
        await tx.inventory.putAccount(SCOPE, account, 1_000);
        throw new Error("step failed after the write");
      }),
    ).rejects.toThrow("step failed");
    expect(await store.inventory.get(SCOPE, "orders")).toBeNull();
    expect(await store.inventory.account(SCOPE)).toBeNull();
    await store.fenced(lease, async (tx) => {
      await tx.inventory.putConfigs(SCOPE, [latest("orders")], 1_000);
      expect(await tx.inventory.retain(SCOPE, new Set())).toBe(1);
    });
    expect(await store.inventory.functions(SCOPE)).toEqual([]);
  });

  it("keeps the account settings of each region with when they were listed", async () => {
    const inv = createInventoryStore(await fresh());
    expect(await inv.account(SCOPE)).toBeNull();
    await inv.putAccount(SCOPE, account, 1_000);
    await inv.putAccount(SCOPE, { ...account, functionCount: 3 }, 2_000);
    expect(await inv.account(SCOPE)).toEqual({
      settings: { ...account, functionCount: 3 },
      listedAt: 2_000,
    });
    expect(await inv.account(at("eu-west-1"))).toBeNull();
  });

  it("treats rows it cannot read as missing, and sees another writer's change at the next read", async () => {
    const db = await fresh();
    const inv = createInventoryStore(db);
    await inv.putConfigs(SCOPE, [latest("orders"), latest("billing")], 1_000);
    await inv.putDetails(SCOPE, "billing", details(), "rev-1", 1_000);
    await inv.putAccount(SCOPE, account, 1_000);
    expect(await inv.get(SCOPE, "orders")).not.toBeNull(); // parsed and kept by this store
    await sql`UPDATE inventory_functions SET config_json = '{not json' WHERE name = 'orders'`.execute(
      db.kysely,
    );
    await sql`UPDATE inventory_functions SET details_json = '{"aliases":1}' WHERE name = 'billing'`.execute(
      db.kysely,
    );
    await sql`UPDATE inventory_regions SET account_json = 'x'`.execute(db.kysely);
    expect(await inv.get(SCOPE, "orders")).toBeNull();
    expect((await inv.functions(SCOPE)).map((e) => e.config.name)).toEqual(["billing"]);
    const billing = (await inv.get(SCOPE, "billing"))!;
    expect([billing.details, billing.detailsRevisionId, billing.detailsReadAt]).toEqual([null, null, null]);
    expect(await inv.account(SCOPE)).toBeNull();
  });

  it("lists functions by name in code-unit order on both engines", async () => {
    const inv = createInventoryStore(await fresh());
    await inv.putConfigs(
      SCOPE,
      ["alpha", "Zeta", "ab", "a-b", "_x"].map((n) => latest(n)),
      1_000,
    );
    expect((await inv.functions(SCOPE)).map((e) => e.config.name)).toEqual([
      "Zeta",
      "_x",
      "a-b",
      "ab",
      "alpha",
    ]);
  });
});
