/**
 * The store path: every function's AdvisorInput for one account-region (scope) from what the collector keeps
 * (inventory and rollups), judged over the part of the asked window the store covers (store-evidence.ts). The evidence costs
 * AWS nothing; only published versions' configurations still unknown are read (version-inventory.ts, bounded),
 * and how functions are invoked (sources.ts: one mappings listing, the queues and the few async configs it
 * needs); those requests are counted.
 *
 * Invariants:
 * - The judged window, never the asked one, is every observation's window: rates, monthly projections and the
 *   confidence of each flag (judgeConfidence: days observed, invocations) follow the evidence actually covered.
 * - Why the judged window is short is said ("the collector is still backfilling"), beyond the newest minutes
 *   that cannot be collected yet (lib/core/rollup/coverage.ts COLLECTION_LAG_MS).
 * - Published versions judged for their runtime are those the stored aliases route to (primary and weighted):
 *   the store keeps no per-ExecutedVersion series to tell which served traffic, and an alias is how a version
 *   is reached.
 * - A scope the collector has never listed fails: with why when the collector cannot reach its account (its
 *   stored state, lib/store/collector-accounts.ts), else "not listed yet"; a listed one without telemetry in the
 *   window is judged on configuration only (evidence.judged = null).
 * - Each function's `missing` names what the store lacks for it (telemetry, REPORT lines, concurrency settings,
 *   published versions), so the rules needing it are listed as not judged; `partial` says why the judged window
 *   is short, so no telemetry flag is "high" on it.
 */
import type { Scope } from "@/lib/core/accounts/scope";
import { FleetscopeError } from "@/lib/core/errors";
import { formatDateTime, formatSpan } from "@/lib/core/format";
import type { AdvisorInput } from "@/lib/core/advisor";
import { expectedWindow } from "@/lib/core/rollup/coverage";
import { tile } from "@/lib/core/rollup/tiling";
import {
  addLog,
  addMetric,
  emptyLog,
  emptyMetric,
  REGION_ROW,
  parseVersionRowKey,
  type LogRollup,
  type MetricRollup,
} from "@/lib/core/rollup/types";
import type { TimeWindow } from "@/lib/core/time/range";
import type { AsyncConfig } from "@/lib/core/triggers/types";
import { epochMs } from "@/lib/core/units";
import type { InventoryEntry } from "@/lib/store/inventory";
import { memoizedVersionConfigs, versionArn, type VersionConfigStore } from "@/lib/store/version-configs";
import type { RegionCollection } from "./collection";
import { judgedSpan, readDays, type AdvisorStoreReader, type JudgedSpan } from "./store-evidence";
import { storeObservations } from "./store-observations";
import { countingVersionPort, readLiveVersions, type VersionInventoryPort } from "./version-inventory";
import { MissingBySource, sharedGroupReason, sharedLogGroups, unreadVersionsReason } from "./missing";
import { hourlyMaxima } from "./store-observations";
import {
  asyncActive,
  readAsyncConfigs,
  readMappings,
  readQueues,
  sourcesOf,
  streamFunctions,
  type SourcesPorts,
  type StoredTriggers,
} from "./sources";

const processVersionConfigs = memoizedVersionConfigs(null);
/** The store's tiers the iterator age's hourly trend is read from. */
const HOURLY_OR_FINER = [60, 300, 3600] as const;
/** Slack for "the backfill stopped at its horizon": the collector measured it at its last step, before `now`. */
const HORIZON_SLACK_MS = 60 * 60_000;

export interface StoreCollectOptions {
  /** Lambda calls for the published versions whose configurations are not known yet. */
  lambda: VersionInventoryPort;
  versionConfigs?: VersionConfigStore;
  now: number;
  /** The collector's backfill horizon, to tell "keeps only" from "still backfilling". */
  horizonMs?: number;
  /** Trigger reads (sources.ts), counted in the region's AWS requests; absent, the trigger rules are not judged. */
  sources?: SourcesPorts;
}

/** Why the judged window is shorter than what could be collected by `now`, or null. */
export function shortfallOf(span: JudgedSpan, now: number, horizonMs: number | undefined): string | null {
  const expected = expectedWindow(span.asked, now);
  const j = span.judged;
  if (j === null) return "nothing collected in this window yet";
  if (j.from <= expected.from && j.to >= expected.to && span.droppedMs === 0) return null;
  if (j.from > expected.from) {
    const limiting = [span.metrics, ...(span.logsJudged ? [span.logs] : [])]
      .map((s) => s.coverage.collected?.from ?? Infinity)
      .reduce((a, b) => Math.max(a, b), -Infinity);
    if (horizonMs !== undefined && limiting <= now - horizonMs + HORIZON_SLACK_MS)
      return `the collector backfills only ${formatSpan(horizonMs)} (FLEETSCOPE_COLLECTOR_BACKFILL_HOURS)`;
    return "the collector is still backfilling";
  }
  if (span.droppedMs > 0) return `${formatSpan(span.droppedMs)} collected before a gap is left out`;
  return `the collector is behind: data to ${new Date(j.to).toISOString().slice(11, 16)} UTC`;
}

