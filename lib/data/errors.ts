/**
 * The Errors view (issue 14): error groups of the selected accounts × regions (optionally one function) over the
 * header's range, read from the store only — the rows the collector's errors steps write (contract C3), the
 * metric and REPORT rollups, the stored inventory. Costs AWS nothing.
 *
 * Invariants:
 * - Error rows exist at one-minute resolution; the errors coverage (the error store's own, not the logs') says
 *   which minutes they cover (a covered minute without a row had no error). Groups read only covered minutes of
 *   the range, and the coverage returned is that same one, so a partial count is always shown with how much it
 *   covers; minutes read only in part (a cut second) are returned too, for the page to call counts lower bounds.
 * - Reconciliation compares the minutes both the errors and the metrics coverage hold (errors-reconcile.ts);
 *   with none, it is "not collected", never 0 of 0.
 * - Aliases and log levels come from the stored inventory; a function whose details were not read has no alias
 *   roles (its versions are shown bare, and no group of it is marked new in a canary).
 * - A function is its account, region and name: each account-region (scope) is read on its own, and its rows,
 *   evidence and aliases carry that account, so two accounts' same-named functions never add up.
 * - Store reads are promises: a scope's independent reads (coverages, rows, inventory, totals) and the scopes
 *   themselves are read side by side.
 */
import { systemClock } from "@/lib/config/clock";
import "server-only";
import { z } from "zod";
import type { Scope } from "@/lib/core/accounts/scope";
import type { Alias } from "@/lib/core/lambda/types";
import type { SourceCoverage } from "@/lib/core/rollup/coverage";
import { intersectIntervals, tile, type Interval } from "@/lib/core/rollup/tiling";
import { parseVersionRowKey, REGION_ROW } from "@/lib/core/rollup/types";
import type { RangeBucket } from "@/lib/core/time/bucket";
import type { EpochMs } from "@/lib/core/units";
import { store } from "@/lib/store";
import type { InventoryEntry, InventoryStore } from "@/lib/store/inventory";
import type { TelemetryStore } from "@/lib/store/telemetry";
import type { ErrorStore } from "@/lib/store/errors";
import { fnKey, isFailure, mergeErrorGroups, type ErrorGroup } from "./errors-merge";
import {
  reconcileFunction,
  reconcileTotal,
  type FunctionEvidence,
  type FunctionReconciliation,
  type TotalReconciliation,
} from "./errors-reconcile";
import type { PanelStatus } from "./telemetry/overview";

export interface ErrorsDeps {
  errors: () => Pick<ErrorStore, "rows" | "coverage" | "partialMinutes">;
  telemetry: () => Pick<TelemetryStore, "coverage" | "metricTotals" | "logTotals">;
  inventory: () => Pick<InventoryStore, "functions">;
  now: () => EpochMs;
}

export const defaultErrorsDeps = (): ErrorsDeps => ({
  errors: () => store().errors,
  telemetry: () => store().telemetry,
  inventory: () => store().inventory,
  now: systemClock.now,
});

export interface ErrorsQuery {
  /** The selected accounts × regions. */
  scopes: readonly Scope[];
  fn?: string;
  range: RangeBucket;
}

export interface RegionWindows {
  account: string;
  region: string;
  /** The range's minutes the errors coverage holds: what the groups count. null: none. */
  errors: Interval | null;
  /** The part of `errors` the metrics coverage holds too: what reconciliation compares. */
  compared: Interval | null;
  /** Minutes of `errors` read only in part (a second of a log group held more lines than Insights returns). */
  partialMinutes: number[];
}

export interface ErrorGroupsView {
  groups: ErrorGroup[];
  reconciliation: { functions: FunctionReconciliation[]; total: TotalReconciliation };
  windows: RegionWindows[];
  status: PanelStatus;
  /** Always 0: the view reads the store only. */
  awsRequests: 0;
}

const intersect = (a: Interval | null, b: Interval | null): Interval | null => {
  if (a === null || b === null) return null;
  const from = Math.max(a.from, b.from);
  const to = Math.min(a.to, b.to);
  return from < to ? { from, to } : null;
};

/**
 * The errors steps read a minute only once its metrics are settled (lib/collector/errors-step.ts: the metrics'
 * lag, their 5 settle minutes, and a step's cadence), later than the other sources: newer minutes are "not yet".
 */
const ERRORS_LAG_MS = 8 * 60_000;

function coverageOf(
  scope: Scope,
  source: "metrics" | "errors",
  window: Interval,
  cov: Interval | null,
  now: number,
) {
  const t = tile(window, { 60: cov }, [60]);
  const due = now - ERRORS_LAG_MS;
  const gaps =
    source === "errors"
      ? t.gaps.flatMap((g) => (g.from >= due ? [] : [{ ...g, to: Math.min(g.to, due) }]))
      : t.gaps;
  return { coveredMs: t.coveredMs, gaps, account: scope.account, region: scope.region, source, window };
}

/** LoggingConfig levels, when the stored configuration carries them (older listings do not). */
const logLevels = z.object({ applicationLogLevel: z.string().optional() }).passthrough();

function applicationLogLevel(e: InventoryEntry | undefined): string | null {
  const parsed = logLevels.safeParse(e?.config);
  return parsed.success ? (parsed.data.applicationLogLevel ?? null) : null;
}

interface RegionRead {
  windows: RegionWindows;
  coverage: SourceCoverage[];
  rows: Awaited<ReturnType<ErrorStore["rows"]>>;
  evidence: FunctionEvidence[];
  inventory: InventoryEntry[];
}

