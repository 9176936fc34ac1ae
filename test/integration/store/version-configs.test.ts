/**
 * The published-version configuration store on both engines (SQLite and PostgreSQL): entries by qualified ARN,
 * served only while younger than the maximum age, unreadable rows missing, thousands of ARNs per lookup, the
 * inventory cursor's age limit, and the process-lifetime memo in front of it.
 */
import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { AccountId } from "@/lib/core/accounts/account-id";
import {
  createVersionConfigStore,
  memoizedVersionConfigs,
  INVENTORY_CURSOR_MAX_AGE_MS,
  VERSION_CONFIG_MAX_AGE_MS,
  versionArn,
} from "@/lib/store/version-configs";
import { config } from "../../unit/core/advisor-fixtures";
import { describeStores } from "../../support/stores";

const DAY = 86_400_000;
const version = (name: string, v: string, runtime = "nodejs22.x", account = "000000000000") =>
  config({ name, version: v, runtime, arn: `arn:aws:lambda:us-east-1:${account}:function:${name}:${v}` });

describeStores("version configuration store", (fresh) => {
  it("returns what was put, by qualified ARN, and nothing for other accounts", async () => {
    const store = createVersionConfigStore(await fresh());
    const v3 = version("orders", "3", "python3.8");
    await store.put([v3], 1000);
    const got = await store.get([v3.arn, version("orders", "3", "python3.8", "111111111111").arn], 2000);
    expect([...got.keys()]).toEqual([v3.arn]);
    expect(got.get(v3.arn)).toEqual(v3);
  });

  it("stops serving an entry once it is older than the maximum age", async () => {
    const store = createVersionConfigStore(await fresh());
    const v = version("orders", "1");
    await store.put([v], 10 * DAY);
    expect((await store.get([v.arn], 10 * DAY + VERSION_CONFIG_MAX_AGE_MS - 1)).size).toBe(1);
    expect((await store.get([v.arn], 10 * DAY + VERSION_CONFIG_MAX_AGE_MS)).size).toBe(0);
  });

  it("treats an unreadable row as missing", async () => {
    const db = await fresh();
    const store = createVersionConfigStore(db);
    const v = version("orders", "1");
    await store.put([v], 1000);
    await sql`UPDATE lambda_version_configs SET config_json = '{not json' WHERE arn = ${v.arn}`.execute(
      db.kysely,
    );
    expect((await store.get([v.arn], 2000)).size).toBe(0);
  });

  it("looks up thousands of ARNs in one call", async () => {
    const store = createVersionConfigStore(await fresh());
    const all = Array.from({ length: 5000 }, (_, i) => version(`fn-${i}`, "1"));
    await store.put(all, 1000);
    expect(
      (
        await store.get(
          all.map((c) => c.arn),
          2000,
        )
      ).size,
    ).toBe(5000);
  });

  it("memoizes in front of the store and writes through to it", async () => {
    const db = await fresh();
    const v = version("orders", "2");
    const first = memoizedVersionConfigs(createVersionConfigStore(db));
    await first.put([v], 1000);
    const restarted = memoizedVersionConfigs(createVersionConfigStore(db));
    expect((await restarted.get([v.arn], 2000)).get(v.arn)).toEqual(v);
    expect((await memoizedVersionConfigs(null).get([v.arn], 2000)).size).toBe(0);
  });

  it("resumes the inventory cursor only while it is fresh, and forgets a cleared one", async () => {
    const store = createVersionConfigStore(await fresh());
    const scope = { account: "000000000000" as AccountId, region: "us-east-1" };
    expect(await store.cursor(scope, 1_000)).toBeNull();
    await store.setCursor(scope, "marker-1", 1_000);
    await store.setCursor(scope, "marker-2", 2_000);
    expect(await store.cursor(scope, 2_000 + INVENTORY_CURSOR_MAX_AGE_MS - 1)).toBe("marker-2");
    expect(await store.cursor(scope, 2_000 + INVENTORY_CURSOR_MAX_AGE_MS)).toBeNull();
    expect(await store.cursor({ ...scope, account: "111111111111" as AccountId }, 2_000)).toBeNull();
    expect(await store.cursor({ ...scope, region: "eu-west-1" }, 2_000)).toBeNull();
    await store.setCursor(scope, null, 3_000);
    expect(await store.cursor(scope, 3_000)).toBeNull();
  });

  it("stores more configurations than one statement may bind, the last of an ARN given twice winning", async () => {
    const store = createVersionConfigStore(await fresh());
    // 12,000 × 3 values: over the per-statement limit of either engine.
    const all = Array.from({ length: 12_000 }, (_, i) => version(`fn-${i}`, "1"));
    const replaced = version("fn-0", "1", "python3.12");
    await store.put([...all, replaced], 1000);
    const got = await store.get([...all.map((c) => c.arn), all[0]!.arn], 2000);
    expect(got.size).toBe(12_000);
    expect(got.get(replaced.arn)).toEqual(replaced);
  });
});

describe("version configuration ARNs", () => {
  it("derives a version's ARN from $LATEST's, qualified or not", () => {
    const latest = config({ name: "orders", arn: "arn:aws:lambda:us-east-1:000000000000:function:orders" });
    expect(versionArn(latest, "7")).toBe("arn:aws:lambda:us-east-1:000000000000:function:orders:7");
    const qualified = { ...latest, arn: `${latest.arn}:$LATEST` };
    expect(versionArn(qualified, "7")).toBe(versionArn(latest, "7"));
  });
});
