/**
 * Layer A of a minute: who arrives, which version runs it, for how long, with what outcome, whether it is
 * throttled, and which environment slot it occupies. Cheap (typed arrays, no strings), cached, and the only
 * input of the warmth look-back, so cold starts never require simulating from the beginning of time.
 *
 * Invariants:
 * - Depends only on (fn, minute, routing in force at this minute and the previous one). Never on `now`, and
 *   never on another minute's schedule: the previous minute enters only through its cheap arrival count
 *   (carry-in), so there is no recursion.
 * - Running executions never exceed `limit` (reserved concurrency, or the region's unreserved pool). An arrival
 *   that finds `limit` executions running is throttled: it gets no slot and no invocation, only a timestamp.
 * - Carry-in: executions started in the previous minute and still running, estimated by Little's law from that
 *   minute's arrival count and mean duration (`count × E[duration] / 60 s` per version), with uniform residual
 *   times. They occupy slots and count towards concurrency and the limit, but are not arrivals of this minute.
 * - Slots: each version has a pool; an arrival takes the lowest free slot (so low slots stay warm, as Lambda
 *   prefers reusing warm environments). Occupancy counts handler time only (init is not modelled as occupancy,
 *   which keeps warmth independent of cold starts); the minute builder keeps environments exclusive on top of
 *   this (exclusive.ts).
 * - Outcome draws: timeout with timeoutRate or when the sampled duration reaches the timeout (duration is then
 *   exactly timeout × 1000 ms); else OOM with oomRate; else error with errorRate; else success.
 * - Every arrival consumes the same random draws whether admitted or throttled, so changing a limit never
 *   reshuffles other arrivals.
 */
import type { FunctionVersion, SimFunction } from "../fleet/model";
import { provisionedFor, routingAt, versionConfig, type RoutingAtMinute } from "./routing";
import { MINUTE_MS, STREAM, arrivalCounts, fillArrivalTimes, streamRng } from "./traffic";

export const OUTCOMES = ["success", "error", "timeout", "oom"] as const;
export const OUTCOME_TIMEOUT = 2;
export const OUTCOME_OOM = 3;

export interface MinuteSchedule {
  minuteMs: number;
  routing: RoutingAtMinute;
  /** Routing of the previous minute (its carry-in depends on it). */
  prevRouting: RoutingAtMinute;
  /** Admitted executions, ordered by start: entries [0, count) of the arrays below (a scratch schedule's
   * arrays may be longer). Plain arrays: most minutes hold a handful, and small JS arrays are far cheaper to
   * allocate than typed arrays. */
  count: number;
  startMs: number[];
  /** Index into routing.versions. */
  target: number[];
  /** Handler duration, ms rounded to 2 decimals. */
  durationMs: number[];
  /** Index into OUTCOMES. */
  outcome: number[];
  /** Environment slot in the target version's pool. */
  slot: number[];
  /** Executions running right after this one started (itself included). */
  running: number[];
  /** Index among all of the minute's arrivals, throttled ones included: seeds per-invocation detail. */
  arrival: number[];
  /** Arrival times of throttled requests: entries [0, throttled). */
  throttledAt: number[];
  throttled: number;
  /** Executions carried over from the previous minute (all versions). */
  carryIn: number;
  /** Per target: slots used by this minute's arrivals (max slot + 1). Drives the warmth look-back. */
  slotsUsed: number[];
  /** The concurrency limit it was computed under. */
  limit: number;
  /** Per target: provisioned environments (the lowest slots of the pool). */
  provisioned: number[];
}

/** A version's behaviour as the per-arrival loop reads it, derived once per version object. */
interface VersionConstants {
  timeoutMs: number;
  medianMs: number;
  sigma: number;
  timeoutRate: number;
  /** timeoutRate + oomRate, and + errorRate: the outcome thresholds, summed as the draw compares them. */
  oomBelow: number;
  errorBelow: number;
  meanMs: number;
}

// Keyed by the version object: behaviours never change once the fleet is generated (UpdateAlias only edits aliases).
const constants = new WeakMap<FunctionVersion, VersionConstants>();

function versionConstants(cfg: FunctionVersion): VersionConstants {
  let c = constants.get(cfg);
  if (!c) {
    const b = cfg.behaviour;
    c = {
      timeoutMs: cfg.timeout * 1000,
      medianMs: b.durationMedianMs,
      sigma: b.durationSigma,
      timeoutRate: b.timeoutRate,
      oomBelow: b.timeoutRate + b.oomRate,
      errorBelow: b.timeoutRate + b.oomRate + b.errorRate,
      meanMs: Math.min(
        b.durationMedianMs * Math.exp((b.durationSigma * b.durationSigma) / 2),
        cfg.timeout * 1000,
      ),
    };
    constants.set(cfg, c);
  }
  return c;
}

/** Mean handler duration of a version (log-normal mean, capped at the timeout). */
export function meanDurationMs(fn: SimFunction, version: string): number {
  return versionConstants(versionConfig(fn, version)).meanMs;
}

/** A schedule whose arrays are reused by every `computeSchedule(…, scratch)` call: read it before the next. */
export function scheduleScratch(): MinuteSchedule {
  const routing = { alias: null, versions: [], additionalWeight: 0 };
  return {
    minuteMs: 0,
    routing,
    prevRouting: routing,
    count: 0,
    startMs: [],
    target: [],
    durationMs: [],
    outcome: [],
    slot: [],
    running: [],
    arrival: [],
    throttledAt: [],
    throttled: 0,
    carryIn: 0,
    slotsUsed: [0, 0],
    limit: 0,
    provisioned: [0, 0],
  };
}

