/**
 * What reading every function's triggers once costs the collector, at F = 1,000 and 5,000 functions (one region,
 * an in-process sandbox on a simulated clock), against the baseline of live reads: one function page view reads
 * its triggers with 5 requests (ListEventSourceMappings, GetPolicy, GetFunctionUrlConfig,
 * GetFunctionEventInvokeConfig, GetFunctionRecursionConfig), measured in the same run with the same adapter.
 *
 * The collector's own steps run as it runs them, at its defaults: the inventory every 30 s (one listing, see
 * INVENTORY, then the per-function details, which compete for the same budget) and the triggers every 5 s tick,
 * on the shared Lambda budget (2 requests/s, burst 60) and GetPolicy's own bucket (budget.ts). Telemetry steps
 * are left out: they use CloudWatch, not the Lambda control plane. Per F it reports:
 * - requests spent on triggers until every function has a reading, by operation (counted at the sandbox), and
 *   per function, against 5 per live view;
 * - ticks and simulated minutes that took at the configured budget (the shared budget, not GetPolicy, paces it);
 * - GetPolicy's peak: the most in one tick (one simulated instant, so also the most in any 1-second window, ticks
 *   being 5 s apart) and the most in any 60 s window, against AWS's 15/s quota;
 * - the steady state it implies (computed, not measured): each reading re-read every 30 min plus the listing
 *   every 10 min, against the page views an hour that would cost as much live.
 * Bounded for a 2-core machine: ~10 s at F = 1,000, ~2.5 min at 5,000 (the inventory's one listing of 5,000 is
 * most of it; then ~7 HTTP requests per function on one event loop). The sandbox's clock is pinned (see below).
 * Measured (2 cores shared): F = 1,000: 4,012 requests (4.01 a function) in 53 simulated minutes, GetPolicy peak
 * 5/s; F = 5,000: 20,356 (4.07) in 284 minutes, peak 4/s — against 5 a live view.
 * Usage: npm run bench -- triggers-inventory [F…]   (default 1000 5000)
 * Prints one JSON line: {"bench":"triggers-inventory", …}.
 */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { clientConfig } from "@/lib/aws/client-config";
import { createLambdaPort } from "@/lib/aws/lambda";
import { createBudget, createGetPolicyBudget, GET_POLICY_QUOTA_PER_SECOND } from "@/lib/collector/budget";
import { refreshInventory } from "@/lib/collector/inventory";
import { DEFAULT_SETTINGS } from "@/lib/collector/region";
import { createTriggerPlanCache, refreshTriggers } from "@/lib/collector/triggers";
import { fencedWriter } from "@/lib/collector/writer";
import { COLLECTOR_LEASE } from "@/lib/collector/collector";
import { parseEnv } from "@/lib/config/env-schema";
import type { AccountTarget } from "@/lib/core/accounts";
import { createCache } from "@/lib/data/cache";
import { createMeter } from "@/lib/data/traces/meter";
import { getFunctionTriggers } from "@/lib/data/triggers";
import { startSandbox } from "@fleetscope/sandbox";
import { openDatabase } from "@/lib/store/database";
import { createStore } from "@/lib/store";
import { benchScope, diffStats, round, total } from "./_collector-rig";

const SIZES = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const REGION = "us-east-1";
const SCOPE = benchScope(REGION);
/** The sandbox's account as the console reads it: its own credentials. */
const TARGET: AccountTarget = {
  id: SCOPE.account,
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
};
const START = Date.UTC(2026, 10, 23, 12, 0, 0);
const TICK_MS = 5_000;
const INVENTORY_EVERY_MS = 30_000;
/**
 * The inventory lists once: the sandbox answers each ListFunctions page in O(F) (~0.3 s at 5,000), so its listing
 * every 10 min would dominate the run, and with no deploys a re-listing changes nothing. Its per-function details
 * (and their re-reads past 30 min) compete for the budget as in the collector.
 */
const INVENTORY = { ...DEFAULT_SETTINGS.inventory, listEveryMs: Number.POSITIVE_INFINITY };
/** The collector's defaults (collector.ts): 2 Lambda requests/s, burst 60. */
const SHARED = { perSecond: 2, burst: 60 };
const TRIGGER_OPS = [
  "ListEventSourceMappings",
  "GetPolicy",
  "GetFunctionUrlConfig",
  "GetFunctionEventInvokeConfig",
  "GetFunctionRecursionConfig",
].map((op) => `lambda.${op}`);
const log = (m: string) => console.error(m);

