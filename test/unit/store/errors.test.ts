/**
 * The error-group store on a real in-memory SQLite: rows round-trip (a null version included), a re-put replaces
 * the same key, queries filter by region, function and [from, to), prune drops old minutes, and a corrupt
 * examples column reads as no examples rather than failing; a window's rows, partly read minutes and the errors
 * coverage are stored together.
 */
import { describe, expect, it } from "vitest";
import type { ErrorGroupRow } from "@/lib/core/error-groups/types";
import { openDatabase } from "@/lib/store/database";
import { createErrorStore } from "@/lib/store/errors";

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 23, 11, 30);

const row = (over: Partial<ErrorGroupRow> = {}): ErrorGroupRow => ({
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

describe("error store", () => {
  it("stores a window's rows, partly read minutes and coverage together; coverage widens contiguously", () => {
    const db = openDatabase(":memory:");
    const s = createErrorStore(db);
    expect(s.coverage("us-east-1")).toBeNull();
    s.putWindow(
      "us-east-1",
      { from: T0, to: T0 + 2 * MINUTE },
      [row()],
      [{ t: T0 + MINUTE, logGroup: "/aws/lambda/payments-api" }],
      1,
    );
    s.putWindow("us-east-1", { from: T0 - MINUTE, to: T0 }, [], [], 2);
    expect(s.coverage("us-east-1")).toEqual({ from: T0 - MINUTE, to: T0 + 2 * MINUTE, updatedAt: 2 });
    expect(s.coverage("eu-west-1")).toBeNull();
    expect(s.rows({ regions: ["us-east-1"], from: T0, to: T0 + MINUTE })).toHaveLength(1);
    expect(s.partialMinutes({ regions: ["us-east-1"], from: T0, to: T0 + 2 * MINUTE })).toEqual([
      { region: "us-east-1", t: T0 + MINUTE, logGroup: "/aws/lambda/payments-api" },
    ]);
    // A window read again replaces its partly read minutes.
    s.putWindow("us-east-1", { from: T0 + MINUTE, to: T0 + 2 * MINUTE }, [], [], 3);
    expect(s.partialMinutes({ regions: ["us-east-1"], from: 0, to: T0 + 5 * MINUTE })).toEqual([]);
    // The REPORT rollups' coverage is another source of the same table: untouched.
    expect(db.prepare("SELECT COUNT(*) AS n FROM rollup_coverage WHERE source != 'errors'").get()).toEqual({
      n: 0,
    });
  });

  it("round-trips rows, a null version and a null frame included", () => {
    const db = openDatabase(":memory:");
    const s = createErrorStore(db);
    const a = row();
    const b = row({
      version: null,
      frame: null,
      fingerprint: "fedcba9876543210",
      kind: "timeout",
      t: T0 + MINUTE,
    });
    s.put([a, b]);
    expect(s.rows({ regions: ["us-east-1"], from: T0, to: T0 + 2 * MINUTE })).toEqual([a, b]);
  });

  it("a re-put of the same key replaces the row", () => {
    const s = createErrorStore(openDatabase(":memory:"));
    s.put([row()]);
    s.put([row({ count: 7 })]);
    const rows = s.rows({ regions: ["us-east-1"], from: T0, to: T0 + MINUTE });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.count).toBe(7);
  });

  it("filters by regions, function and [from, to)", () => {
    const s = createErrorStore(openDatabase(":memory:"));
    s.put([
      row(),
      row({ fn: "legacy-sync" }),
      row({ region: "eu-west-1" }),
      row({ t: T0 + MINUTE }),
      row({ t: T0 - MINUTE }),
    ]);
    expect(s.rows({ regions: ["us-east-1"], from: T0, to: T0 + MINUTE })).toHaveLength(2);
    expect(s.rows({ regions: ["us-east-1"], fn: "payments-api", from: T0, to: T0 + MINUTE })).toHaveLength(1);
    expect(
      s.rows({ regions: ["us-east-1", "eu-west-1"], fn: "payments-api", from: T0, to: T0 + MINUTE }),
    ).toHaveLength(2);
    expect(s.rows({ regions: [], from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual([]);
    expect(s.rows({ regions: ["us-east-1"], from: T0, to: T0 + 2 * MINUTE }).map((r) => r.t)).toEqual([
      T0,
      T0,
      T0 + MINUTE,
    ]);
  });

  it("prunes minutes before the cutoff", () => {
    const s = createErrorStore(openDatabase(":memory:"));
    s.put([row({ t: T0 - MINUTE }), row(), row({ t: T0 + MINUTE })]);
    expect(s.prune(T0)).toBe(1);
    expect(s.rows({ regions: ["us-east-1"], from: 0, to: Number.MAX_SAFE_INTEGER }).map((r) => r.t)).toEqual([
      T0,
      T0 + MINUTE,
    ]);
  });

  it("keeps at most three examples, and reads a corrupt examples column as none", () => {
    const db = openDatabase(":memory:");
    const s = createErrorStore(db);
    const ex = (n: number) => ({ requestId: `req-${n}`, atMs: T0 + n, traceId: null });
    s.put([row({ examples: [ex(1), ex(2), ex(3), ex(4)] })]);
    expect(s.rows({ regions: ["us-east-1"], from: T0, to: T0 + MINUTE })[0]!.examples).toHaveLength(3);
    db.prepare("UPDATE error_groups SET examples_json = ?").run("{not json");
    expect(s.rows({ regions: ["us-east-1"], from: T0, to: T0 + MINUTE })[0]!.examples).toEqual([]);
  });
});
