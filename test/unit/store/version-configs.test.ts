import { describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/store/database";
import {
  createVersionConfigStore,
  memoizedVersionConfigs,
  VERSION_CONFIG_MAX_AGE_MS,
  versionArn,
} from "@/lib/store/version-configs";
import { config } from "../core/advisor-fixtures";

const DAY = 86_400_000;
const version = (name: string, v: string, runtime = "nodejs22.x", account = "000000000000") =>
  config({ name, version: v, runtime, arn: `arn:aws:lambda:us-east-1:${account}:function:${name}:${v}` });

describe("version configuration store", () => {
  it("returns what was put, by qualified ARN, and nothing for other accounts", () => {
    const store = createVersionConfigStore(openDatabase(":memory:"));
    const v3 = version("orders", "3", "python3.8");
    store.put([v3], 1000);
    const got = store.get([v3.arn, version("orders", "3", "python3.8", "111111111111").arn], 2000);
    expect([...got.keys()]).toEqual([v3.arn]);
    expect(got.get(v3.arn)).toEqual(v3);
  });

  it("stops serving an entry once it is older than the maximum age", () => {
    const store = createVersionConfigStore(openDatabase(":memory:"));
    const v = version("orders", "1");
    store.put([v], 10 * DAY);
    expect(store.get([v.arn], 10 * DAY + VERSION_CONFIG_MAX_AGE_MS - 1).size).toBe(1);
    expect(store.get([v.arn], 10 * DAY + VERSION_CONFIG_MAX_AGE_MS).size).toBe(0);
  });

  it("treats an unreadable row as missing", () => {
    const db = openDatabase(":memory:");
    const store = createVersionConfigStore(db);
    const v = version("orders", "1");
    store.put([v], 1000);
    db.prepare("UPDATE lambda_version_configs SET config_json = '{not json' WHERE arn = ?").run(v.arn);
    expect(store.get([v.arn], 2000).size).toBe(0);
  });

  it("looks up thousands of ARNs in one call", () => {
    const store = createVersionConfigStore(openDatabase(":memory:"));
    const all = Array.from({ length: 5000 }, (_, i) => version(`fn-${i}`, "1"));
    store.put(all, 1000);
    expect(
      store.get(
        all.map((c) => c.arn),
        2000,
      ).size,
    ).toBe(5000);
  });

  it("memoizes in front of the store and writes through to it", () => {
    const db = openDatabase(":memory:");
    const v = version("orders", "2");
    const first = memoizedVersionConfigs(createVersionConfigStore(db));
    first.put([v], 1000);
    const restarted = memoizedVersionConfigs(createVersionConfigStore(db));
    expect(restarted.get([v.arn], 2000).get(v.arn)).toEqual(v);
    expect(memoizedVersionConfigs(null).get([v.arn], 2000).size).toBe(0);
  });

  it("derives a version's ARN from $LATEST's, qualified or not", () => {
    const latest = config({ name: "orders", arn: "arn:aws:lambda:us-east-1:000000000000:function:orders" });
    expect(versionArn(latest, "7")).toBe("arn:aws:lambda:us-east-1:000000000000:function:orders:7");
    const qualified = { ...latest, arn: `${latest.arn}:$LATEST` };
    expect(versionArn(qualified, "7")).toBe(versionArn(latest, "7"));
  });
});
