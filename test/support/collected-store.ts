/**
 * A real SQLite store filled by the collector from the sandbox over HTTP, for tests that compare what a
 * store-backed view shows with what the `aws` CLI reads: the sandbox and the collector share one clock, moved
 * 20 s a tick until both sources are backfilled to the horizon (and `ready` holds). The collector reads the
 * sandbox's one account (`scope`: its id and the region). `deps()` are telemetry deps that read only that store:
 * a view that calls AWS fails the test.
 */
import { createCollector, type Collector } from "@/lib/collector/collector";
import { parseAccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { backfillProgress, DEFAULT_SETTINGS, resetPublishers } from "@/lib/collector/region";
import { epochMs } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import type { Sandbox } from "@fleetscope/sandbox";
import { openDatabase } from "@/lib/store/database";
import { createStore, type Store } from "@/lib/store";
import { sandboxPorts } from "@/test/integration/advisor-ports";
import { TEST_NOW, startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";

export interface CollectedStore {
  sb: Sandbox;
  /** The sandbox's account in the region collected: what store reads take. */
  scope: Scope;
  store: Store;
  clock: { t: number };
  collector: Collector;
  deps(): TelemetryDeps;
  close(): Promise<void>;
}

export async function collectedStore(options: {
  region: string;
  horizonMs: number;
  /** Also wait for this (e.g. some functions' details in the inventory). */
  ready?: (store: Store) => Promise<boolean>;
}): Promise<CollectedStore> {
  const { region, horizonMs } = options;
  resetPublishers();
  const clock = { t: TEST_NOW };
  const sb = await startTestSandbox({ regions: [region], now: () => clock.t });
  const store = createStore(openDatabase(":memory:"));
  const scope: Scope = { account: parseAccountId(sb.account.accountId), region };
  const ports = sandboxPorts(sb.url, 3);
  const collector = createCollector({
    scopes: () => [scope],
    portsFor: (s) => ports(s.region),
    store,
    owner: "test",
    settings: { horizonMs },
    now: () => clock.t,
    retryPauseMs: 10,
    lambdaRequestsPerSecond: 10,
  });
  const settings = { ...DEFAULT_SETTINGS, horizonMs };
  const done = async () => {
    const progress = await Promise.all(
      (["metrics", "logs"] as const).map((source) =>
        backfillProgress({ scope, telemetry: store.telemetry, settings }, source, clock.t),
      ),
    );
    return progress.every((p) => p.collectedMs >= p.targetMs) && ((await options.ready?.(store)) ?? true);
  };
  for (let i = 0; !(await done()); i++) {
    if (i > 200) throw new Error("backfill did not finish");
    await collector.tick();
    clock.t += 20_000;
  }
  const refuse = () => {
    throw new Error("a store-backed view must not call AWS");
  };
  return {
    sb,
    scope,
    store,
    clock,
    collector,
    deps: () => ({
      lambda: refuse,
      cloudwatch: refuse,
      logs: refuse,
      store: () => store,
      liveCache: createCache({ ttlMs: 1, maxEntries: 10 }),
      settledCache: createCache({ ttlMs: 1, maxEntries: 10 }),
      now: () => epochMs(clock.t),
      insightsTimeoutMs: 5_000,
    }),
    async close() {
      await collector.stop();
      await sb.close();
      await store.db.close();
    },
  };
}
