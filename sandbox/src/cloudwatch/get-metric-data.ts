/**
 * GetMetricData: plan → compute every query once → page the datapoints.
 *
 * Invariants:
 * - A period with no samples has no datapoint (CloudWatch never fills zeros).
 * - Results come in query order, ReturnData=false queries omitted; each result's points are in ScanBy order.
 * - Paging: one page carries at most MaxDatapoints points across all results. A result cut by the limit is
 *   PartialData and continues on the next page; results already finished are not repeated. The NextToken binds
 *   the request (a token from another request is InvalidNextToken); the computed results are kept briefly so
 *   every page of one request reads the same snapshot.
 * - Cross-account (OAM): a query's AccountId reads that account's metrics from its own simulator when the caller
 *   may (cloudwatch/oam.ts). Any other AccountId answers that query with no data and StatusCode "Forbidden" (a
 *   value of AWS's StatusCode enum; the API reference does not say when it is used, so this is our reading), and
 *   so does every expression that reads such a query: the rest of the request is answered.
 */
import { createHash } from "node:crypto";
import type { RegionState } from "../fleet/model";
import type { Simulator } from "../sim/types";
import { METRIC_UNITS } from "./lambda-metrics";
import { evaluate, references, type TimeSeries } from "./metric-math";
import { MetricStore, type MinuteSeries } from "./metric-store";
import { retained, roundStart } from "./periods";
import { planGetMetricData, type GetMetricDataInput, type Plan, type PlannedQuery } from "./query-plan";
import { computeStatistic, mergeSamples, type Samples } from "./stats";
import { CloudWatchError, decodeToken, encodeToken, msToSeconds } from "./wire";

interface ComputedResult {
  id: string;
  label: string;
  /** Epoch ms, in ScanBy order. */
  timestamps: number[];
  values: number[];
  /** The query (or an input of its expression) names an account the caller may not read. */
  forbidden?: { accountId: string };
}

export interface MetricDataResultJson {
  Id: string;
  Label: string;
  Timestamps: number[];
  Values: number[];
  StatusCode: "Complete" | "PartialData" | "Forbidden";
  Messages: { Code: string; Value: string }[];
}

export interface GetMetricDataOutputJson {
  MetricDataResults: MetricDataResultJson[];
  NextToken?: string;
  Messages: { Code: string; Value: string }[];
}

/**
 * The metric store of a query's AccountId (undefined: the caller's own), or null when the caller may not read
 * that account's metrics.
 */
export type StoreFor = (accountId: string | undefined) => MetricStore | null;

/** Computes every ReturnData result of a validated plan. Exposed for unit tests. */
export function computeResults(plan: Plan, store: MetricStore | StoreFor, nowMs: number): ComputedResult[] {
  const storeFor: StoreFor = typeof store === "function" ? store : () => store;
  const t0 = roundStart(plan.startMs, nowMs);
  const series = new Map<string, TimeSeries>();
  const forbidden = new Map<string, { accountId: string }>();
  const byId = new Map(plan.queries.map((q) => [q.id, q]));
  const periods: PeriodCache = new WeakMap();

  const seriesOf = (q: PlannedQuery): TimeSeries => {
    const known = series.get(q.id);
    if (known) return known;
    let s: TimeSeries = { timestamps: [], values: [] };
    const own = storeFor(q.accountId);
    if (!own) forbidden.set(q.id, { accountId: q.accountId ?? "" });
    else if (q.kind === "metric") s = metricSeries(q, own, periods, t0, plan.endMs, nowMs);
    else {
      const inputs = [...references(q.expr)].map((id) => byId.get(id) as PlannedQuery);
      for (const input of inputs) seriesOf(input);
      const blocked = inputs.map((input) => forbidden.get(input.id)).find((f) => f !== undefined);
      if (blocked) forbidden.set(q.id, blocked);
      else
        s = asSeries(
          evaluate(q.expr, (id) => seriesOf(byId.get(id) as PlannedQuery)),
          q.id,
        );
    }
    series.set(q.id, s);
    return s;
  };

  const out: ComputedResult[] = [];
  for (const q of plan.queries) {
    if (!q.returnData) continue;
    const s = seriesOf(q);
    const blocked = forbidden.get(q.id);
    out.push({
      id: q.id,
      label: q.label,
      timestamps: plan.ascending ? s.timestamps : [...s.timestamps].reverse(),
      values: plan.ascending ? s.values : [...s.values].reverse(),
      ...(blocked ? { forbidden: blocked } : {}),
    });
  }
  return out;
}