/**
 * The schedule of one minute. With `into`, its arrays are overwritten (no allocation) and it is returned;
 * otherwise a fresh schedule is built.
 */
export function computeSchedule(
  fn: SimFunction,
  minuteMs: number,
  limit: number,
  into?: MinuteSchedule,
): MinuteSchedule {
  const routing = routingAt(fn, minuteMs);
  const targets = routing.versions.length;
  const s: MinuteSchedule = into ?? {
    minuteMs,
    routing,
    prevRouting: routing,
    count: 0,
    startMs: [],
    target: [],
    durationMs: [],
    outcome: [],
    slot: [],
    running: [],
    arrival: [],
    throttledAt: [],
    throttled: 0,
    carryIn: 0,
    slotsUsed: targets === 1 ? [0] : [0, 0],
    limit,
    provisioned: targets === 1 ? [0] : [0, 0],
  };
  s.minuteMs = minuteMs;
  s.routing = routing;
  s.prevRouting = routingAt(fn, minuteMs - MINUTE_MS);
  s.limit = limit;
  s.count = 0;
  s.throttled = 0;
  s.slotsUsed.length = targets;
  s.provisioned.length = targets;
  for (let ti = 0; ti < targets; ti++) {
    s.slotsUsed[ti] = 0;
    s.provisioned[ti] = provisionedFor(fn, routing.alias, routing.versions[ti]!, ti === 1);
  }

  const counts = arrivalCounts(fn, minuteMs);
  const total = counts.base + counts.burst;
  if (times.length < total) times = new Float64Array(Math.max(total, 2 * times.length));
  const from = fillArrivalTimes(fn, minuteMs, counts, times);
  ends.clear();
  pools[0]!.length = 0;
  pools[1]!.length = 0;
  s.carryIn = addCarryIn(fn, minuteMs, limit, routing, s.prevRouting);
  if (from >= total) return s;

  const c0 = versionConstants(versionConfig(fn, routing.versions[0]!));
  const c1 = targets === 2 ? versionConstants(versionConfig(fn, routing.versions[1]!)) : c0;
  const rng = streamRng(fn, minuteMs, STREAM.decisions);
  let count = 0;
  for (let i = 0; i < total - from; i++) {
    const t = times[from + i]!;
    const ti = targets === 2 && rng.next() < routing.additionalWeight ? 1 : 0;
    const c = ti === 0 ? c0 : c1;
    const sampled = rng.logNormal(c.medianMs, c.sigma);
    const u = rng.next();
    let oc = 0;
    if (u < c.timeoutRate || sampled >= c.timeoutMs) oc = OUTCOME_TIMEOUT;
    else if (u < c.oomBelow) oc = OUTCOME_OOM;
    else if (u < c.errorBelow) oc = 1;
    const dur = oc === OUTCOME_TIMEOUT ? c.timeoutMs : Math.max(0.5, Math.round(sampled * 100) / 100);

    while (ends.size > 0 && ends.peek() <= t) ends.pop();
    if (ends.size >= limit) {
      s.throttledAt[s.throttled++] = t;
      continue;
    }
    const pool = pools[ti]!;
    let k = 0;
    while (k < pool.length && pool[k]! > t) k++;
    pool[k] = t + dur;
    ends.push(t + dur);

    s.startMs[count] = t;
    s.target[count] = ti;
    s.durationMs[count] = dur;
    s.outcome[count] = oc;
    s.slot[count] = k;
    s.running[count] = ends.size;
    s.arrival[count] = i;
    count++;
    if (k + 1 > s.slotsUsed[ti]!) s.slotsUsed[ti] = k + 1;
  }
  s.count = count;
  return s;
}

/** Little's-law carry-in from the previous minute; fills the lowest slots of each pool. Returns how many. */
function addCarryIn(
  fn: SimFunction,
  minuteMs: number,
  limit: number,
  routing: RoutingAtMinute,
  prevRouting: RoutingAtMinute,
): number {
  const prevMs = minuteMs - MINUTE_MS;
  const prev = arrivalCounts(fn, prevMs);
  const arrivals = prev.base + prev.burst;
  if (arrivals === 0) return 0;
  const rng = streamRng(fn, minuteMs, STREAM.carry);
  let total = 0;
  for (let pi = 0; pi < prevRouting.versions.length; pi++) {
    const version = prevRouting.versions[pi]!;
    const share = pi === 0 ? 1 - prevRouting.additionalWeight : prevRouting.additionalWeight;
    const mean = meanDurationMs(fn, version);
    const k = Math.round((arrivals * share * mean) / MINUTE_MS);
    // A version no longer routed to still runs its in-flight executions; they just occupy no pool of ours.
    const ti = routing.versions.indexOf(version);
    for (let j = 0; j < k && total < limit; j++, total++) {
      const end = minuteMs + rng.next() * Math.min(2 * mean, MINUTE_MS * 15);
      if (ti >= 0) pools[ti]!.push(end);
      ends.push(end);
    }
  }
  return total;
}

/** Binary min-heap of numbers (execution end times). */
class MinHeap {
  private a: number[] = [];

  clear(): void {
    this.a.length = 0;
  }

  get size(): number {
    return this.a.length;
  }

  peek(): number {
    return this.a[0]!;
  }

  push(x: number): void {
    const a = this.a;
    let i = a.length;
    a.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= x) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = x;
  }

  pop(): number {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r]! < a[l]! ? r : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

// Working state of one computation, reused: the simulator is single-threaded and never re-enters.
const ends = new MinHeap();
const pools: number[][] = [[], []];
let times = new Float64Array(256);
