/**
 * The collector over several accounts, on fake ports and a real in-memory store: each account has its own
 * Lambda budget (a busy account does not eat another's), an account whose role is refused is paused and said once
 * (its other steps are not tried every tick), and it is said reachable again when it answers.
 */
import { describe, expect, it } from "vitest";
import type { RegionPorts } from "@/lib/collector/region";
import { createCollector } from "@/lib/collector/collector";
import { parseAccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { FleetscopeError } from "@/lib/core/errors";
import { bytes } from "@/lib/core/units";
import { createStore } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import { config, NOW } from "../core/advisor-fixtures";

const REGION = "us-east-1";
const A = parseAccountId("111111111111");
const B = parseAccountId("222222222222");
const scope = (account: typeof A): Scope => ({ account, region: REGION });
const ROLE = "arn:aws:iam::222222222222:role/fleetscope";

/** How STS refuses the account's role: every region, every call. */
const ROLE_REFUSED = `Fleetscope could not assume ${ROLE}: AccessDenied`;
/** How a service control policy denying one region answers there. */
const SCP_DENIED =
  "ListFunctions: User is not authorized to perform: lambda:ListFunctions with an explicit deny in a service control policy";

/** A Lambda-only account of `n` functions; every call counted; `denied()` true: every call refused with `refusal`. */
function fakeAccount(
  n: number,
  denied: () => boolean = () => false,
  refusal = ROLE_REFUSED,
  region = REGION,
) {
  const calls = { lambda: 0 };
  const guard = <T>(value: T): Promise<T> => {
    calls.lambda++;
    if (denied()) return Promise.reject(new FleetscopeError("AccessDenied", refusal));
    return Promise.resolve(value);
  };
  const names = Array.from({ length: n }, (_, i) => `fn${i}`);
  const ports = {
    lambda: {
      region,
      listFunctions: () => guard(names.map((name) => config({ name, region, revisionId: "r1" }))),
      getAccountSettings: () =>
        guard({
          region,
          concurrentExecutions: 1000,
          unreservedConcurrentExecutions: 1000,
          totalCodeSize: bytes(0),
          codeSizeLimit: bytes(0),
          codeSizeZipped: bytes(0),
          codeSizeUnzipped: bytes(0),
          functionCount: n,
        }),
      listAliases: () => guard([]),
      getReservedConcurrency: () => guard(null),
      listProvisionedConcurrency: () => guard([]),
    },
    cloudwatch: { region, getMetricData: () => guard(new Map()) },
    metricList: { region, listSeries: () => guard([]) },
    logs: {
      region,
      runInsights: () =>
        guard({ rows: [], queries: 1, missingGroups: [], bytesScanned: 0, truncated: false }),
      filterLogEvents: () => guard([]),
    },
  } as unknown as RegionPorts;
  return { ports, calls };
}

describe("collector across accounts", () => {
  it("gives each account its own Lambda budget: a large account does not slow a small one", async () => {
    const store = createStore(openDatabase(":memory:"));
    // A: 200 functions, far more details than one tick's budget; B: 5.
    const accounts = new Map([
      [A, fakeAccount(200)],
      [B, fakeAccount(5)],
    ]);
    const clock: { t: number } = { t: NOW };
    const collector = createCollector({
      scopes: () => [scope(A), scope(B)],
      portsFor: (s) => accounts.get(s.account as typeof A)!.ports,
      store,
      owner: "test",
      now: () => clock.t,
      lambdaRequestsPerSecond: 1,
      retryPauseMs: 10,
    });
    await collector.tick();
    const detailed = async (account: typeof A) =>
      (await store.inventory.functions(scope(account))).filter((e) => e.details !== null).length;
    // B's five functions are all read in the first tick, although A's listing and details spent A's bucket.
    expect(await detailed(B)).toBe(5);
    expect(await detailed(A)).toBeLessThan(200);
    expect(await detailed(A)).toBeGreaterThan(0);
    await collector.stop();
  });

  it("pauses a refused account, says so once, keeps collecting the other, and says when it answers again", async () => {
    const store = createStore(openDatabase(":memory:"));
    let refused = true;
    const a = fakeAccount(3);
    const b = fakeAccount(3, () => refused);
    const clock: { t: number } = { t: NOW };
    const collector = createCollector({
      scopes: () => [scope(A), scope(B)],
      portsFor: (s) => (s.account === A ? a.ports : b.ports),
      store,
      owner: "test",
      now: () => clock.t,
      retryPauseMs: 60_000,
    });
    await collector.tick();
    const error = collector.status().accounts.find((x) => x.account === B)?.error;
    expect(error?.code).toBe("AccessDenied");
    expect(error?.message).toContain(ROLE);
    expect(collector.status().accounts.find((x) => x.account === A)?.error).toBeNull();
    expect(await store.inventory.functions(scope(A))).toHaveLength(3);
    expect(await store.inventory.functions(scope(B))).toEqual([]);

    // Within its pause: not one call to the refused account, while the other goes on.
    const triedB = b.calls.lambda;
    const triedA = a.calls.lambda;
    for (let i = 0; i < 3; i++) {
      clock.t += 15_000;
      await collector.tick();
    }
    expect(b.calls.lambda).toBe(triedB);
    expect(a.calls.lambda).toBeGreaterThan(triedA);

    // Past the pause and still refused: tried again, still one "account" event, still failing since the first.
    const since = error?.at;
    clock.t += 60_000;
    await collector.tick();
    expect(b.calls.lambda).toBeGreaterThan(triedB);
    expect(collector.status().accounts.find((x) => x.account === B)?.error?.at).toBe(since);
    expect((await store.collectorAccounts.list([B]))[0]?.failingSince).toBe(since);
    const accountEvents = async () =>
      (await store.telemetry.events(100)).filter((e) => e.account === B && e.source === "account");
    expect((await accountEvents()).map((e) => e.level)).toEqual(["error"]);

    // Answering again: collected, and said.
    refused = false;
    clock.t += 5 * 60_000;
    await collector.tick();
    expect(collector.status().accounts.find((x) => x.account === B)?.error).toBeNull();
    expect(await store.inventory.functions(scope(B))).toHaveLength(3);
    expect((await accountEvents()).map((e) => e.message)).toEqual([
      "reachable again",
      `AccessDenied: ${ROLE_REFUSED}`,
    ]);
    await collector.stop();
  });

  it("pauses only the region a service control policy denies, and keeps the account failing while it does", async () => {
    const store = createStore(openDatabase(":memory:"));
    const OTHER = "eu-west-1";
    let scp = true;
    const denied = fakeAccount(3, () => scp, SCP_DENIED, REGION);
    const open = fakeAccount(3, () => false, SCP_DENIED, OTHER);
    const clock: { t: number } = { t: NOW };
    const collector = createCollector({
      scopes: () => [scope(B), { account: B, region: OTHER }],
      portsFor: (s) => (s.region === REGION ? denied.ports : open.ports),
      store,
      owner: "test",
      now: () => clock.t,
      retryPauseMs: 60_000,
    });
    const failure = () => collector.status().accounts.find((x) => x.account === B)?.error ?? null;
    await collector.tick();
    const since = failure()?.at;
    expect(failure()?.message).toContain("service control policy");
    expect(await store.inventory.functions({ account: B, region: OTHER })).toHaveLength(3);

    // The open region goes on and answers; the account stays failing (its denied region is not reached), the
    // denied region waits out its pause, and nothing flips back and forth.
    const tried = denied.calls.lambda;
    const openCalls = open.calls.lambda;
    for (let i = 0; i < 3; i++) {
      clock.t += 15_000;
      await collector.tick();
      expect(failure()?.at).toBe(since);
    }
    expect(denied.calls.lambda).toBe(tried);
    expect(open.calls.lambda).toBeGreaterThan(openCalls);
    const accountEvents = async () =>
      (await store.telemetry.events(100)).filter((e) => e.account === B && e.source === "account");
    expect((await accountEvents()).map((e) => e.level)).toEqual(["error"]);
    expect(await store.collectorAccounts.list([B])).toMatchObject([
      { state: "failing", failingSince: since },
    ]);

    // The policy lifted: its region answers after the pause, and the account is reachable again.
    scp = false;
    clock.t += 5 * 60_000;
    await collector.tick();
    expect(failure()).toBeNull();
    expect(await store.inventory.functions(scope(B))).toHaveLength(3);
    expect((await accountEvents()).map((e) => e.message)).toEqual([
      "reachable again",
      `AccessDenied: ${SCP_DENIED}`,
    ]);
    expect(await store.collectorAccounts.list([B])).toMatchObject([{ state: "ok", failingSince: null }]);
    await collector.stop();
  });
});
