/**
 * One account-region's collection (a scope): the steps the collector loop calls, each reading AWS for minutes the store does not
 * hold yet and writing them with their coverage in one go.
 *
 * Invariants:
 * - Coverage per source is one contiguous interval of closed minutes: forward steps extend its end (metrics
 *   re-read the last `settleMinutes`, since CloudWatch publishes late), backfill steps extend its start, newest
 *   first, down to the horizon. A failed step changes nothing, so no minute is lost and none is read twice
 *   (outside the metrics settle window).
 * - A minute is closed for logs `logLagMs` after it ends (CloudWatch Logs ingests late too), and is read once.
 * - Coarser resolutions are rolled up only from finer buckets that can no longer change.
 * - Reads go to the store directly; every write goes through `ctx.write` (fenced by the collector lease), and
 *   what belongs together goes in one transaction: a window's rows, its coverage and its cost.
 */
import type { CloudWatchPort } from "@/lib/aws/cloudwatch";
import type { MetricListPort } from "@/lib/aws/cloudwatch-list-metrics";
import type { LambdaPort } from "@/lib/aws/lambda";
import type { LogsPort } from "@/lib/aws/logs";
import { scopeKey, type Scope } from "@/lib/core/accounts/scope";
import {
  addLog,
  addMetric,
  bucketStart,
  emptyLog,
  emptyMetric,
  REGION_ROW,
  rollUp,
  type LogRollup,
  type MetricRollup,
  type Resolution,
} from "@/lib/core/rollup/types";
import { FleetscopeError } from "@/lib/core/errors";
import type { ErrorStore } from "@/lib/store/errors";
import type { InventoryStore } from "@/lib/store/inventory";
import type { RollupSource, TelemetryStore } from "@/lib/store/telemetry";
import type { TriggerStore } from "@/lib/store/triggers";
import type { Budget } from "./budget";
import type { CollectorTx, FencedWrite } from "./writer";
import { refreshInventory, type InventoryRound } from "./inventory";
import { readMinuteLogs, type LogGroupRef } from "./logs";
import { optionalMetricNames, readMinuteMetrics, type OptionalPublishers, type RoutedAlias } from "./metrics";
import type { InsightsScheduler } from "./scheduler";
import { readsTriggers, refreshTriggers, type TriggerPlanCache, type TriggersRound } from "./triggers";

const MINUTE = 60_000;

export interface RegionPorts {
  lambda: LambdaPort;
  cloudwatch: CloudWatchPort;
  metricList: MetricListPort;
  logs: LogsPort;
}

export interface CollectorSettings {
  /** Metrics minutes re-read on every forward step (CloudWatch may still be publishing them). */
  settleMinutes: number;
  /** A minute's metrics are first read this long after it ends. */
  metricLagMs: number;
  /** A minute's REPORT lines are read (once) this long after it ends. */
  logLagMs: number;
  /** How far back the backfill goes. */
  horizonMs: number;
  /** The most minutes one metrics request set covers (forward catch-up and backfill). */
  metricsChunkMs: number;
  /** The most minutes one logs step covers (forward catch-up and backfill). */
  logsChunkMs: number;
  insightsDeadlineMs: number;
  /** ListMetrics for the optional metrics' publishers, this often. */
  publishersEveryMs: number;
  inventory: { listEveryMs: number; detailsMaxAgeMs: number };
  /** Per-function trigger readings: re-read past `maxAgeMs`; a part failed for a passing reason, after a pause. */
  triggers: { maxAgeMs: number; retryFailedAfterMs: number };
  retentionMs: Record<Resolution, number>;
}

export const DEFAULT_SETTINGS: CollectorSettings = {
  settleMinutes: 5,
  metricLagMs: MINUTE,
  logLagMs: 2 * MINUTE,
  horizonMs: 24 * 60 * MINUTE,
  metricsChunkMs: 6 * 60 * MINUTE,
  logsChunkMs: 15 * MINUTE,
  insightsDeadlineMs: 5 * MINUTE,
  publishersEveryMs: 30 * MINUTE,
  inventory: { listEveryMs: 10 * MINUTE, detailsMaxAgeMs: 30 * MINUTE },
  // A policy change moves the function's RevisionId (read first, at the next listing); a URL, async or recursion
  // change does not, so those show up within 3 h. Four requests per function every 3 h keeps 5,000 functions
  // within the default 2 requests/s next to the inventory's own reads (test/bench/triggers-inventory.ts).
  triggers: { maxAgeMs: 180 * MINUTE, retryFailedAfterMs: 5 * MINUTE },
  // CloudWatch's own: 1-minute data for 15 days, 5-minute for 63 days, hourly (and coarser) for 455 days.
  retentionMs: {
    60: 15 * 86_400_000,
    300: 63 * 86_400_000,
    3600: 455 * 86_400_000,
    21600: 455 * 86_400_000,
    86400: 455 * 86_400_000,
    604800: 455 * 86_400_000,
  },
};

