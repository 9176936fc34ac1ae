/**
 * The collector loop: while it holds the store's collector lease, every `tickMs` it runs each region's due
 * steps — inventory and triggers, forward metrics, logs and errors, their backfills, roll-ups and retention — and
 * records what each cost AWS and any failure. Exactly one collector works per store; a second one waits for the
 * lease.
 *
 * Invariants:
 * - Ticks never overlap; `stop()` releases the lease first, then waits for the running tick at most
 *   STOP_WAIT_MS (its remaining steps write nothing: the lease is gone), so a stopping replica hands over at once.
 * - A failing step (throttled, AWS down, timeout) is recorded and retried after a pause; it never stops the
 *   loop or another region's work.
 * - Every region gets one Insights scheduler shared by its forward and backfill steps (one account per
 *   deployment today; the scheduler is per account when there are several).
 * - Fencing: each tick acquires (or renews) the lease and keeps it; every write of that tick — rollups, coverage,
 *   costs, events, inventory, triggers, errors, retention — goes through `store.fenced` with it (writer.ts).
 *   When a write finds the lease taken over (LeaseLost), the tick stops quietly: one log line, no event row
 *   (the store belongs to the new leader), `status().leader` false; the next tick tries to acquire again.
 */
import { systemClock } from "@/lib/config/clock";
import { toOutcomeError } from "@/lib/core/errors";
import type { Store } from "@/lib/store";
import type { Lease } from "@/lib/store/leases";
import type { CollectorEvent } from "@/lib/store/telemetry";
import { createBudget, createGetPolicyBudget, type Budget } from "./budget";
import { errorsBackfillStep, errorsForwardStep } from "./errors-step";
import {
  backfillStep,
  DEFAULT_SETTINGS,
  forwardStep,
  inventoryStep,
  pruneStep,
  rollUpStep,
  triggersStep,
  type CollectorSettings,
  type RegionContext,
  type RegionPorts,
} from "./region";
import { createInsightsScheduler, type InsightsScheduler } from "./scheduler";
import { createTriggerPlanCache } from "./triggers";
import { fencedWriter, isLeaseLost } from "./writer";

export const COLLECTOR_LEASE = "collector";
const HOUR = 3_600_000;
/** How long `stop()` waits for a running tick once the lease is handed over: well within a container's grace. */
const STOP_WAIT_MS = 5_000;

export interface CollectorOptions {
  regions: readonly string[];
  portsFor(region: string): RegionPorts;
  /**
   * With `triggers`, the collector also keeps every function's triggers (lib/collector/triggers.ts); with
   * `errors`, the error groups in their own steps (lib/collector/errors-step.ts).
   */
  store: Pick<Store, "telemetry" | "inventory" | "leases" | "fenced"> &
    Partial<Pick<Store, "triggers" | "errors">>;
  /** The lease's owner name: this replica (lib/config/replica.ts). */
  owner: string;
  settings?: Partial<CollectorSettings>;
  tickMs?: number;
  /** The lease's time to live; a dead holder is replaced within this plus one tick. */
  leaseMs?: number;
  /** Lambda control-plane requests per second the collector may spend (AWS allows ~15 for everything). */
  lambdaRequestsPerSecond?: number;
  /** GetPolicy requests per second the collector may spend, in their own bucket (see budget.ts). */
  getPolicyRequestsPerSecond?: number;
  maxConcurrentInsightsQueries?: number;
  /** First pause after an Insights quota error (doubling up to a minute); and the pause before a failed step is retried. */
  retryPauseMs?: number;
  now?: () => number;
  log?: (message: string) => void;
}

export interface CollectorStatus {
  leader: boolean;
  ticks: number;
  lastTickAt: number | null;
  insights: ReturnType<InsightsScheduler["state"]>;
}

export interface Collector {
  start(): void;
  /** One round of every due step, now (tests and `npm run collector -- --once`). */
  tick(): Promise<void>;
  stop(): Promise<void>;
  status(): CollectorStatus;
}

type StepName =
  | "inventory"
  | "triggers"
  | "metrics"
  | "logs"
  | "errors"
  | "backfill-metrics"
  | "backfill-logs"
  | "backfill-errors"
  | "maintenance";

const CADENCE: Record<StepName, number> = {
  inventory: 30_000,
  // Every tick: GetPolicy's bucket holds a few seconds' worth (its quota is per second), so it is spent a little
  // each tick rather than capped at one burst per 30 s.
  triggers: 0,
  metrics: 60_000,
  logs: 60_000,
  errors: 60_000,
  "backfill-metrics": 0,
  "backfill-logs": 0,
  "backfill-errors": 0,
  maintenance: HOUR,
};

