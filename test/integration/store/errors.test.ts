/**
 * The error-group store on both engines (SQLite and PostgreSQL): rows round-trip (a null version included), a re-put replaces
 * the same key, queries filter by region, function and [from, to), prune drops old minutes, and a corrupt
 * examples column reads as no examples rather than failing; a window's rows, partly read minutes and the errors
 * coverage are stored together, atomically; rows come back in the same order on both engines.
 */
import { expect, it } from "vitest";
import { sql } from "kysely";
import type { AccountId } from "@/lib/core/accounts/account-id";
import type { ErrorGroupRow } from "@/lib/core/error-groups/types";
import { createStore } from "@/lib/store";
import { createErrorStore } from "@/lib/store/errors";
import { describeStores } from "../../support/stores";

const ACCOUNT = "111111111111" as AccountId;
const at = (region: string) => ({ account: ACCOUNT, region });
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 23, 11, 30);

const row = (over: Partial<ErrorGroupRow> = {}): ErrorGroupRow => ({
  account: ACCOUNT,
  region: "us-east-1",
  fn: "payments-api",
  version: "8",
  t: T0,
  fingerprint: "0123456789abcdef",
  kind: "unhandled",
  errorType: "PaymentDeclinedError",
  pattern: "Charge <id> declined for customer <id> (code: card_declined)",
  sample: "Charge ch_3Q8x2LkA9fT0cP1mZ7 declined for customer cus_Nf8aK2pQ0xY4 (code: card_declined)",
  frame: "chargeCard (/var/task/src/payments/charge.mjs)",
  count: 4,
  firstMs: T0 + 1_000,
  lastMs: T0 + 4_000,
  examples: [{ requestId: "8b2c4f1e-3d5a-4e6b-9c7d-0a1b2c3d4e5f", atMs: T0 + 1_000, traceId: null }],
  ...over,
});

