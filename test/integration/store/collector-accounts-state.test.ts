/**
 * The collector's per-account state (lib/store/collector-accounts.ts, migration 12) on both engines: a row per
 * account, failing with its coded error and since when, or ok; failingSince kept while the account keeps failing
 * (whatever its error becomes) and set afresh after it recovered; reads of every row or of some accounts; and a
 * collector that lost its lease writes nothing here either.
 */
import { expect, it } from "vitest";
import { COLLECTOR_LEASE } from "@/lib/collector/collector";
import { epochMs } from "@/lib/core/units";
import { createStore } from "@/lib/store";
import { describeStores } from "../../support/stores";

const A = "111111111111";
const B = "222222222222";
const C = "333333333333";
const T0 = Date.UTC(2026, 11, 7, 23, 0);
const M = 60_000;
const at = (minutes: number) => epochMs(T0 + minutes * M);
const denied = {
  code: "AccessDenied",
  message: `Fleetscope could not assume arn:aws:iam::${B}:role/fleetscope: AccessDenied`,
};
/** `error` as the collector writes it: with when it saw the account begin failing. */
const since = (error: { code: string; message: string }, minutes: number) => ({
  ...error,
  since: at(minutes),
});

describeStores("collector account state", (fresh) => {
  it("keeps one row per account: failing with its error and since when, or ok", async () => {
    const store = createStore(await fresh());
    expect(await store.collectorAccounts.list()).toEqual([]);
    await store.collectorAccounts.put(B, since(denied, 0), at(1));
    await store.collectorAccounts.put(A, null, at(1));
    expect(await store.collectorAccounts.list()).toEqual([
      { account: A, state: "ok", error: null, failingSince: null, updatedAt: at(1) },
      { account: B, state: "failing", error: denied, failingSince: at(0), updatedAt: at(1) },
    ]);
  });

  it("keeps failingSince while the account keeps failing, and starts it afresh after it recovered", async () => {
    const store = createStore(await fresh());
    await store.collectorAccounts.put(B, since(denied, 0), at(0));
    // Another error, still failing: the error is the new one, the failure began at the first.
    const expired = {
      code: "Unauthenticated",
      message: "The security token included in the request is expired",
    };
    // (A restarted collector saw it begin failing later: the stored beginning stands.)
    await store.collectorAccounts.put(B, since(expired, 4), at(5));
    expect(await store.collectorAccounts.list([B])).toEqual([
      { account: B, state: "failing", error: expired, failingSince: at(0), updatedAt: at(5) },
    ]);
    // Reached: ok, no error, no since.
    await store.collectorAccounts.put(B, null, at(7));
    expect(await store.collectorAccounts.list([B])).toEqual([
      { account: B, state: "ok", error: null, failingSince: null, updatedAt: at(7) },
    ]);
    // Failing again: since this failure, not the first one.
    await store.collectorAccounts.put(B, since(denied, 9), at(9));
    expect(await store.collectorAccounts.list([B])).toMatchObject([
      { state: "failing", error: denied, failingSince: at(9), updatedAt: at(9) },
    ]);
  });

  it("reads the rows of the accounts asked for only, by account id", async () => {
    const store = createStore(await fresh());
    for (const account of [C, A, B]) await store.collectorAccounts.put(account, null, at(1));
    expect((await store.collectorAccounts.list([C, A, "444444444444"])).map((r) => r.account)).toEqual([
      A,
      C,
    ]);
    expect((await store.collectorAccounts.list()).map((r) => r.account)).toEqual([A, B, C]);
    expect(await store.collectorAccounts.list([])).toEqual([]);
  });

  it("cuts a runaway error message, as events do", async () => {
    const store = createStore(await fresh());
    await store.collectorAccounts.put(B, since({ code: "Unavailable", message: "x".repeat(5000) }, 0), at(0));
    const [row] = await store.collectorAccounts.list([B]);
    expect(row?.error?.message).toHaveLength(2000);
  });

  it("refuses the write of a collector whose lease was taken over, keeping the new leader's row", async () => {
    const store = createStore(await fresh());
    const old = await store.leases.acquire(COLLECTOR_LEASE, "replica-a", T0, M);
    if (!old) throw new Error("not acquired");
    await store.fenced(old, (tx) => tx.collectorAccounts.put(B, since(denied, 0), at(0)));
    const taken = await store.leases.acquire(COLLECTOR_LEASE, "replica-b", T0 + 2 * M, M);
    if (!taken) throw new Error("not taken over");
    await store.fenced(taken, (tx) => tx.collectorAccounts.put(B, null, at(2)));
    // The paused old leader wakes up still seeing the account fail: refused, nothing written.
    await expect(
      store.fenced(old, (tx) => tx.collectorAccounts.put(B, since(denied, 3), at(3))),
    ).rejects.toMatchObject({ code: "LeaseLost" });
    expect(await store.collectorAccounts.list([B])).toEqual([
      { account: B, state: "ok", error: null, failingSince: null, updatedAt: at(2) },
    ]);
  });
});