export function createCollector(opts: CollectorOptions): Collector {
  const now = opts.now ?? systemClock.now;
  const settings: CollectorSettings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const tickMs = opts.tickMs ?? 5_000;
  const leaseMs = opts.leaseMs ?? 60_000;
  const { telemetry, inventory, leases } = opts.store;
  const log = opts.log ?? (() => undefined);
  /** The lease of the running tick; null when not leader or lost during the tick. */
  let lease: Lease | null = null;
  let leader = false;
  const write = fencedWriter(opts.store, () => lease);

  const leaseLost = () => {
    if (lease === null) return;
    log(`collector: lease "${COLLECTOR_LEASE}" generation ${lease.generation} taken over; this tick stops`);
    lease = null;
    leader = false;
  };
  /** A problem for the status page, written fenced; a failure to write it is only logged. */
  const record = (e: CollectorEvent): Promise<void> =>
    write((tx) => tx.telemetry.addEvent(e)).catch((err: unknown) => {
      if (isLeaseLost(err)) leaseLost();
      else log(`collector: could not record an event: ${toOutcomeError(err).message}`);
    });

  const scheduler = createInsightsScheduler({
    maxConcurrent: opts.maxConcurrentInsightsQueries ?? 4,
    firstPauseMs: opts.retryPauseMs ?? 2_000,
    onThrottled: (message, pauseMs) => {
      void record({
        at: now(),
        region: "*",
        source: "logs",
        level: "warn",
        message: `Insights quota: ${message}; slowing down, next try in ${Math.round(pauseMs / 1000)} s`,
      });
    },
  });
  const budget: Budget = createBudget(opts.lambdaRequestsPerSecond ?? 2, 60, now());
  // One GetPolicy bucket for the account (like the shared budget); a plan per region.
  const policyBudget = createGetPolicyBudget(now(), opts.getPolicyRequestsPerSecond);
  const triggersOf = () =>
    opts.store.triggers
      ? { store: opts.store.triggers, policyBudget, planCache: createTriggerPlanCache() }
      : undefined;
  const charge =
    (region: string): RegionContext["charge"] =>
    (tx, source, cost, at) =>
      tx.telemetry.addCost(region, source, Math.floor(at / HOUR) * HOUR, cost);

  const contexts = new Map<string, RegionContext>(
    opts.regions.map((region) => [
      region,
      {
        region,
        ports: opts.portsFor(region),
        telemetry,
        inventory,
        budget,
        triggers: triggersOf(),
        errors: opts.store.errors,
        scheduler,
        settings,
        write,
        charge: charge(region),
      },
    ]),
  );
  const nextAt = new Map<string, number>();
  let ticks = 0;
  let lastTickAt: number | null = null;
  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  /** Runs `work`; a failure is recorded and logged ("failed"), a lost lease ends the tick's work ("lost"). */
  async function attempt(
    region: string,
    source: string,
    work: () => Promise<unknown>,
  ): Promise<{ done: true; value: unknown } | { done: false; lost: boolean }> {
    try {
      return { done: true, value: await work() };
    } catch (e) {
      if (isLeaseLost(e)) {
        leaseLost();
        return { done: false, lost: true };
      }
      const err = toOutcomeError(e);
      log(`collector ${region} ${source}: ${err.code}: ${err.message}`);
      await record({ at: now(), region, source, level: "error", message: `${err.code}: ${err.message}` });
      return { done: false, lost: false };
    }
  }

  async function step(ctx: RegionContext, name: StepName, work: () => Promise<unknown>): Promise<void> {
    const key = `${ctx.region}:${name}`;
    const t = now();
    if (lease === null || (nextAt.get(key) ?? 0) > t) return;
    const result = await attempt(ctx.region, name, work);
    // Lost: nothing was written; the step is due again as soon as this collector leads again.
    if (!result.done && result.lost) return;
    // Backfill runs again at once while it has work; everything else waits for its cadence.
    if (result.done)
      nextAt.set(key, CADENCE[name] === 0 && result.value ? 0 : t + Math.max(CADENCE[name], tickMs));
    else nextAt.set(key, t + (opts.retryPauseMs ?? 30_000));
  }

  async function region(ctx: RegionContext): Promise<void> {
    await step(ctx, "inventory", () => inventoryStep(ctx, now()));
    await step(ctx, "triggers", () => triggersStep(ctx, now()));
    await Promise.all([
      step(ctx, "metrics", () => forwardStep(ctx, "metrics", now())),
      step(ctx, "logs", () => forwardStep(ctx, "logs", now())),
      step(ctx, "backfill-metrics", () => backfillStep(ctx, "metrics", now())),
      step(ctx, "backfill-logs", () => backfillStep(ctx, "logs", now())),
      // Its own steps: a failed error query never holds back the REPORT rollups or the metrics.
      step(ctx, "errors", () => errorsForwardStep(ctx, now())),
      step(ctx, "backfill-errors", () => errorsBackfillStep(ctx, now())),
    ]);
    if (lease === null) return;
    await attempt(ctx.region, "rollup", async () => {
      await rollUpStep(ctx, "metrics", now());
      await rollUpStep(ctx, "logs", now());
    });
  }

  async function tickOnce(): Promise<void> {
    let acquired: Lease | null;
    try {
      acquired = await leases.acquire(COLLECTOR_LEASE, opts.owner, now(), leaseMs);
    } catch (e) {
      // The store is unreachable: do nothing blind; the next tick tries again.
      log(`collector: cannot take the lease: ${toOutcomeError(e).message}`);
      lease = null;
      leader = false;
      return;
    }
    // A new generation: another collector may have led meanwhile, so the triggers' plans are made afresh.
    if (acquired && acquired.generation !== lease?.generation)
      for (const ctx of contexts.values()) if (ctx.triggers) ctx.triggers.planCache.plan = null;
    lease = acquired;
    leader = lease !== null;
    if (lease === null) return;
    // A tick may outlast the lease (an Insights query runs minutes): renew it meanwhile, or another replica
    // would take it over from a live leader and everything this tick read from AWS would be refused.
    const heartbeat = setInterval(() => void renew(), Math.max(1_000, Math.floor(leaseMs / 3)));
    heartbeat.unref?.();
    try {
      await Promise.all([...contexts.values()].map(region));
      const first = contexts.values().next().value;
      if (first)
        await step(first, "maintenance", () =>
          pruneStep(write, settings, now(), opts.store.errors !== undefined),
        );
    } finally {
      clearInterval(heartbeat);
    }
    if (lease === null) return; // Lost during the tick: not a round.
    ticks++;
    lastTickAt = now();
  }

  /** Renews the running tick's lease; a lease not renewed at the same generation is lost for this tick. */
  async function renew(): Promise<void> {
    const held = lease;
    if (held === null) return;
    try {
      const renewed = await leases.acquire(COLLECTOR_LEASE, opts.owner, now(), leaseMs);
      // Null: taken over. Another generation: it lapsed before this renewal, so writes under `held` are refused.
      if (lease === held && renewed?.generation !== held.generation) leaseLost();
    } catch (e) {
      // The next fenced write finds out for sure; the store may only be slow.
      log(`collector: cannot renew the lease: ${toOutcomeError(e).message}`);
    }
  }

  const tick = () => {
    running ??= tickOnce().finally(() => {
      running = null;
    });
    return running;
  };
  const background = () =>
    void tick().catch((e: unknown) => log(`collector: tick failed: ${toOutcomeError(e).message}`));

  return {
    start() {
      if (timer) return;
      background();
      // At least three tries per lease period, so a short lease (a team's fast failover) never lapses between
      // ticks of a live leader; a tick still running makes a try a no-op.
      timer = setInterval(background, Math.min(tickMs, Math.max(1_000, Math.floor(leaseMs / 3))));
      timer.unref?.();
    },
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      const release = () =>
        leases.release(COLLECTOR_LEASE, opts.owner).catch((e: unknown) => {
          log(`collector: could not release the lease: ${toOutcomeError(e).message}`);
        });
      // Hand the lease over first, not after the tick (an Insights query runs minutes, longer than a container's
      // grace): with no lease the tick's remaining writes are refused here (writer.ts), and a write already under
      // way keeps the old generation, which a successor's takeover fences out.
      const held = lease;
      lease = null;
      leader = false;
      if (held) await release();
      const tick = running;
      if (!tick) return;
      // Wait for the tick a little only: its steps stop at their next check, its AWS calls are not cancelled.
      let waited: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        tick.catch(() => undefined),
        new Promise<void>((resolve) => (waited = setTimeout(resolve, STOP_WAIT_MS))),
      ]);
      clearTimeout(waited);
      // A renewal or acquisition in flight when the lease went may have taken it again: hand it over again.
      if (lease !== null || held) {
        lease = null;
        leader = false;
        await release();
      }
    },
    status: () => ({ leader, ticks, lastTickAt, insights: scheduler.state() }),
  };
}