describeStores("error store", (fresh) => {
  it("stores a window's rows, partly read minutes and coverage together; coverage widens contiguously", async () => {
    const db = await fresh();
    const s = createErrorStore(db);
    expect(await s.coverage(at("us-east-1"))).toBeNull();
    await s.putWindow(
      at("us-east-1"),
      { from: T0, to: T0 + 2 * MINUTE },
      [row()],
      [{ t: T0 + MINUTE, logGroup: "/aws/lambda/payments-api" }],
      1,
    );
    await s.putWindow(at("us-east-1"), { from: T0 - MINUTE, to: T0 }, [], [], 2);
    expect(await s.coverage(at("us-east-1"))).toEqual({
      from: T0 - MINUTE,
      to: T0 + 2 * MINUTE,
      updatedAt: 2,
    });
    expect(await s.coverage(at("eu-west-1"))).toBeNull();
    expect(await s.rows({ scopes: ["us-east-1"].map(at), from: T0, to: T0 + MINUTE })).toHaveLength(1);
    expect(await s.partialMinutes({ scopes: ["us-east-1"].map(at), from: T0, to: T0 + 2 * MINUTE })).toEqual([
      { account: ACCOUNT, region: "us-east-1", t: T0 + MINUTE, logGroup: "/aws/lambda/payments-api" },
    ]);
    // A window read again replaces its partly read minutes.
    await s.putWindow(at("us-east-1"), { from: T0 + MINUTE, to: T0 + 2 * MINUTE }, [], [], 3);
    expect(await s.partialMinutes({ scopes: ["us-east-1"].map(at), from: 0, to: T0 + 5 * MINUTE })).toEqual(
      [],
    );
    // The REPORT rollups' coverage is another source of the same table: untouched.
    const { rows } = await sql<{ n: number }>`
      SELECT COUNT(*) AS n FROM rollup_coverage WHERE source <> 'errors'`.execute(db.kysely);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it("round-trips rows, a null version and a null frame included", async () => {
    const db = await fresh();
    const s = createErrorStore(db);
    const a = row();
    const b = row({
      version: null,
      frame: null,
      fingerprint: "fedcba9876543210",
      kind: "timeout",
      t: T0 + MINUTE,
    });
    await s.put([a, b]);
    expect(await s.rows({ scopes: ["us-east-1"].map(at), from: T0, to: T0 + 2 * MINUTE })).toEqual([a, b]);
  });

  it("a re-put of the same key replaces the row", async () => {
    const s = createErrorStore(await fresh());
    await s.put([row()]);
    await s.put([row({ count: 7 })]);
    const rows = await s.rows({ scopes: ["us-east-1"].map(at), from: T0, to: T0 + MINUTE });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.count).toBe(7);
  });

  it("filters by regions, function and [from, to)", async () => {
    const s = createErrorStore(await fresh());
    await s.put([
      row(),
      row({ fn: "legacy-sync" }),
      row({ region: "eu-west-1" }),
      row({ t: T0 + MINUTE }),
      row({ t: T0 - MINUTE }),
    ]);
    expect(await s.rows({ scopes: ["us-east-1"].map(at), from: T0, to: T0 + MINUTE })).toHaveLength(2);
    expect(
      await s.rows({ scopes: ["us-east-1"].map(at), fn: "payments-api", from: T0, to: T0 + MINUTE }),
    ).toHaveLength(1);
    expect(
      await s.rows({
        scopes: ["us-east-1", "eu-west-1"].map(at),
        fn: "payments-api",
        from: T0,
        to: T0 + MINUTE,
      }),
    ).toHaveLength(2);
    expect(await s.rows({ scopes: [].map(at), from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual([]);
    expect(
      (await s.rows({ scopes: ["us-east-1"].map(at), from: T0, to: T0 + 2 * MINUTE })).map((r) => r.t),
    ).toEqual([T0, T0, T0 + MINUTE]);
  });

  it("prunes minutes before the cutoff", async () => {
    const s = createErrorStore(await fresh());
    await s.put([row({ t: T0 - MINUTE }), row(), row({ t: T0 + MINUTE })]);
    expect(await s.prune(T0)).toBe(1);
    expect(
      (await s.rows({ scopes: ["us-east-1"].map(at), from: 0, to: Number.MAX_SAFE_INTEGER })).map((r) => r.t),
    ).toEqual([T0, T0 + MINUTE]);
  });

  it("keeps at most three examples, and reads a corrupt examples column as none", async () => {
    const db = await fresh();
    const s = createErrorStore(db);
    const ex = (n: number) => ({ requestId: `req-${n}`, atMs: T0 + n, traceId: null });
    await s.put([row({ examples: [ex(1), ex(2), ex(3), ex(4)] })]);
    expect(
      (await s.rows({ scopes: ["us-east-1"].map(at), from: T0, to: T0 + MINUTE }))[0]!.examples,
    ).toHaveLength(3);
    await sql`UPDATE error_groups SET examples_json = ${"{not json"}`.execute(db.kysely);
    expect((await s.rows({ scopes: ["us-east-1"].map(at), from: T0, to: T0 + MINUTE }))[0]!.examples).toEqual(
      [],
    );
  });

  it("prunes partly read minutes with the rows and counts both", async () => {
    const s = createErrorStore(await fresh());
    await s.putWindow(
      at("us-east-1"),
      { from: T0 - MINUTE, to: T0 + MINUTE },
      [row({ t: T0 - MINUTE }), row()],
      [{ t: T0 - MINUTE, logGroup: "/aws/lambda/payments-api" }],
      1,
    );
    expect(await s.prune(T0)).toBe(2);
    expect(await s.partialMinutes({ scopes: ["us-east-1"].map(at), from: 0, to: T0 + MINUTE })).toEqual([]);
    expect(await s.rows({ scopes: ["us-east-1"].map(at), from: 0, to: T0 + MINUTE })).toHaveLength(1);
  });

  it("stores a window too large for one statement, and a key given twice keeps the last", async () => {
    const s = createErrorStore(await fresh());
    // 2,500 rows × 14 columns: more values than one statement may bind on either engine.
    const many = Array.from({ length: 2_500 }, (_, i) =>
      row({ fingerprint: `fp-${String(i).padStart(5, "0")}` }),
    );
    const partial = Array.from({ length: 11_000 }, (_, i) => ({ t: T0, logGroup: `/aws/lambda/g-${i}` }));
    await s.putWindow(
      at("us-east-1"),
      { from: T0, to: T0 + MINUTE },
      [...many, row({ fingerprint: "fp-00000", count: 9 })],
      partial,
      1,
    );
    const stored = await s.rows({ scopes: ["us-east-1"].map(at), from: T0, to: T0 + MINUTE });
    expect(stored).toHaveLength(2_500);
    expect(stored[0]).toMatchObject({ fingerprint: "fp-00000", count: 9 });
    expect(await s.partialMinutes({ scopes: ["us-east-1"].map(at), from: T0, to: T0 + MINUTE })).toHaveLength(
      11_000,
    );
  });

  it("leaves nothing behind when a window fails part-way, and widens no coverage", async () => {
    const db = await fresh();
    const s = createErrorStore(db);
    const good = Array.from({ length: 2_500 }, (_, i) => row({ fingerprint: `fp-${i}` }));
    // The last row breaks a NOT NULL column: its statement fails after the first chunk was written.
    const broken = row({ fingerprint: "broken", errorType: null as unknown as string });
    await expect(
      s.putWindow(
        at("us-east-1"),
        { from: T0, to: T0 + MINUTE },
        [...good, broken],
        [{ t: T0, logGroup: "g" }],
        1,
      ),
    ).rejects.toThrow();
    expect(await s.rows({ scopes: ["us-east-1"].map(at), from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual([]);
    expect(
      await s.partialMinutes({ scopes: ["us-east-1"].map(at), from: 0, to: Number.MAX_SAFE_INTEGER }),
    ).toEqual([]);
    expect(await s.coverage(at("us-east-1"))).toBeNull();
  });

  it("joins a fenced write's transaction: rolled back with it, kept when it commits", async () => {
    const store = createStore(await fresh());
    const lease = await store.leases.acquire("collector", "a", 0, 1_000);
    if (!lease) throw new Error("not acquired");
    const window = { from: T0, to: T0 + MINUTE };
    await expect(
      store.fenced(lease, async (tx) => {
        await tx.errors.putWindow(at("us-east-1"), window, [row()], [], 1);
        throw new Error("step failed after the write");
      }),
    ).rejects.toThrow("step failed");
    expect(await store.errors.coverage(at("us-east-1"))).toBeNull();
    await store.fenced(lease, (tx) => tx.errors.putWindow(at("us-east-1"), window, [row()], [], 2));
    expect(await store.errors.coverage(at("us-east-1"))).toEqual({ ...window, updatedAt: 2 });
    expect(
      await store.errors.rows({ scopes: ["us-east-1"].map(at), from: T0, to: T0 + MINUTE }),
    ).toHaveLength(1);
  });

  it("reads rows in one order on both engines: minute, regions as asked, then names by code units", async () => {
    const s = createErrorStore(await fresh());
    const names = ["alpha", "Zeta", "ab", "a-b", "_x"];
    await s.put([
      ...names.map((fn) => row({ fn })),
      row({ region: "eu-west-1", fn: "zz" }),
      row({ fn: "later", t: T0 + MINUTE }),
    ]);
    const got = await s.rows({ scopes: ["eu-west-1", "us-east-1"].map(at), from: T0, to: T0 + 2 * MINUTE });
    expect(got.map((r) => r.fn)).toEqual(["zz", "Zeta", "_x", "a-b", "ab", "alpha", "later"]);
  });
});