export interface StepCost {
  requests: number;
  bytesScanned: number;
  minutes: number;
}

export interface RegionContext {
  /** The account and region this context collects: every store key and row carries both. */
  scope: Scope;
  ports: RegionPorts;
  /** For reads only: writes go through `write`. */
  telemetry: TelemetryStore;
  inventory: InventoryStore;
  /** The account's Lambda control-plane bucket, shared by its regions (each account has its own quota). */
  budget: Budget;
  /** The stored triggers, the account's GetPolicy bucket and the scope's plan; absent, triggers are not collected. */
  triggers?: { store: TriggerStore; policyBudget: Budget; planCache: TriggerPlanCache };
  /** Error groups, read by their own steps (errors-step.ts) with their own coverage; absent, not collected. */
  errors?: ErrorStore;
  /** The account's Insights scheduler, shared by its regions. */
  scheduler: InsightsScheduler;
  settings: CollectorSettings;
  /** Every write, fenced by the collector lease (writer.ts). */
  write: FencedWrite;
  /** Ledger: what each step cost AWS, written in the step's own transaction `tx`. */
  charge(tx: Pick<CollectorTx, "telemetry">, source: string, cost: StepCost, now: number): Promise<void>;
}

const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;

export function inventoryStep(ctx: RegionContext, now: number): Promise<InventoryRound> {
  return refreshInventory(
    ctx.ports.lambda,
    ctx.scope,
    ctx.inventory,
    ctx.budget,
    now,
    ctx.settings.inventory,
    ctx.write,
  );
}

/**
 * The region's triggers (lib/collector/triggers.ts), after the inventory's listing it reads against; its AWS
 * requests go to the ledger as "triggers". A failed region-wide listing fails the step once the rest is stored.
 */
export async function triggersStep(ctx: RegionContext, now: number): Promise<TriggersRound | null> {
  if (!ctx.triggers || !readsTriggers(ctx.ports.lambda)) return null;
  const round = await refreshTriggers(
    {
      scope: ctx.scope,
      port: ctx.ports.lambda,
      inventory: ctx.inventory,
      triggers: ctx.triggers.store,
      budget: ctx.budget,
      policyBudget: ctx.triggers.policyBudget,
      planCache: ctx.triggers.planCache,
      write: ctx.write,
    },
    now,
    { listEveryMs: ctx.settings.inventory.listEveryMs, ...ctx.settings.triggers },
  );
  if (round.requests > 0)
    await ctx.write((tx) =>
      ctx.charge(tx, "triggers", { requests: round.requests, bytesScanned: 0, minutes: 0 }, now),
    );
  if (round.listingError)
    throw new FleetscopeError(
      round.listingError.code,
      `ListEventSourceMappings: ${round.listingError.message}`,
    );
  return round;
}

async function functionNames(ctx: RegionContext): Promise<string[]> {
  return (await ctx.inventory.functions(ctx.scope)).map((e) => e.config.name);
}

async function logGroups(ctx: RegionContext): Promise<LogGroupRef[]> {
  return (await ctx.inventory.functions(ctx.scope)).map((e) => ({
    logGroup: e.config.logGroup,
    format: e.config.logFormat,
  }));
}

/** Keyed by scopeKey: two accounts' functions of the same name are different publishers. */
let publishers: Map<string, { at: number; value: OptionalPublishers }> = new Map();

/** Which functions publish each optional metric, from ListMetrics, refreshed every `publishersEveryMs`. */
async function optionalPublishers(ctx: RegionContext, now: number): Promise<OptionalPublishers> {
  const known = publishers.get(scopeKey(ctx.scope));
  if (known && now - known.at < ctx.settings.publishersEveryMs) return known.value;
  let requests = 0;
  const value = new Map<string, Set<string>>();
  for (const name of optionalMetricNames()) {
    const series = await ctx.ports.metricList.listSeries(name, ["FunctionName"], () => requests++);
    value.set(
      name,
      new Set(
        series
          .filter((d) => Object.keys(d).length === 1 && d.FunctionName)
          .map((d) => d.FunctionName as string),
      ),
    );
  }
  await ctx.write((tx) => ctx.charge(tx, "metrics", { requests, bytesScanned: 0, minutes: 0 }, now));
  publishers.set(scopeKey(ctx.scope), { at: now, value });
  return value;
}

