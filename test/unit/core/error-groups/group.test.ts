/**
 * groupErrors: each failing request is counted once, in exactly one failure group (timeout > oom > unhandled,
 * from its most detailed line), logged errors of requests that did not fail are their own groups, rows are per
 * (function, version, minute, fingerprint) inside the window, with at most three examples.
 */
import { describe, expect, it } from "vitest";
import { classifyLine } from "@/lib/core/error-groups/classify";
import { groupErrors, type FunctionErrorEvent } from "@/lib/core/error-groups/group";

const HOME = { account: "111111111111", region: "us-east-1" };
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 23, 11, 30);
const W = { start: T0, end: T0 + 5 * MINUTE };
const rid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const stream = (v: string) => `2026/11/23/[${v}]0a1b2c3d4e5f60718293a4b5c6d7e8f9`;

function ev(
  message: string,
  atMs: number,
  over: { fn?: string; version?: string; requestId?: string } = {},
): FunctionErrorEvent {
  const e = classifyLine({
    atMs,
    requestId: over.requestId ?? null,
    logStream: stream(over.version ?? "8"),
    logGroup: `/aws/lambda/${over.fn ?? "payments-api"}`,
    message,
  });
  if (!e) throw new Error(`not an error line: ${message}`);
  return { ...e, fn: over.fn ?? "payments-api" };
}

const iso = (t: number) => new Date(t).toISOString();
const invokeError = (n: number, at: number, charge: string) =>
  `${iso(at)}\t${rid(n)}\tERROR\tInvoke Error \t${JSON.stringify({
    errorType: "PaymentDeclinedError",
    errorMessage: `Charge ${charge} declined for customer cus_Nf8aK2pQ0xY${n} (code: card_declined)`,
    stack: [
      "PaymentDeclinedError: Charge …",
      "    at chargeCard (file:///var/task/src/payments/charge.mjs:31:11)",
    ],
  })}\n`;
const timeoutLine = (n: number, at: number) => `${iso(at)} ${rid(n)} Task timed out after 10.00 seconds\n`;
const timeoutReport = (n: number) =>
  `REPORT RequestId: ${rid(n)}\tDuration: 10000.00 ms\tBilled Duration: 10000 ms\tMemory Size: 256 MB\tMax Memory Used: 80 MB\tStatus: timeout\t\n`;
const oomReport = (n: number) =>
  `REPORT RequestId: ${rid(n)}\tDuration: 900.00 ms\tBilled Duration: 900 ms\tMemory Size: 512 MB\tMax Memory Used: 512 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t\n`;
const oomLine = (n: number) =>
  `RequestId: ${rid(n)} Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n`;
const logged = (n: number, at: number, msg: string) => `${iso(at)}\t${rid(n)}\tERROR\t${msg}\n`;

