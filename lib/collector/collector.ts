/**
 * The collector loop: while it holds the store's collector lease, every `tickMs` it runs each region's due
 * steps — inventory and triggers, forward metrics, logs and errors, their backfills, roll-ups and retention — and
 * records what each cost AWS and any failure. Exactly one collector works per store; a second one waits for the
 * lease.
 *
 * Invariants:
 * - Ticks never overlap; `stop()` waits for the running one and releases the lease.
 * - A failing step (throttled, AWS down, timeout) is recorded and retried after a pause; it never stops the
 *   loop or another region's work.
 * - Every region gets one Insights scheduler shared by its forward and backfill steps (one account per
 *   deployment today; the scheduler is per account when there are several).
 */
import { systemClock } from "@/lib/config/clock";
import { toOutcomeError } from "@/lib/core/errors";
import type { Store } from "@/lib/store";
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
  type StepCost,
} from "./region";
import { createInsightsScheduler, type InsightsScheduler } from "./scheduler";
import { createTriggerPlanCache } from "./triggers";

export const COLLECTOR_LEASE = "collector";
const HOUR = 3_600_000;

export interface CollectorOptions {
  regions: readonly string[];
  portsFor(region: string): RegionPorts;
  /**
   * With `triggers`, the collector also keeps every function's triggers (lib/collector/triggers.ts); with
   * `errors`, the error groups in their own steps (lib/collector/errors-step.ts).
   */
  store: Pick<Store, "telemetry" | "inventory" | "leases"> & Partial<Pick<Store, "triggers" | "errors">>;
  owner: string;
  settings?: Partial<CollectorSettings>;
  tickMs?: number;
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
  const scheduler = createInsightsScheduler({
    maxConcurrent: opts.maxConcurrentInsightsQueries ?? 4,
    firstPauseMs: opts.retryPauseMs ?? 2_000,
    onThrottled: (message, pauseMs) => {
      telemetry.addEvent({
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
  const charge = (region: string) => (source: string, cost: StepCost, at: number) =>
    telemetry.addCost(region, source, Math.floor(at / HOUR) * HOUR, cost);

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
        charge: charge(region),
      },
    ]),
  );
  const nextAt = new Map<string, number>();
  let leader = false;
  let ticks = 0;
  let lastTickAt: number | null = null;
  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  async function step(ctx: RegionContext, name: StepName, work: () => Promise<unknown>): Promise<void> {
    const key = `${ctx.region}:${name}`;
    const t = now();
    if ((nextAt.get(key) ?? 0) > t) return;
    try {
      const did = await work();
      // Backfill runs again at once while it has work; everything else waits for its cadence.
      nextAt.set(key, CADENCE[name] === 0 && did ? 0 : t + Math.max(CADENCE[name], tickMs));
    } catch (e) {
      const err = toOutcomeError(e);
      telemetry.addEvent({
        at: now(),
        region: ctx.region,
        source: name,
        level: "error",
        message: `${err.code}: ${err.message}`,
      });
      log(`collector ${ctx.region} ${name}: ${err.code}: ${err.message}`);
      nextAt.set(key, t + (opts.retryPauseMs ?? 30_000));
    }
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
    rollUpStep(ctx, "metrics", now());
    rollUpStep(ctx, "logs", now());
  }

  async function tickOnce(): Promise<void> {
    leader = leases.acquire(COLLECTOR_LEASE, opts.owner, now(), leaseMs);
    if (!leader) return;
    await Promise.all([...contexts.values()].map(region));
    const first = contexts.values().next().value;
    if (first)
      await step(first, "maintenance", async () => pruneStep(telemetry, settings, now(), opts.store.errors));
    ticks++;
    lastTickAt = now();
  }

  const tick = () => {
    running ??= tickOnce().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    start() {
      if (timer) return;
      void tick();
      timer = setInterval(() => void tick(), tickMs);
      timer.unref?.();
    },
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
      if (leader) leases.release(COLLECTOR_LEASE, opts.owner);
      leader = false;
    },
    status: () => ({ leader, ticks, lastTickAt, insights: scheduler.state() }),
  };
}
