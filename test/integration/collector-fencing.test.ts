/**
 * Two collectors on one store (SQLite and PostgreSQL), against the sandbox over HTTP: one leads per tick, and a
 * leader paused in the middle of a step (its AWS call held) while the lease lapses and the other takes it over
 * writes nothing when it resumes — its write is refused (LeaseLost), its tick stops quietly (no event row, no
 * further AWS call), and it is no longer leader. The paused leader's listing carries a marker function the
 * sandbox does not have, so "nothing it wrote after the takeover is in the store" is checked on the rows.
 */
import { afterEach, expect, it } from "vitest";
import type { LambdaPort } from "@/lib/aws/lambda";
import { COLLECTOR_LEASE, createCollector, type Collector } from "@/lib/collector/collector";
import { resetPublishers, type RegionPorts } from "@/lib/collector/region";
import { createStore, type Store } from "@/lib/store";
import type { Sandbox } from "@fleetscope/sandbox";
import { TEST_NOW, TEST_SEED, startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";
import { accountIdFor } from "@fleetscope/sandbox";
import { parseAccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { describeStores } from "../support/stores";
import { sandboxPorts } from "./advisor-ports";

const MINUTE = 60_000;
const REGION = "us-east-1";
/** The sandbox's one account (its default seed's id) in that region. */
const SCOPE: Scope = { account: parseAccountId(accountIdFor(TEST_SEED)), region: REGION };
const LEASE_MS = 30_000;
const MARKER = "written-by-the-paused-leader";

const open: { sb?: Sandbox; collectors: Collector[] } = { collectors: [] };

afterEach(async () => {
  for (const c of open.collectors.splice(0)) await c.stop();
  await open.sb?.close();
  open.sb = undefined;
});

/** A gate the test opens: `entered` resolves when the held call arrives, `release()` lets it go on. */
function gate() {
  let release!: () => void;
  let entered!: () => void;
  const opened = new Promise<void>((r) => (release = r));
  const arrived = new Promise<void>((r) => (entered = r));
  return { opened, arrived, release: () => release(), enter: () => entered() };
}

async function rig(store: Store) {
  resetPublishers();
  const clock = { t: TEST_NOW };
  const sb = await startTestSandbox({ regions: [REGION], now: () => clock.t });
  open.sb = sb;
  const logs: Record<string, string[]> = {};
  const collector = (owner: string, portsFor: (region: string) => RegionPorts) => {
    logs[owner] = [];
    const c = createCollector({
      scopes: () => [SCOPE],
      portsFor: (scope) => portsFor(scope.region),
      store,
      owner,
      settings: { horizonMs: 10 * MINUTE },
      leaseMs: LEASE_MS,
      now: () => clock.t,
      retryPauseMs: 10,
      lambdaRequestsPerSecond: 10,
      log: (m) => logs[owner]!.push(m),
    });
    open.collectors.push(c);
    return c;
  };
  return { sb, clock, logs, collector, ports: sandboxPorts(sb.url) };
}

describeStores("collector fencing", (fresh) => {
  it("lets one collector lead at a time: the other waits while the lease is renewed", async () => {
    const store = createStore(await fresh());
    const r = await rig(store);
    const a = r.collector("a", r.ports);
    const b = r.collector("b", r.ports);
    for (let i = 0; i < 3; i++) {
      await a.tick();
      await b.tick();
      expect([a.status().leader, b.status().leader]).toEqual([true, false]);
      // Renewed every tick: the generation stays.
      expect(await store.leases.holder(COLLECTOR_LEASE, r.clock.t)).toMatchObject({
        owner: "a",
        generation: 1,
      });
      r.clock.t += 20_000;
    }
    expect(a.status().ticks).toBe(3);
    expect(b.status().ticks).toBe(0);
    expect((await store.inventory.functions(SCOPE)).length).toBe(40);
  }, 120_000);

  it("refuses the paused leader's write after a takeover: nothing it wrote afterwards is stored", async () => {
    const store = createStore(await fresh());
    const r = await rig(store);
    const held = gate();
    const after = { cloudwatch: 0, insights: 0 };
    let resumed = false;
    // Collector a: its first listing is held until the test releases it, and carries a marker function.
    const pausedPorts = (region: string): RegionPorts => {
      const base = r.ports(region);
      const lambda: LambdaPort = {
        ...base.lambda,
        listFunctions: async (options) => {
          held.enter();
          await held.opened;
          const fns = await base.lambda.listFunctions(options);
          return [...fns, { ...fns[0]!, name: MARKER }];
        },
      };
      return {
        ...base,
        lambda,
        cloudwatch: {
          ...base.cloudwatch,
          getMetricData: (...args) => {
            if (resumed) after.cloudwatch++;
            return base.cloudwatch.getMetricData(...args);
          },
        },
        logs: {
          ...base.logs,
          runInsights: (...args) => {
            if (resumed) after.insights++;
            return base.logs.runInsights(...args);
          },
        },
      };
    };
    const a = r.collector("a", pausedPorts);
    const b = r.collector("b", r.ports);

    const aTick = a.tick();
    await held.arrived;
    expect(a.status().leader).toBe(true);
    expect(await store.leases.holder(COLLECTOR_LEASE, r.clock.t)).toMatchObject({
      owner: "a",
      generation: 1,
    });

    // a is paused past its lease: b takes over (a new generation) and collects.
    r.clock.t += LEASE_MS + 1;
    await b.tick();
    expect(b.status().leader).toBe(true);
    expect(await store.leases.holder(COLLECTOR_LEASE, r.clock.t)).toMatchObject({
      owner: "b",
      generation: 2,
    });
    const byB = {
      functions: (await store.inventory.functions(SCOPE)).map((e) => e.config.name).sort(),
      account: await store.inventory.account(SCOPE),
      events: await store.telemetry.events(50),
      costs: await store.telemetry.costs(0),
    };
    expect(byB.functions.length).toBe(40);

    // a resumes: its listing's write is refused, its tick ends quietly.
    resumed = true;
    held.release();
    await expect(aTick).resolves.toBeUndefined();
    expect(a.status().leader).toBe(false);
    expect(a.status().ticks).toBe(0);
    expect(r.logs.a!.filter((m) => /taken over/.test(m))).toHaveLength(1);
    // Nothing of a's is in the store: not its listing (the marker), not an event, not a cost.
    const functions = (await store.inventory.functions(SCOPE)).map((e) => e.config.name).sort();
    expect(functions).not.toContain(MARKER);
    expect(functions).toEqual(byB.functions);
    expect(await store.inventory.account(SCOPE)).toEqual(byB.account);
    expect(await store.telemetry.events(50)).toEqual(byB.events);
    expect(await store.telemetry.costs(0)).toEqual(byB.costs);
    // And it stopped: no further AWS reads in that tick.
    expect(after).toEqual({ cloudwatch: 0, insights: 0 });

    // Its next tick finds the lease held by b; b keeps leading and renewing.
    r.clock.t += 5_000;
    await a.tick();
    expect(a.status().leader).toBe(false);
    await b.tick();
    expect(b.status().leader).toBe(true);
    expect(await store.leases.holder(COLLECTOR_LEASE, r.clock.t)).toMatchObject({
      owner: "b",
      generation: 2,
    });
  }, 120_000);
});
