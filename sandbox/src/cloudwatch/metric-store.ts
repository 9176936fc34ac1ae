/**
 * Request-scoped access to metric samples: each function's minutes in the request window are simulated and
 * summarised once, and each (metric, dimensions) series is extracted once, then shared by every query of the
 * request (a 500-query dashboard asks for p50/p90/p99/Average of the same Duration series).
 *
 * Invariants: series are ascending by minute and hold only minutes with samples; minutes are in
 * [fromMs, toMs) and never after now.
 *
 * Minutes come from the simulator's metric-only `summary()` when it has one (no ids, strings or cold starts),
 * else from its full records (test doubles). A complete minute's summary is cached by the simulator and returned
 * as the same object while valid, so the buckets derived from it are kept in a WeakMap keyed by that object:
 * across requests a warm minute costs one lookup, and its buckets go when the simulator drops the summary.
 */
import type { RegionState, SimFunction } from "../fleet/model";
import type { MinuteSummary, Simulator } from "../sim/types";
import {
  LAMBDA_NAMESPACE,
  REGION_MERGED,
  functionSamples,
  regionSamples,
  scopeOf,
  summariseMinute,
  summaryMinute,
  type Dimension,
  type FunctionMinute,
  type Scope,
} from "./lambda-metrics";
import {
  FUNCTION_SOURCE_METRICS,
  mappingSamples,
  mappingUuidOf,
  reportingMapping,
  sourceSamples,
} from "./source-metrics";
import { mergeSamples, settle, type Samples } from "./stats";

export interface MinuteSeries {
  minutes: number[];
  samples: Samples[];
}

const EMPTY: MinuteSeries = { minutes: [], samples: [] };
const MINUTE_MS = 60_000;

const derived = new WeakMap<MinuteSummary, FunctionMinute>();

/**
 * A region's Duration samples of one minute (every function's, sorted once), kept across requests: keyed by the
 * first function's samples and checked against all of them by identity, so it lives exactly as long as (and is
 * valid exactly while) the cached minutes it merges. A multi-minute period then merges a few long sorted runs.
 */
const regionDurations = new WeakMap<Samples, { parts: Samples[]; merged: Samples }>();

function regionDuration(parts: Samples[]): Samples | undefined {
  const first = parts[0];
  if (!first || parts.length === 1) return first;
  const hit = regionDurations.get(first);
  if (hit && hit.parts.length === parts.length && hit.parts.every((p, i) => p === parts[i]))
    return hit.merged;
  const merged = settle(mergeSamples(parts) as Samples);
  regionDurations.set(first, { parts, merged });
  return merged;
}

type FunctionScope = Exclude<Scope, { level: "region" }>;

/** A function-scoped series' samples for one minute: the trigger metrics, or the invocation ones. */
const samplesOf = (metric: string, scope: FunctionScope, fn: SimFunction, fm: FunctionMinute) =>
  FUNCTION_SOURCE_METRICS.has(metric)
    ? sourceSamples(metric, scope, fn, fm)
    : functionSamples(metric, scope, fn, fm);

export class MetricStore {
  private readonly fnMinutes = new Map<string, FunctionMinute[]>();
  private readonly series = new Map<string, MinuteSeries>();
  private byMinute: { minuteMs: number; entries: { fn: SimFunction; fm: FunctionMinute }[] }[] | undefined;

  constructor(
    private readonly sim: Simulator,
    private readonly region: RegionState | undefined,
    readonly fromMs: number,
    readonly toMs: number,
    /** The request's clock: no minute at or after it is read. */
    readonly nowMs: number,
  ) {}

  /** The samples of one series, by minute; an unknown namespace, metric or dimension set is simply empty. */
  get(namespace: string, metric: string, dimensions: readonly Dimension[]): MinuteSeries {
    if (namespace !== LAMBDA_NAMESPACE || !this.region) return EMPTY;
    const scope = scopeOf(dimensions);
    const uuid = scope ? null : mappingUuidOf(dimensions);
    if (!scope && uuid === null) return EMPTY;
    const key = `${metric}\u0000${[...dimensions]
      .sort((a, b) => a.Name.localeCompare(b.Name))
      .map((d) => `${d.Name}=${d.Value}`)
      .join("\u0000")}`;
    let s = this.series.get(key);
    if (!s) {
      if (!scope) s = this.mappingSeries(metric, uuid as string);
      else s = scope.level === "region" ? this.regionSeries(metric) : this.functionSeries(metric, scope);
      this.series.set(key, s);
    }
    return s;
  }