/** The collector's trigger readings of the region: its mappings listing, and the async configs it read. */
async function storedTriggers(
  reader: AdvisorStoreReader,
  scope: Scope,
  now: number,
): Promise<StoredTriggers | undefined> {
  if (!reader.triggers) return undefined;
  const [readings, listing] = await Promise.all([
    reader.triggers.list(scope),
    reader.triggers.listing(scope),
  ]);
  const async = new Map<string, { config: AsyncConfig | null; readAt: number }>();
  for (const [name, r] of readings) {
    const part = r.parts.async;
    if (part.ok) async.set(name, { config: part.value, readAt: r.retriedAt.async ?? r.readAt });
  }
  return { listing, async, now };
}

/** Version ARNs the stored aliases route to (their primary version and any weighted one). */
function aliasedVersionArns(entries: readonly InventoryEntry[]): string[] {
  const arns = new Set<string>();
  for (const e of entries)
    for (const a of e.details?.aliases ?? [])
      for (const v of [a.functionVersion, a.routing?.additionalVersion])
        if (v !== undefined && /^\d+$/.test(v)) arns.add(versionArn(e.config, v));
  return [...arns];
}

/** Sums day maps into window totals, copying so the per-day rows stay as read. */
function windowTotals<T>(maps: readonly Map<string, T>[], empty: (key: string) => T, add: (a: T, b: T) => T) {
  const out = new Map<string, T>();
  for (const m of maps)
    for (const [k, r] of m) {
      let acc = out.get(k);
      if (acc === undefined) out.set(k, (acc = empty(k)));
      add(acc, r);
    }
  return out;
}

/** Why a scope the collector never listed cannot be advised: its account out of reach (and since when), or not yet. */
async function notListed(reader: AdvisorStoreReader, scope: Scope): Promise<FleetscopeError> {
  const [state] = (await reader.collectorAccounts?.list([scope.account])) ?? [];
  if (state?.error)
    return new FleetscopeError(
      "Unavailable",
      `the collector cannot reach account ${scope.account}: ${state.error.code}: ${state.error.message}` +
        ` (since ${formatDateTime(state.failingSince)})`,
    );
  return new FleetscopeError(
    "Unavailable",
    `the collector has not listed ${scope.region} of account ${scope.account} yet`,
  );
}