async function measure(F: number) {
  const clock = { t: START };
  // The sandbox's clock stays put: the control plane does not change with time, and a moving clock would make it
  // simulate every function's traffic minute by minute (the collector's budgets run on `clock`).
  const sb = await startSandbox({
    port: 0,
    seed: 7,
    now: () => START,
    functionsPerRegion: F,
    regions: [REGION],
  });
  const client = new LambdaClient(clientConfig(REGION, parseEnv({ AWS_ENDPOINT_URL: sb.url })));
  const port = createLambdaPort(client, REGION);
  const db = openDatabase(":memory:");
  const store = createStore(db);
  const { inventory, triggers } = store;
  // As the collector writes: fenced by its lease (held for the whole run).
  const lease = await store.leases.acquire(COLLECTOR_LEASE, "bench", clock.t, 365 * 86_400_000);
  const write = fencedWriter(store, () => lease);
  const budget = createBudget(SHARED.perSecond, SHARED.burst, clock.t);
  const target = {
    scope: SCOPE,
    port,
    inventory,
    triggers,
    budget,
    policyBudget: createGetPolicyBudget(clock.t),
    planCache: createTriggerPlanCache(),
    write,
  };
  const options = { listEveryMs: DEFAULT_SETTINGS.inventory.listEveryMs, ...DEFAULT_SETTINGS.triggers };
  try {
    const started = performance.now();
    const policyPerTick: number[] = [];
    let ticks = 0;
    let inventoryAt = -Infinity;
    let inventoryRequests = 0;
    let roundRequests = 0;
    let listings = 0;
    const before = sb.stats();
    const allRead = async () => {
      const read = await triggers.list(SCOPE);
      const names = (await inventory.functions(SCOPE)).map((e) => e.config.name);
      return names.length === F && names.every((n) => read.has(n));
    };
    for (;;) {
      if (clock.t - inventoryAt >= INVENTORY_EVERY_MS) {
        inventoryRequests += (
          await refreshInventory(port, SCOPE, inventory, budget, clock.t, INVENTORY, write)
        ).requests;
        inventoryAt = clock.t;
      }
      const policyBefore = sb.stats()["lambda.GetPolicy"] ?? 0;
      const r = await refreshTriggers(target, clock.t, options);
      if (r.listingError) throw new Error(`listing failed: ${r.listingError.message}`);
      policyPerTick.push((sb.stats()["lambda.GetPolicy"] ?? 0) - policyBefore);
      roundRequests += r.requests;
      if (r.listed) listings++;
      ticks++;
      // Never-read functions go first, each with one GetPolicy: before F of them, some function is still unread.
      const policies = (sb.stats()["lambda.GetPolicy"] ?? 0) - (before["lambda.GetPolicy"] ?? 0);
      if (policies >= F && (await allRead())) break;
      if (ticks > 20_000) throw new Error("triggers not read in 20,000 ticks");
      clock.t += TICK_MS;
      if (ticks % 500 === 0) log(`F=${F}: tick ${ticks}, ${policies} of ${F} read`);
    }
    const spent = diffStats(sb.stats(), before);
    const byOperation = Object.fromEntries(TRIGGER_OPS.map((op) => [op.slice(7), spent[op] ?? 0]));
    const triggerRequests = total(byOperation);
    const perMinute = (() => {
      const perWindow = 60_000 / TICK_MS;
      let best = 0;
      for (let i = 0; i < policyPerTick.length; i++)
        best = Math.max(
          best,
          policyPerTick.slice(i, i + perWindow).reduce((a, n) => a + n, 0),
        );
      return best;
    })();

    // Baseline: one live view of one function's triggers, same adapter, no store (the DLQ comes from the inventory).
    const meter = createMeter();
    const liveBefore = sb.stats();
    const name = (await inventory.functions(SCOPE))[0]!.config.name;
    await getFunctionTriggers(
      { account: TARGET, region: REGION, name },
      {
        lambda: () => port,
        cache: createCache({ ttlMs: 1, maxEntries: 1 }),
        inventory: () => inventory,
      },
      meter,
    );
    const liveView = total(diffStats(sb.stats(), liveBefore));

    // Steady state (computed): every reading again within its max age, the listing every listing round.
    const hour = 3_600_000;
    const listingPages = Math.max(1, Math.ceil(((await triggers.listing(SCOPE))?.mappings.length ?? 0) / 50));
    const steadyPerHour =
      F * 4 * (hour / DEFAULT_SETTINGS.triggers.maxAgeMs) + listingPages * (hour / options.listEveryMs);
    return {
      F,
      realMs: Math.round(performance.now() - started),
      collector: {
        triggerRequests,
        roundRequests,
        byOperation,
        requestsPerFunction: round(triggerRequests / F, 3),
        listings,
        listingPages,
        inventoryRequests,
        ticks,
        simulatedMinutes: round((clock.t - START) / 60_000, 1),
        getPolicy: {
          peakPerTick: Math.max(...policyPerTick),
          peakPerSecond: Math.max(...policyPerTick),
          peakPer60s: perMinute,
          meanPerSecond: round(byOperation.GetPolicy! / ((clock.t - START) / 1000 || 1), 3),
          quotaPerSecond: GET_POLICY_QUOTA_PER_SECOND,
          retriesOfFailedParts: byOperation.GetPolicy! - F,
        },
      },
      baseline: {
        liveViewRequests: liveView,
        liveViewByMeter: meter.cost().total,
        viewsToMatchOneFullRead: round(triggerRequests / Math.max(1, liveView), 1),
      },
      steadyState: {
        computed: "F × 4 per maxAge (30 min) + listing pages every 10 min",
        requestsPerHour: steadyPerHour,
        liveViewsPerHourAtSameCost: round(steadyPerHour / Math.max(1, liveView), 1),
      },
      targets: {
        "GetPolicy peak per second < quota": Math.max(...policyPerTick) < GET_POLICY_QUOTA_PER_SECOND,
        "every function read, GetPolicy retries (failed parts) aside": byOperation.GetPolicy! >= F,
      },
    };
  } finally {
    client.destroy();
    await sb.close();
    await db.close();
  }
}

async function main() {
  const results = [];
  for (const F of SIZES.length > 0 ? SIZES : [1000, 5000]) {
    log(`measuring F=${F}…`);
    results.push(await measure(F));
  }
  console.log(
    JSON.stringify({ bench: "triggers-inventory", tickMs: TICK_MS, sharedBudget: SHARED, results }),
  );
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