  minutesOf(fn: SimFunction): FunctionMinute[] {
    let m = this.fnMinutes.get(fn.name);
    if (!m) {
      m = this.sim.summary ? this.fromSummaries(fn, this.sim.summary) : this.fromRecords(fn);
      this.fnMinutes.set(fn.name, m);
    }
    return m;
  }

  private fromRecords(fn: SimFunction): FunctionMinute[] {
    if (!(this.fromMs < this.toMs)) return [];
    return this.sim.minutes(fn, this.fromMs, this.toMs).map(summariseMinute);
  }

  private fromSummaries(
    fn: SimFunction,
    summary: (fn: SimFunction, minuteMs: number) => MinuteSummary,
  ): FunctionMinute[] {
    const out: FunctionMinute[] = [];
    const end = Math.min(this.toMs, this.nowMs);
    for (let m = Math.floor(this.fromMs / MINUTE_MS) * MINUTE_MS; m < end; m += MINUTE_MS) {
      const s = summary(fn, m);
      let fm = derived.get(s);
      if (!fm) derived.set(s, (fm = summaryMinute(fn, s)));
      out.push(fm);
    }
    return out;
  }

  private functionSeries(metric: string, scope: FunctionScope) {
    // A Lambda@Edge replica publishes under `us-east-1.<name>` in the region where it ran (fleet/edge.ts).
    const fn =
      this.region?.functions.get(scope.functionName) ?? this.region?.replicas?.get(scope.functionName);
    if (!fn) return EMPTY;
    const out: MinuteSeries = { minutes: [], samples: [] };
    for (const fm of this.minutesOf(fn)) {
      const s = samplesOf(metric, scope, fn, fm);
      if (s) {
        out.minutes.push(fm.minuteMs);
        out.samples.push(s);
      }
    }
    return out;
  }

  /** An event source mapping's series: the minutes of the function it invokes. */
  private mappingSeries(metric: string, uuid: string): MinuteSeries {
    const fn = [...(this.region?.functions.values() ?? [])].find(
      (f) => reportingMapping(f)?.mapping.uuid === uuid,
    );
    if (!fn) return EMPTY;
    const out: MinuteSeries = { minutes: [], samples: [] };
    for (const fm of this.minutesOf(fn)) {
      const s = mappingSamples(metric, uuid, fn, fm);
      if (s) {
        out.minutes.push(fm.minuteMs);
        out.samples.push(s);
      }
    }
    return out;
  }

  /** Every function's minutes grouped by minute, ascending: built once per store, read by each region metric. */
  private regionMinutes(): { minuteMs: number; entries: { fn: SimFunction; fm: FunctionMinute }[] }[] {
    if (this.byMinute) return this.byMinute;
    const byMinute = new Map<number, { fn: SimFunction; fm: FunctionMinute }[]>();
    for (const fn of this.region?.functions.values() ?? []) {
      for (const fm of this.minutesOf(fn)) {
        let list = byMinute.get(fm.minuteMs);
        if (!list) byMinute.set(fm.minuteMs, (list = []));
        list.push({ fn, fm });
      }
    }
    this.byMinute = [...byMinute.keys()]
      .sort((a, b) => a - b)
      .map((minuteMs) => ({ minuteMs, entries: byMinute.get(minuteMs) ?? [] }));
    return this.byMinute;
  }

  private regionSeries(metric: string): MinuteSeries {
    const out: MinuteSeries = { minutes: [], samples: [] };
    for (const { minuteMs, entries } of this.regionMinutes()) {
      let s: Samples | undefined;
      if (REGION_MERGED.has(metric) || FUNCTION_SOURCE_METRICS.has(metric)) {
        const parts: Samples[] = [];
        for (const { fn, fm } of entries) {
          const p = samplesOf(metric, { level: "function", functionName: fn.name }, fn, fm);
          if (p) parts.push(p);
        }
        s = metric === "Duration" ? regionDuration(parts) : mergeSamples(parts);
      } else {
        s = regionSamples(metric, entries);
      }
      if (s) {
        out.minutes.push(minuteMs);
        out.samples.push(s);
      }
    }
    return out;
  }
}