function asSeries(v: number | TimeSeries, id: string): TimeSeries {
  if (typeof v !== "number") return v;
  // Unreachable after planning (every expression reaches a metric), kept as a loud guard.
  throw new CloudWatchError(
    "ValidationError",
    `Error in expression '${id}': the result is not a time series.`,
  );
}

/** A series' samples merged per period, shared by every statistic asked of it (p50, p99, Average …). */
type PeriodCache = WeakMap<MinuteSeries, Map<number, { starts: number[]; samples: Samples[] }>>;

/** One MetricStat's datapoints: minutes grouped into [t, t+Period) from the rounded start, empty ones omitted. */
function metricSeries(
  q: Extract<PlannedQuery, { kind: "metric" }>,
  store: MetricStore,
  periods: PeriodCache,
  t0: number,
  endMs: number,
  nowMs: number,
): TimeSeries {
  const out: TimeSeries = { timestamps: [], values: [] };
  if (q.unit !== undefined && METRIC_UNITS[q.metricName] !== q.unit) return out;
  const series = store.get(q.namespace, q.metricName, q.dimensions);
  let byPeriod = periods.get(series);
  if (!byPeriod) periods.set(series, (byPeriod = new Map()));
  let merged = byPeriod.get(q.periodSeconds);
  if (!merged)
    byPeriod.set(q.periodSeconds, (merged = mergePeriods(series, q.periodSeconds, t0, endMs, nowMs)));
  for (let i = 0; i < merged.starts.length; i++) {
    const v = computeStatistic(merged.samples[i] as Samples, q.stat);
    if (v === undefined) continue; // e.g. a trimmed mean over an empty range: no datapoint, never a 0
    out.timestamps.push(merged.starts[i] as number);
    out.values.push(v);
  }
  return out;
}

/** A series' minutes merged into [t, t+Period) buckets from the rounded start; empty or expired ones omitted. */
export function mergePeriods(
  { minutes, samples }: MinuteSeries,
  periodSeconds: number,
  t0: number,
  endMs: number,
  nowMs: number,
): { starts: number[]; samples: Samples[] } {
  const out: { starts: number[]; samples: Samples[] } = { starts: [], samples: [] };
  const periodMs = periodSeconds * 1000;
  let i = 0;
  while (i < minutes.length && (minutes[i] as number) < t0) i++;
  while (i < minutes.length) {
    const m = minutes[i] as number;
    if (m >= endMs) break;
    const t = t0 + Math.floor((m - t0) / periodMs) * periodMs;
    const bucketEnd = Math.min(t + periodMs, endMs);
    const parts: Samples[] = [];
    while (i < minutes.length && (minutes[i] as number) < bucketEnd) parts.push(samples[i++] as Samples);
    const merged = mergeSamples(parts);
    if (merged && retained(t, periodSeconds, nowMs)) {
      out.starts.push(t);
      out.samples.push(merged);
    }
  }
  return out;
}

// ---- paging -------------------------------------------------------------------------------------------------

interface PageToken {
  h: string;
  r: number;
  o: number;
}

const SNAPSHOT_TTL_MS = 5 * 60_000;
const SNAPSHOTS_KEPT = 8;
const snapshots = new WeakMap<Simulator, Map<string, { results: ComputedResult[]; expires: number }>>();

function requestHash(input: GetMetricDataInput, region: string): string {
  const { NextToken: _t, MaxDatapoints: _m, ...rest } = input;
  return createHash("sha256")
    .update(JSON.stringify([region, rest]))
    .digest("base64url")
    .slice(0, 22);
}