export async function collectRegionFromStore(
  reader: AdvisorStoreReader,
  scope: Scope,
  window: TimeWindow,
  options: StoreCollectOptions,
): Promise<RegionCollection> {
  const { region } = scope;
  // Independent reads side by side: the inventory, the coverage, the stored trigger readings.
  const [entries, stamped, span, stored] = await Promise.all([
    reader.inventory.functions(scope),
    reader.inventory.account(scope),
    judgedSpan(reader, scope, { from: window.start, to: window.end }),
    storedTriggers(reader, scope, options.now),
  ]);
  const account = stamped?.settings ?? null;
  if (account === null && entries.length === 0) throw await notListed(reader, scope);
  const gaps: string[] = [];

  const days = await readDays(reader, span);
  const metrics = windowTotals<MetricRollup>(
    days.map((d) => d.metrics),
    (fn) => emptyMetric(scope, fn, 60, span.judged?.from ?? window.start),
    addMetric,
  );
  const logs = windowTotals<LogRollup>(
    days.flatMap((d) => (d.logs ? [d.logs] : [])),
    (g) => emptyLog(scope, g, 60, span.judged?.from ?? window.start),
    addLog,
  );
  const shortfall = shortfallOf(span, options.now, options.horizonMs);
  const missing = new MissingBySource();
  if (span.judged === null) {
    const none = `no telemetry collected in this window (${shortfall ?? "none collected yet"})`;
    missing.everywhere("metrics", none);
    missing.everywhere("logs", none);
  } else if (!span.logsJudged)
    missing.everywhere("logs", "the collector has no REPORT lines for the judged window yet");
  if (account === null) missing.everywhere("account", "the collector has not read the account settings yet");
  const shared = sharedLogGroups(entries.map((e) => e.config));

  const counted = countingVersionPort(options.lambda);
  const arns = aliasedVersionArns(entries);
  const live = await readLiveVersions(
    counted.port,
    options.versionConfigs ?? processVersionConfigs,
    entries.length,
    arns,
    options.now,
  );
  gaps.push(...live.gaps);
  for (const { config, details } of entries) {
    const n = shared.get(config.logGroup);
    if (n !== undefined) missing.forFunction(config.name, "logs", sharedGroupReason(config.logGroup, n));
    if (details === null)
      missing.forFunction(
        config.name,
        "settings",
        "aliases, reserved and provisioned concurrency not read by the collector yet",
      );
    const unread = unreadVersionsReason(config, live.unreadArns);
    if (unread !== null) missing.forFunction(config.name, "versions", unread);
  }
  // How functions are invoked: the only AWS reads besides versions (sources.ts), counted below.
  const sourcePorts = options.sources ?? {};
  const listing = await readMappings(sourcePorts, gaps, missing, stored);
  const mappings = listing.byFunction;
  const active = entries
    .map((e) => e.config)
    .filter((c) => {
      const m = metrics.get(c.name);
      return (
        m !== undefined &&
        asyncActive({
          asyncEventsDropped: m.asyncDropped,
          destinationDeliveryFailures: m.destinationFailures,
          deadLetterErrors: m.deadLetterErrors,
        })
      );
    });
  const [queueRead, asyncRead] = await Promise.all([
    readQueues(sourcePorts, mappings, gaps, missing),
    readAsyncConfigs(sourcePorts, active, gaps, missing, stored),
  ]);
  const sourceRequests = listing.requests + queueRead.requests + asyncRead.requests;
  // The lag's trend from the per-minute rows, for stream consumers (any function that reported an IteratorAge
  // when the mappings are unknown).
  const streams = mappings === null ? null : streamFunctions(mappings);
  // Tiers of an hour or finer only: a 6-hour or daily row would hide the trend inside it.
  const hourTiles = span.judged === null ? [] : tile(span.judged, span.metrics.tiers, HOURLY_OR_FINER).pieces;
  const hourlyOf = async (name: string) => {
    if (span.judged === null) return null;
    if (streams === null ? metrics.get(name)?.iteratorAgeMax == null : !streams.has(name)) return null;
    const pieces = await Promise.all(
      hourTiles.map((p) => reader.telemetry.metricRows(scope, p.res, p.from, p.to, name)),
    );
    return hourlyMaxima(pieces.flat());
  };
  const hourly = new Map(
    await Promise.all(entries.map(async (e) => [e.config.name, await hourlyOf(e.config.name)] as const)),
  );

  const pending = entries.filter((e) => e.details === null).length;
  if (pending > 0)
    gaps.push(
      `aliases, reserved and provisioned concurrency of ${pending} of ${entries.length} functions not read by ` +
        "the collector yet: their concurrency, provisioned-concurrency and version flags may be missing",
    );

  const judged = span.judged && { start: epochMs(span.judged.from), end: epochMs(span.judged.to) };
  const inputs = entries.map(({ config, details }): AdvisorInput => {
    const attributable = missing.of(config.name)?.logs === undefined;
    const versions = (details?.aliases ?? []).flatMap((a) =>
      [a.functionVersion, a.routing?.additionalVersion].flatMap((v) => {
        const c = v === undefined ? undefined : live.known.get(versionArn(config, v));
        return c ? [c] : [];
      }),
    );
    const observed = storeObservations(config, {
      window: judged ?? window,
      metrics: metrics.get(config.name),
      region: metrics.get(REGION_ROW),
      logs: attributable ? { totals: logs.get(config.logGroup) } : null,
      days: days.map((d) => ({
        day: d.day,
        metrics: d.metrics.get(config.name),
        logs: attributable ? d.logs?.get(config.logGroup) : undefined,
      })),
      details,
      versions: versionStats(metrics, config.name),
      iteratorAgeHourly: hourly.get(config.name) ?? null,
    });
    return {
      config,
      versions: [...new Map(versions.map((v) => [v.arn, v])).values()],
      aliases: details?.aliases ?? [],
      provisionedConcurrency: details?.provisioned ?? [],
      reservedConcurrency: details?.reservedConcurrency ?? null,
      account,
      observed,
      sources: sourcesOf(config.name, mappings, queueRead.queues, asyncRead.async),
      missing: missing.of(config.name),
      partial: span.judged === null ? null : shortfall,
    };
  });

  return {
    region,
    inputs,
    account,
    gaps,
    evidence: {
      judged,
      logsJudged: span.logsJudged,
      coverage: [span.metrics.coverage, span.logs.coverage],
      shortfall,
      awsRequests: counted.requests() + sourceRequests,
    },
  };
}

/** A cache key part that changes whenever the collector writes this region (any tier's coverage). */
/** The function's version rows over the window, added up per version across the aliases that served it. */
function versionStats(
  metrics: ReadonlyMap<string, MetricRollup>,
  fn: string,
): { version: string; invocations: number; errors: number }[] {
  const out = new Map<string, { version: string; invocations: number; errors: number }>();
  for (const [key, row] of metrics) {
    const v = parseVersionRowKey(key);
    if (v?.fn !== fn) continue;
    const acc = out.get(v.version) ?? { version: v.version, invocations: 0, errors: 0 };
    acc.invocations += row.invocations;
    acc.errors += row.errors;
    out.set(v.version, acc);
  }
  return [...out.values()].sort((a, b) => Number(a.version) - Number(b.version));
}