async function readScope(
  deps: ErrorsDeps,
  scope: Scope,
  fn: string | undefined,
  range: RangeBucket,
): Promise<RegionRead> {
  const telemetry = deps.telemetry();
  const window = { from: range.start, to: range.end };
  const [errorsCov, metricsCov] = await Promise.all([
    deps.errors().coverage(scope),
    telemetry.coverage(scope, "metrics", 60),
  ]);
  const errors = intersect(window, errorsCov);
  const compared = intersect(errors, metricsCov);
  const coverage: SourceCoverage[] = [
    { ...coverageOf(scope, "errors", window, errorsCov, deps.now()), collected: errorsCov },
    { ...coverageOf(scope, "metrics", window, metricsCov, deps.now()), collected: metricsCov },
  ];
  const span = errors === null ? null : { scopes: [scope], from: errors.from, to: errors.to };
  const [rows, partial, inventory, totals] = await Promise.all([
    span === null ? [] : deps.errors().rows({ ...span, ...(fn ? { fn } : {}) }),
    span === null ? [] : deps.errors().partialMinutes(span),
    deps.inventory().functions(scope),
    readTotals(telemetry, scope, compared),
  ]);
  const partialMinutes = [...new Set(partial.map((p) => p.t))];
  return {
    windows: { account: scope.account, region: scope.region, errors, compared, partialMinutes },
    coverage,
    rows,
    evidence: evidenceOf(totals, scope, fn, compared, rows, inventory),
    inventory,
  };
}

interface Totals {
  metrics: Awaited<ReturnType<TelemetryStore["metricTotals"]>>;
  logs: Awaited<ReturnType<TelemetryStore["logTotals"]>>;
}

/** The metric and REPORT totals over `compared` (none without it). */
async function readTotals(
  telemetry: ReturnType<ErrorsDeps["telemetry"]>,
  scope: Scope,
  compared: Interval | null,
): Promise<Totals> {
  if (compared === null) return { metrics: [], logs: [] };
  const [metrics, logs] = await Promise.all([
    telemetry.metricTotals(scope, 60, compared.from, compared.to),
    telemetry.logTotals(scope, 60, compared.from, compared.to),
  ]);
  return { metrics, logs };
}

/** Per function, both sides over `compared`: every function with an error on either side (or the one asked). */
function evidenceOf(
  totals: Totals,
  scope: Scope,
  fn: string | undefined,
  compared: Interval | null,
  rows: RegionRead["rows"],
  inventory: readonly InventoryEntry[],
): FunctionEvidence[] {
  const configs = new Map(inventory.map((e) => [e.config.name, e]));
  const failed = new Map<string, number>();
  const names = new Set<string>(fn ? [fn] : []);
  if (compared !== null)
    for (const r of rows)
      if (isFailure(r.kind) && r.t >= compared.from && r.t < compared.to) {
        failed.set(r.fn, (failed.get(r.fn) ?? 0) + r.count);
        names.add(r.fn);
      }
  const metrics = new Map<string, { errors: number; invocations: number }>();
  const reports = new Map<string, number>();
  if (compared !== null) {
    for (const m of totals.metrics) {
      // Function rows only: the region row and per-version rows count the same errors again.
      if (m.fn === REGION_ROW || parseVersionRowKey(m.fn) !== null) continue;
      metrics.set(m.fn, { errors: m.errors, invocations: m.invocations });
      if (m.errors > 0 && (fn === undefined || m.fn === fn)) names.add(m.fn);
    }
    for (const l of totals.logs) reports.set(l.logGroup, l.reports);
  }
  return [...names].map((name) => {
    const entry = configs.get(name);
    const logGroup = entry?.config.logGroup ?? null;
    return {
      account: scope.account,
      region: scope.region,
      fn: name,
      window: compared,
      failed: failed.get(name) ?? 0,
      metricErrors: metrics.get(name)?.errors ?? 0,
      invocations: metrics.get(name)?.invocations ?? 0,
      reports: logGroup === null ? 0 : (reports.get(logGroup) ?? 0),
      logGroup,
      applicationLogLevel: applicationLogLevel(entry),
    };
  });
}

export async function getErrorGroups(
  q: ErrorsQuery,
  deps: ErrorsDeps = defaultErrorsDeps(),
): Promise<ErrorGroupsView> {
  const reads = await Promise.all(q.scopes.map((scope) => readScope(deps, scope, q.fn, q.range)));
  const aliases = new Map<string, readonly Alias[]>();
  for (const r of reads)
    for (const e of r.inventory)
      if (e.details) aliases.set(fnKey({ ...r.windows, fn: e.config.name }), e.details.aliases);
  // A trend slot is known where every scope read covers it.
  const covered = reads.reduce<Interval[]>(
    (acc, r) => intersectIntervals(acc, r.windows.errors ? [r.windows.errors] : []),
    [{ from: q.range.start, to: q.range.end }],
  );
  const groups = mergeErrorGroups(
    reads.flatMap((r) => r.rows),
    { start: q.range.start, end: q.range.end, stepMs: q.range.period * 1000, covered },
    aliases,
  );
  const functions = reads
    .flatMap((r) => r.evidence.map(reconcileFunction))
    .sort((a, b) => Number(a.state === "reconciled") - Number(b.state === "reconciled"));
  return {
    groups,
    reconciliation: {
      functions,
      total: reconcileTotal(
        functions,
        reads.some((r) => r.windows.compared !== null),
      ),
    },
    windows: reads.map((r) => r.windows),
    status: { source: "store", coverage: reads.flatMap((r) => r.coverage), now: deps.now() },
    awsRequests: 0,
  };
}