function parseToken(token: string, hash: string): PageToken {
  const t = decodeToken(token) as Partial<PageToken> | null;
  if (
    !t ||
    t.h !== hash ||
    typeof t.r !== "number" ||
    typeof t.o !== "number" ||
    !Number.isInteger(t.r) ||
    !Number.isInteger(t.o) ||
    t.r < 0 ||
    t.o < 0
  ) {
    throw new CloudWatchError("InvalidNextToken", "The service couldn't process the provided NextToken.");
  }
  return t as PageToken;
}

/** Where an account's metrics come from: its simulator and its state in the request's region. */
export interface MetricSource {
  sim: Simulator;
  region: RegionState | undefined;
}

export function getMetricData(
  input: GetMetricDataInput,
  env: MetricSource & {
    regionName: string;
    nowMs: number;
    /** Another account's metrics, when the caller may read them (OAM); absent: only the caller's own. */
    sourceOf?: (accountId: string) => MetricSource | null;
    /** The caller's account id (an AccountId equal to it reads the caller's own metrics). */
    accountId?: string;
  },
): GetMetricDataOutputJson {
  const plan = planGetMetricData(input);
  const hash = requestHash(input, env.regionName);
  const token = input.NextToken !== undefined ? parseToken(input.NextToken, hash) : { h: hash, r: 0, o: 0 };

  let cache = snapshots.get(env.sim);
  if (!cache) snapshots.set(env.sim, (cache = new Map()));
  for (const [k, v] of cache) if (v.expires < env.nowMs) cache.delete(k);
  let results = input.NextToken !== undefined ? cache.get(hash)?.results : undefined;
  if (!results) {
    const from = roundStart(plan.startMs, env.nowMs);
    const stores = new Map<string, MetricStore | null>();
    const storeFor: StoreFor = (accountId) => {
      const key = accountId === undefined || accountId === env.accountId ? "" : accountId;
      if (!stores.has(key)) {
        const source = key === "" ? env : (env.sourceOf?.(key) ?? null);
        stores.set(key, source && new MetricStore(source.sim, source.region, from, plan.endMs, env.nowMs));
      }
      return stores.get(key) ?? null;
    };
    results = computeResults(plan, storeFor, env.nowMs);
    cache.delete(hash);
    cache.set(hash, { results, expires: env.nowMs + SNAPSHOT_TTL_MS });
    while (cache.size > SNAPSHOTS_KEPT) cache.delete(cache.keys().next().value as string);
  }
  if (token.r > results.length) {
    throw new CloudWatchError("InvalidNextToken", "The service couldn't process the provided NextToken.");
  }
  return page(results, token, plan.maxDatapoints);
}

function page(results: ComputedResult[], from: PageToken, maxDatapoints: number): GetMetricDataOutputJson {
  const out: GetMetricDataOutputJson = { MetricDataResults: [], Messages: [] };
  let budget = maxDatapoints;
  for (let r = from.r; r < results.length; r++) {
    const res = results[r] as ComputedResult;
    const start = r === from.r ? from.o : 0;
    const remaining = res.timestamps.length - start;
    const take = Math.max(0, Math.min(remaining, budget));
    const partial = take < remaining;
    out.MetricDataResults.push({
      Id: res.id,
      Label: res.label,
      Timestamps: res.timestamps.slice(start, start + take).map(msToSeconds),
      Values: res.values.slice(start, start + take),
      StatusCode: res.forbidden ? "Forbidden" : partial ? "PartialData" : "Complete",
      Messages: res.forbidden
        ? [
            {
              Code: "Forbidden",
              Value: `Account ${res.forbidden.accountId} is not this account nor a source account linked to it.`,
            },
          ]
        : [],
    });
    budget -= take;
    if (partial) {
      out.NextToken = encodeToken({ h: from.h, r, o: start + take } satisfies PageToken);
      break;
    }
  }
  return out;
}