describe("groupErrors", () => {
  it("the same site with different ids is one group; counts are distinct requests", () => {
    const rows = groupErrors(
      HOME,
      [
        ev(invokeError(1, T0 + 1_000, "ch_3Q8x2LkA9fT0cP1mZ7"), T0 + 1_000),
        ev(invokeError(2, T0 + 2_000, "ch_9Zp1QwErTy7UiOp2AsD3"), T0 + 2_000),
        ev(invokeError(3, T0 + 3_000, "ch_Lk5Jh4Gf3Ds2Aa1"), T0 + 3_000),
        ev(invokeError(4, T0 + 4_000, "ch_Qq1Ww2Ee3Rr4Tt5"), T0 + 4_000),
      ],
      W,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      fn: "payments-api",
      version: "8",
      t: T0,
      kind: "unhandled",
      errorType: "PaymentDeclinedError",
      pattern: "Charge <id> declined for customer <id> (code: card_declined)",
      frame: "chargeCard (/var/task/src/payments/charge.mjs)",
      count: 4,
      firstMs: T0 + 1_000,
      lastMs: T0 + 4_000,
    });
    expect(rows[0]!.examples.map((e) => e.requestId)).toEqual([rid(1), rid(2), rid(3)]);
    expect(rows[0]!.sample).toMatch(/^Charge ch_3Q8x2LkA9fT0cP1mZ7 declined/);
  });

  it("a timed-out request is one timeout, from its timeout line, not also unhandled", () => {
    const at = T0 + 10_000;
    const rows = groupErrors(
      HOME,
      [
        ev(logged(5, at - 5, "TypeError: cannot read x"), at - 5),
        ev(timeoutLine(5, at), at),
        ev(timeoutReport(5), at),
        ev(invokeError(5, at, "ch_3Q8x2LkA9fT0cP1mZ7"), at),
      ],
      W,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "timeout", count: 1, pattern: "Task timed out after <n> seconds" });
  });

  it("an OOM kill beats an unhandled error; the REPORT alone still counts it", () => {
    const rows = groupErrors(
      HOME,
      [
        ev(oomLine(6), T0 + 1_000),
        ev(oomReport(6), T0 + 1_000),
        ev(invokeError(6, T0 + 1_000, "ch_3Q8x2LkA9fT0cP1mZ7"), T0 + 1_000),
        ev(oomReport(7), T0 + 2_000),
      ],
      W,
    );
    const oom = rows.filter((r) => r.kind === "oom");
    expect(oom.reduce((a, r) => a + r.count, 0)).toBe(2);
    expect(rows.filter((r) => r.kind !== "oom")).toHaveLength(0);
  });

  it("logged errors of requests that did not fail are their own groups, once per request", () => {
    const rows = groupErrors(
      HOME,
      [
        ev(logged(8, T0 + 1_000, "cache refresh failed for key user:42"), T0 + 1_000),
        ev(logged(8, T0 + 1_500, "cache refresh failed for key user:43"), T0 + 1_500),
        ev(logged(9, T0 + 2_000, "cache refresh failed for key user:44"), T0 + 2_000),
        // A failed request's own logged line is not counted as logged too.
        ev(logged(10, T0 + 2_500, "cache refresh failed for key user:45"), T0 + 2_500),
        ev(invokeError(10, T0 + 2_600, "ch_3Q8x2LkA9fT0cP1mZ7"), T0 + 2_600),
      ],
      W,
    );
    const log = rows.filter((r) => r.kind === "logged");
    expect(log).toHaveLength(1);
    expect(log[0]!.count).toBe(2);
    expect(rows.filter((r) => r.kind === "unhandled").reduce((a, r) => a + r.count, 0)).toBe(1);
  });

  it("splits by function, version and minute; drops minutes outside the window", () => {
    const rows = groupErrors(
      HOME,
      [
        ev(timeoutLine(11, T0 + 1_000), T0 + 1_000, { version: "7" }),
        ev(timeoutLine(12, T0 + 2_000), T0 + 2_000, { version: "8" }),
        ev(timeoutLine(13, T0 + MINUTE + 1), T0 + MINUTE + 1, { version: "8" }),
        ev(timeoutLine(14, T0 + 3_000), T0 + 3_000, { fn: "legacy-sync", version: "3" }),
        ev(timeoutLine(15, W.end + 1), W.end + 1),
        ev(timeoutLine(16, W.start - 1), W.start - 1),
      ],
      W,
    );
    expect(rows.map((r) => [r.fn, r.version, r.t - T0, r.count])).toEqual([
      ["legacy-sync", "3", 0, 1],
      ["payments-api", "7", 0, 1],
      ["payments-api", "8", 0, 1],
      ["payments-api", "8", MINUTE, 1],
    ]);
    // One fingerprint for a site across versions and functions.
    expect(new Set(rows.map((r) => r.fingerprint)).size).toBe(1);
  });

  it("a failure whose lines straddle a minute is counted at its last failure line", () => {
    const at = T0 + MINUTE - 1;
    const rows = groupErrors(HOME, [ev(timeoutLine(17, at), at), ev(timeoutReport(17), at + 2)], W);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.t).toBe(T0 + MINUTE);
    expect(rows[0]).toMatchObject(HOME);
  });

  it("lines without a request id are each their own request and give no example", () => {
    const py =
      "[ERROR] KeyError: 'customer_id'\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 42, in handler\n";
    const rows = groupErrors(HOME, [ev(py, T0 + 1_000), ev(py, T0 + 2_000)], W);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 2, examples: [] });
  });

  it("is deterministic whatever the input order", () => {
    const events = [
      ev(invokeError(1, T0 + 1_000, "ch_3Q8x2LkA9fT0cP1mZ7"), T0 + 1_000),
      ev(timeoutLine(2, T0 + 2_000), T0 + 2_000),
      ev(logged(3, T0 + 3_000, "boom 1"), T0 + 3_000),
      ev(oomReport(4), T0 + 64_000),
    ];
    expect(groupErrors(HOME, [...events].reverse(), W)).toEqual(groupErrors(HOME, events, W));
  });
});
