/** The /traffic list's verdicts read from the collector's per-version minute rows (a real SQLite store in memory). */
import { describe, expect, it } from "vitest";
import { parseAccountId } from "@/lib/core/accounts";
import type { Alias } from "@/lib/core/lambda/types";
import { emptyMetric, versionRowKey } from "@/lib/core/rollup/types";
import { ratio } from "@/lib/core/units";
import { storedVerdicts } from "@/lib/data/traffic/alias-verdict";
import { createStore } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";

const REGION = "us-east-1";
const SCOPE = { account: parseAccountId("111111111111"), region: REGION };
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0);
const live: Alias = {
  name: "live",
  arn: "arn:aws:lambda:us-east-1:123456789012:function:payments-api:live",
  functionVersion: "7",
  description: "",
  routing: { additionalVersion: "8", weight: ratio(0.3) },
  revisionId: "r1",
};

async function storeWith(minutes: number, perMinute: Record<string, [number, number]>) {
  const store = createStore(openDatabase(":memory:"));
  const rows = [];
  for (let i = 0; i < minutes; i++) {
    for (const [version, [invocations, errors]] of Object.entries(perMinute)) {
      rows.push({
        ...emptyMetric(SCOPE, versionRowKey("payments-api", "live", version), 60, T0 + i * MINUTE),
        invocations,
        errors,
      });
    }
  }
  await store.telemetry.putMetrics(rows);
  await store.telemetry.setCoverage(SCOPE, "metrics", 60, T0, T0 + minutes * MINUTE, T0 + minutes * MINUTE);
  return store;
}

describe("storedVerdicts", () => {
  it("judges the last 30 collected minutes: v8 at 18 inv + 3 err a minute vs v7 at 42 + 0 is failing", async () => {
    // 40 minutes collected: only the last 30 count (540 v8 invocations, 90 errors).
    const store = await storeWith(40, { "7": [42, 0], "8": [18, 3] });
    const v = await storedVerdicts({ store }, SCOPE);
    expect(v.window).toEqual({ start: T0 + 10 * MINUTE, end: T0 + 40 * MINUTE });
    const verdict = v.of("payments-api", live);
    expect(verdict?.health).toBe("failing");
    expect([verdict?.canary.invocations, verdict?.canary.errors]).toEqual([540, 90]);
    expect([verdict?.stable.invocations, verdict?.stable.errors]).toEqual([1260, 0]);
    expect(verdict?.stable.p99).toBeNull(); // the store keeps no percentiles
  });

  it("has no verdict for an alias without a canary, or a region with nothing collected", async () => {
    const store = await storeWith(5, { "7": [42, 0] });
    expect(
      (await storedVerdicts({ store }, SCOPE)).of("payments-api", { ...live, routing: null }),
    ).toBeNull();
    const empty = await storedVerdicts({ store: createStore(openDatabase(":memory:")) }, SCOPE);
    expect(empty.window).toBeNull();
    expect(empty.of("payments-api", live)).toBeNull();
  });

  it("reads only its own account: the same region and function in another account has no verdict", async () => {
    const store = await storeWith(40, { "7": [42, 0], "8": [18, 3] });
    const other = await storedVerdicts(
      { store },
      { account: parseAccountId("222222222222"), region: REGION },
    );
    expect(other.window).toBeNull();
    expect(other.of("payments-api", live)).toBeNull();
  });

  it("says 'not enough traffic' for a canary the collector has too few minutes of", async () => {
    const store = await storeWith(2, { "7": [42, 0], "8": [18, 0] });
    expect((await storedVerdicts({ store }, SCOPE)).of("payments-api", live)?.health).toBe("insufficient");
  });
});