/** For tests: forget cached ListMetrics answers. */
export const resetPublishers = () => {
  publishers = new Map();
};

/** Aliases that split traffic between two versions, from the stored inventory: their versions are counted apart. */
async function routedAliases(ctx: RegionContext): Promise<RoutedAlias[]> {
  return (await ctx.inventory.functions(ctx.scope)).flatMap((e) =>
    (e.details?.aliases ?? []).flatMap((a) =>
      a.routing === null
        ? []
        : [
            {
              fn: e.config.name,
              alias: a.name,
              versions: [a.functionVersion, a.routing.additionalVersion],
            },
          ],
    ),
  );
}

/** Reads [start, end) of `source` from AWS, then stores its rows, its coverage and its cost in one fenced write. */
async function readWindow(
  ctx: RegionContext,
  source: RollupSource,
  start: number,
  end: number,
  now: number,
): Promise<void> {
  const minutes = (end - start) / MINUTE;
  if (source === "metrics") {
    const read = await readMinuteMetrics(
      ctx.ports.cloudwatch,
      ctx.scope,
      await functionNames(ctx),
      await optionalPublishers(ctx, now),
      { start, end },
      await routedAliases(ctx),
    );
    await ctx.write(async (tx) => {
      await tx.telemetry.putMetrics(read.rows);
      await tx.telemetry.extendCoverage(ctx.scope, source, 60, start, end, now);
      await ctx.charge(tx, "metrics", { requests: read.requests, bytesScanned: 0, minutes }, now);
    });
    return;
  }
  const read = await readMinuteLogs(
    ctx.ports.logs,
    ctx.scope,
    await logGroups(ctx),
    { start, end },
    {
      deadlineMs: ctx.settings.insightsDeadlineMs,
      scheduler: ctx.scheduler,
    },
  );
  await ctx.write(async (tx) => {
    await tx.telemetry.putLogs([...read.rollups, ...regionLogRows(ctx.scope, read.rollups, start, end)]);
    await tx.telemetry.extendCoverage(ctx.scope, source, 60, start, end, now);
    await ctx.charge(tx, "logs", { requests: read.requests, bytesScanned: read.bytesScanned, minutes }, now);
  });
}

/**
 * One REGION_ROW log rollup per minute of [start, end) that has REPORT lines: the sum of every group's, so the
 * fleet's charts read one row per minute instead of adding up every group (a covered minute without one had none).
 */
function regionLogRows(scope: Scope, rollups: readonly LogRollup[], start: number, end: number): LogRollup[] {
  const byMinute = new Map<number, LogRollup>();
  for (const r of rollups) {
    let acc = byMinute.get(r.t);
    if (!acc) byMinute.set(r.t, (acc = emptyLog(scope, REGION_ROW, 60, r.t)));
    addLog(acc, r);
  }
  return [...byMinute.values()].filter((r) => r.t >= start && r.t < end);
}

/** Reads the newest closed minutes of `source`; returns the interval read, or null when nothing was due. */
export async function forwardStep(
  ctx: RegionContext,
  source: RollupSource,
  now: number,
): Promise<{ start: number; end: number } | null> {
  if ((await ctx.inventory.account(ctx.scope)) === null) return null; // Nothing to read until the first listing.
  const s = ctx.settings;
  const closedEnd = floorMinute(now - (source === "metrics" ? s.metricLagMs : s.logLagMs));
  const cov = await ctx.telemetry.coverage(ctx.scope, source, 60);
  const chunk = source === "metrics" ? s.metricsChunkMs : s.logsChunkMs;
  let start: number;
  if (!cov) start = closedEnd - (source === "metrics" ? s.settleMinutes : 1) * MINUTE;
  else if (source === "metrics") start = Math.max(cov.from, cov.to - s.settleMinutes * MINUTE);
  else start = cov.to;
  // After a long stop, catch up oldest first, a chunk at a time, so coverage stays contiguous.
  const end = Math.min(closedEnd, start + chunk);
  if (end <= start || (cov && end <= cov.to && source === "logs")) return null;
  await readWindow(ctx, source, start, end, now);
  return { start, end };
}

