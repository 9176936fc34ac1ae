/**
 * The collector keeps each account's state in the store (lib/store/collector-accounts.ts), through the console's
 * real adapters against a sandbox organization over HTTP: management read with the console's own credentials,
 * member-1 through its `fleetscope` role, member-2 whose `fleetscope` role refuses every AssumeRole (its
 * OrganizationAccountAccessRole does not), as the console discovers them from the organization. After a few ticks member-2's row is failing with its AssumeRole error
 * and the others are ok, each written once rather than every tick; a replica that does not lead shows those rows
 * on its status page; and a restarted collector that reaches member-2 (configured with the role that works)
 * rewrites its row ok on its first tick, and the others' too, once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCollector, type Collector } from "@/lib/collector/collector";
import { resetPublishers } from "@/lib/collector/region";
import { parseEnv } from "@/lib/config/env-schema";
import type { AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { readCollectorStatus } from "@/lib/data/collector/status";
import { createStore, type Store } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import {
  portsThrough,
  startOrganizationSandbox,
  type OrganizationSandbox,
} from "@/test/support/organization-sandbox";

const MINUTE = 60_000;
const REGION = "us-east-1";
const settings = parseEnv({ FLEETSCOPE_REGIONS: REGION });

let org: OrganizationSandbox;
let store: Store;
const running: Collector[] = [];
let management: AccountTarget;
let member: AccountTarget;
/** member-2 through its refusing `fleetscope` role. */
let denied: AccountTarget;
// STS stamps Expiration on the sandbox clock and the SDK renews against the real one: the shared clock starts at
// the real time, and a run lasts far less than a session.
const clock = { t: Math.floor(Date.now() / MINUTE) * MINUTE };
const scopeOf = (t: AccountTarget): Scope => ({ account: t.id, region: REGION });

/** A collector over the shared store reading `targets`, as a replica of the console would start it. */
function startCollector(targets: readonly AccountTarget[], owner: string): Collector {
  const byId = new Map(targets.map((t) => [t.id, t]));
  const collector = createCollector({
    scopes: () => targets.map(scopeOf),
    portsFor: (scope) => portsThrough(scope, byId.get(scope.account)!),
    store,
    owner,
    settings: { horizonMs: 10 * MINUTE },
    now: () => clock.t,
    // A failing account is tried again at every tick (the clock moves 20 s a tick).
    retryPauseMs: 10,
    lambdaRequestsPerSecond: 10,
  });
  running.push(collector);
  return collector;
}

async function ticks(collector: Collector, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await collector.tick();
    clock.t += 20_000;
  }
}

const rowOf = async (t: AccountTarget) => (await store.collectorAccounts.list([t.id]))[0];

beforeAll(async () => {
  org = await startOrganizationSandbox({
    now: () => clock.t,
    region: REGION,
    functionsPerRegion: 3,
    denySecondMember: true,
    env: { FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" },
  });
  ({ management, member, second: denied } = org);
  resetPublishers();
  store = createStore(openDatabase(":memory:"));
}, 60_000);

afterAll(async () => {
  for (const c of running) await c.stop();
  await store?.db.close();
  await org?.close();
});

describe("the collector's per-account state in the store", () => {
  let firstTickAt: number;

  it("stores the refused account failing with its AssumeRole error and the others ok, each written once", async () => {
    const collector = startCollector([management, member, denied], "replica-a");
    firstTickAt = clock.t;
    await ticks(collector, 4);

    expect(await rowOf(management)).toEqual({
      account: management.id,
      state: "ok",
      error: null,
      failingSince: null,
      updatedAt: firstTickAt,
    });
    expect(await rowOf(member)).toMatchObject({ state: "ok", error: null, updatedAt: firstTickAt });
    const row = await rowOf(denied);
    expect(row).toMatchObject({ state: "failing", failingSince: firstTickAt, updatedAt: firstTickAt });
    expect(row?.error?.message).toContain(denied.roleArn!);
    expect(row?.error?.message).toMatch(/AssumeRole|could not assume/);
    // The collector tried it again in later ticks and it failed the same way: nothing rewritten, and it fails
    // since its first try, in memory as in the store.
    const live = collector.status().accounts.find((a) => a.account === denied.id)?.error;
    expect(live).toEqual({ ...row?.error, at: firstTickAt });
  }, 120_000);

  it("shows the stored states on the status page of a replica that does not lead", async () => {
    const view = await readCollectorStatus(
      { store, settings, collector: null, accounts: [management, member, denied] },
      clock.t,
    );
    const row = await rowOf(denied);
    expect(view.accounts.map((a) => [a.account, a.tried, a.error])).toEqual([
      [management.id, true, null],
      [member.id, true, null],
      [denied.id, true, { code: row?.error?.code, message: row?.error?.message, at: firstTickAt }],
    ]);
  });

  it("rewrites a stale failing row ok when a restarted collector reaches the account, and every row once", async () => {
    await running[0]?.stop();
    // The operator fixed the account's access: it is read through the role that trusts the console.
    const reachable = { ...denied, roleArn: `arn:aws:iam::${denied.id}:role/OrganizationAccountAccessRole` };
    const restarted = startCollector([management, member, reachable], "replica-b");
    const restartedAt = clock.t;
    await ticks(restarted, 1);

    for (const t of [management, member, denied])
      expect(await rowOf(t), t.name!).toEqual({
        account: t.id,
        state: "ok",
        error: null,
        failingSince: null,
        updatedAt: restartedAt,
      });
    // Steady state: more ticks write none of them again.
    await ticks(restarted, 2);
    expect((await store.collectorAccounts.list()).map((r) => r.updatedAt)).toEqual([
      restartedAt,
      restartedAt,
      restartedAt,
    ]);
    const view = await readCollectorStatus(
      { store, settings, collector: null, accounts: [management, member, denied] },
      clock.t,
    );
    expect(view.accounts.map((a) => a.error)).toEqual([null, null, null]);
  }, 120_000);

  it("rewrites what it sees when it leads again, even what has not changed since it last led", async () => {
    const [first, restarted] = running;
    await restarted?.stop();
    // The first collector (still configured with the refusing role) takes the lease again: the rows are the other
    // leader's, so it writes its own view of every account on its first tick, though its memory says "unchanged".
    const regainedAt = clock.t;
    await ticks(first!, 1);
    expect(first?.status().leader).toBe(true);
    expect(await rowOf(denied)).toMatchObject({
      state: "failing",
      failingSince: regainedAt,
      updatedAt: regainedAt,
    });
    expect(await rowOf(management)).toMatchObject({ state: "ok", updatedAt: regainedAt });
  }, 120_000);
});