/** Extends `source`'s coverage one chunk further back, newest first; null once the horizon is reached. */
export async function backfillStep(
  ctx: RegionContext,
  source: RollupSource,
  now: number,
): Promise<{ start: number; end: number } | null> {
  const cov = await ctx.telemetry.coverage(ctx.scope, source, 60);
  if (!cov) return null;
  const horizon = floorMinute(now - ctx.settings.horizonMs);
  if (cov.from <= horizon) return null;
  const chunk = source === "metrics" ? ctx.settings.metricsChunkMs : ctx.settings.logsChunkMs;
  const start = Math.max(horizon, cov.from - chunk);
  const end = cov.from;
  await readWindow(ctx, source, start, end, now);
  return { start, end };
}

/** How much of the backfill is done: the collected span back to the horizon, over the whole span to it. */
export async function backfillProgress(
  ctx: Pick<RegionContext, "scope" | "telemetry" | "settings">,
  source: RollupSource,
  now: number,
): Promise<{ collectedMs: number; targetMs: number }> {
  const cov = await ctx.telemetry.coverage(ctx.scope, source, 60);
  if (!cov) return { collectedMs: 0, targetMs: ctx.settings.horizonMs };
  const horizon = floorMinute(now - ctx.settings.horizonMs);
  return { collectedMs: cov.to - Math.max(horizon, cov.from), targetMs: Math.max(0, cov.to - horizon) };
}

const COARSER: readonly [Resolution, Resolution][] = [
  [300, 60],
  [3600, 300],
  [21600, 3600],
  [86400, 21600],
  [604800, 86400],
];

/**
 * Rolls complete, settled finer buckets up into each coarser resolution, keeping every coverage contiguous.
 * Per resolution: the finer rows are read, then the coarser rows and their coverage written in one fenced write.
 */
export async function rollUpStep(ctx: RegionContext, source: RollupSource, now: number): Promise<void> {
  const settle = source === "metrics" ? ctx.settings.settleMinutes * MINUTE : 0;
  for (const [res, finer] of COARSER) {
    const fine = await ctx.telemetry.coverage(ctx.scope, source, finer);
    if (!fine) continue;
    const stableTo = finer === 60 ? fine.to - settle : fine.to;
    const size = res * 1000;
    const target = { from: Math.ceil(fine.from / size) * size, to: bucketStart(stableTo, res) };
    if (target.to <= target.from) continue;
    const have = await ctx.telemetry.coverage(ctx.scope, source, res);
    // Contiguous with what is rolled: forward from its end and backward from its start.
    const ranges: [number, number][] = !have
      ? [[target.from, target.to]]
      : [
          [Math.max(have.to, target.from), target.to],
          [target.from, Math.min(have.from, target.to)],
        ];
    let from = have?.from ?? target.from;
    let to = have?.to ?? target.from;
    const metrics: MetricRollup[] = [];
    const logs: LogRollup[] = [];
    for (const [a, b] of ranges) {
      if (b <= a) continue;
      if (source === "metrics") {
        const rows = await ctx.telemetry.metricRows(ctx.scope, finer, a, b);
        metrics.push(
          ...rollUp(
            rows,
            res,
            (r) => r.fn,
            (r, t) => emptyMetric(r, r.fn, res, t),
            addMetric,
          ),
        );
      } else {
        const rows = await ctx.telemetry.logRows(ctx.scope, finer, a, b);
        logs.push(
          ...rollUp(
            rows,
            res,
            (r) => r.logGroup,
            (r, t) => emptyLog(r, r.logGroup, res, t),
            addLog,
          ),
        );
      }
      from = Math.min(from, a);
      to = Math.max(to, b);
    }
    await ctx.write(async (tx) => {
      if (metrics.length > 0) await tx.telemetry.putMetrics(metrics);
      if (logs.length > 0) await tx.telemetry.putLogs(logs);
      await tx.telemetry.setCoverage(ctx.scope, source, res, from, to, now);
    });
  }
}

/**
 * Drops rows past each resolution's retention (the coarser tiers keep the history); error groups (`withErrors`)
 * like 1-minute rows. One fenced write: a retention pass is all or nothing.
 */
export function pruneStep(
  write: FencedWrite,
  settings: CollectorSettings,
  now: number,
  withErrors: boolean,
): Promise<number> {
  return write(async (tx) => {
    let n = 0;
    for (const [res, keep] of Object.entries(settings.retentionMs))
      n += await tx.telemetry.prune(Number(res) as Resolution, now - keep);
    if (withErrors) n += await tx.errors.prune(now - settings.retentionMs[60]);
    return n;
  });
}
