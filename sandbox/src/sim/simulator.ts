/**
 * The deterministic invocation simulator: per function and per minute, the invocations, throttles, concurrency
 * and provisioned-concurrency spillover of the sandbox fleet (the ground truth CloudWatch, Logs and X-Ray render).
 *
 * Pipeline for one minute: traffic.ts (arrivals) → routing.ts (versions by the alias weight in force) →
 * schedule.ts (outcomes, durations, throttling, environment slots; cached) → environments.ts (warm or cold, by a
 * bounded look-back over cached slot usage) → exclusive.ts (one request at a time per environment) → detail.ts
 * (ids, billing, memory, errors, spans).
 *
 * Invariants (beyond types.ts):
 * - `now` caps everything: a minute at or after now has no records; the current minute holds what has *started*
 *   before now (arrivals, throttles, concurrency), and is a prefix of what the full minute will be.
 * - Complete minutes are cached (bounded LRU weighted by invocation count); schedules likewise. Cache keys carry
 *   the routing in force, so an UpdateAlias (a new history entry from the next minute) never serves stale
 *   routing; history entries are assumed append-only with `fromMs` in the future, as UpdateAlias writes them.
 * - Concurrency limit: reserved concurrency if set, else the region's account concurrency minus every other
 *   function's reservation (at least 100, the unreserved minimum AWS keeps). Functions sharing the unreserved
 *   pool do not contend with each other here: the fleet is far below 1,000 concurrent executions.
 */
import type { SandboxAccount, SimFunction } from "../fleet/model";
import { buildInvocation, preludeMs, Sampler, type ScheduledExecution } from "./detail";
import {
  logStreamName,
  resolveOnDemand,
  resolveProvisioned,
  type Environment,
  type WarmthMemo,
} from "./environments";
import { provisionedTotal, routingAt, routingMatches, versionConfig, type RoutingAtMinute } from "./routing";
import { carriedBusyUntil, extraEnvironment } from "./exclusive";
import { computeSchedule, scheduleScratch, type MinuteSchedule } from "./schedule";
import { MinuteCache } from "./lru";
import { MINUTE_MS, STREAM, streamRng } from "./traffic";
import type { Invocation, MinuteRecord, MinuteSummary, Simulator } from "./types";

export interface SimulatorOptions {
  now: () => number;
  /** Max cached schedules (a few numbers per execution). Default 50,000. */
  maxSchedules?: number;
  /** Max cached per-minute slot-usage entries (tiny). Default 1,000,000. */
  maxUsages?: number;
  /** Max invocations held in cached complete minutes. Default 200,000. */
  maxCachedInvocations?: number;
  /** Max invocations (durations) held in cached complete-minute summaries. Default 10,000,000 (a day of the
   * default fleet is ~3M; ~8 bytes each plus ~200 bytes a minute). */
  maxSummaryInvocations?: number;
}

const MIN_UNRESERVED = 100;

/** An execution environment serving requests in a minute, and when it is next free. */
interface Host {
  env: Environment;
  stream: string;
  busyUntil: number;
  used: boolean;
}

type Usage = Pick<MinuteSchedule, "routing" | "prevRouting" | "limit" | "slotsUsed">;
type CachedSummary = Pick<MinuteSchedule, "routing" | "prevRouting" | "limit"> & {
  summary: MinuteSummary;
  weight: number;
};

export function createSimulator(account: SandboxAccount, opts: SimulatorOptions): Simulator {
  const schedules = new MinuteCache<MinuteSchedule>(opts.maxSchedules ?? 50_000);
  // Slot usage outlives schedules: the warmth look-back reads it for up to 120 minutes back.
  const usages = new MinuteCache<Usage>(opts.maxUsages ?? 1_000_000);
  // A cached record is valid while the schedule it was built from is (same routing, same limit).
  const records = new MinuteCache<{ record: MinuteRecord; source: MinuteSchedule }>(
    opts.maxCachedInvocations ?? 200_000,
    (r) => r.record.invocations.length + 1,
  );
  // Summaries of complete minutes, validated like schedules; computed from a scratch schedule (no allocation
  // beyond the summary itself), so reading a day of the fleet neither builds nor caches schedules.
  const summaries = new MinuteCache<CachedSummary>(opts.maxSummaryInvocations ?? 10_000_000, (c) => c.weight);
  const scratch = scheduleScratch();
  const memos = new Map<string, WarmthMemo>();
  const idsByKey = new Map<string, number>();
  const idsByObject = new WeakMap<SimFunction, number>();
  const limits = new Map<number, number>();
  const reservedByRegion = new Map<string, number>();

  /** A stable numeric id per function (region, name, seed), surviving copies of the SimFunction object. */
  function fnId(fn: SimFunction): number {
    let id = idsByObject.get(fn);
    if (id === undefined) {
      const key = `${fn.region}\u0000${fn.name}\u0000${fn.seed}`;
      id = idsByKey.get(key);
      if (id === undefined) {
        id = idsByKey.size + 1;
        idsByKey.set(key, id);
      }
      idsByObject.set(fn, id);
    }
    return id;
  }

  function limitFor(fn: SimFunction, id: number): number {
    if (fn.reservedConcurrency !== null) return fn.reservedConcurrency;
    let limit = limits.get(id);
    if (limit === undefined) {
      const region = account.regions.get(fn.region);
      // Every reservation in the region, summed once (a per-function loop over the others is O(n²) at 5,000).
      let reserved = reservedByRegion.get(fn.region);
      if (reserved === undefined) {
        reserved = 0;
        for (const f of region?.functions.values() ?? []) reserved += f.reservedConcurrency ?? 0;
        reservedByRegion.set(fn.region, reserved);
      }
      // This function reserves nothing (checked above), so the others reserve all of it.
      limit = Math.max(MIN_UNRESERVED, (region?.accountConcurrency ?? 1000) - reserved);
      limits.set(id, limit);
    }
    return limit;
  }

  /** Whether a cached schedule (or its usage) was computed under the routing and limit in force now. */
  function valid(
    fn: SimFunction,
    minuteMs: number,
    u: Pick<Usage, "routing" | "prevRouting" | "limit">,
  ): boolean {
    return (
      u.limit === limitFor(fn, fnId(fn)) &&
      routingMatches(fn, minuteMs, u.routing) &&
      routingMatches(fn, minuteMs - MINUTE_MS, u.prevRouting)
    );
  }

  function schedule(fn: SimFunction, minuteMs: number): MinuteSchedule {
    const id = fnId(fn);
    const minute = minuteMs / MINUTE_MS;
    const hit = schedules.get(id, minute);
    if (hit && valid(fn, minuteMs, hit)) return hit;
    const s = computeSchedule(fn, minuteMs, limitFor(fn, id));
    schedules.set(id, minute, s);
    usages.set(id, minute, {
      routing: s.routing,
      prevRouting: s.prevRouting,
      limit: s.limit,
      slotsUsed: s.slotsUsed,
    });
    return s;
  }

  function slotsUsed(fn: SimFunction, version: string, minuteMs: number): number {
    if (minuteMs + MINUTE_MS <= fn.createdMs) return 0;
    let u: Usage | undefined = usages.get(fnId(fn), minuteMs / MINUTE_MS);
    if (!u || !valid(fn, minuteMs, u)) u = schedule(fn, minuteMs);
    const ti = u.routing.versions.indexOf(version);
    return ti < 0 ? 0 : u.slotsUsed[ti]!;
  }

  function environment(fn: SimFunction, s: MinuteSchedule, ti: number, slot: number): Environment {
    const version = s.routing.versions[ti]!;
    if (slot < s.provisioned[ti]!) return resolveProvisioned(fn, version, slot, s.minuteMs);
    const key = `${fnId(fn)}|${version}|${slot}`;
    const { env, memo } = resolveOnDemand(
      fn,
      version,
      slot,
      s.minuteMs,
      (m) => slotsUsed(fn, version, m),
      memos.get(key),
    );
    if (memos.size > 200_000) memos.clear();
    memos.set(key, memo);
    return env;
  }

  function build(fn: SimFunction, minuteMs: number, cutoffMs: number): MinuteRecord {
    const s = schedule(fn, minuteMs);
    const invocations: Invocation[] = [];
    const sampler = new Sampler(fn.tracing === "Active");
    // Environments in use this minute, per target and slot (exclusive.ts): the slot's own, then any extras.
    const hosts = s.routing.versions.map(() => new Map<number, Host[]>());
    const prev = minuteMs <= fn.createdMs ? null : schedule(fn, minuteMs - MINUTE_MS);
    const carried = s.routing.versions.map((v) => carriedBusyUntil(fn, prev, v));
    let concurrency = s.carryIn;
    let spillover = 0;
    for (let i = 0; i < s.count && s.startMs[i]! < cutoffMs; i++) {
      const ti = s.target[i]!;
      const slot = s.slot[i]!;
      const t = s.startMs[i]!;
      const version = s.routing.versions[ti]!;
      const hostsOf = (k: number): Host[] => {
        let list = hosts[ti]!.get(k);
        if (!list) {
          const env = environment(fn, s, ti, k);
          const busyUntil = env.cold ? 0 : (carried[ti]!.get(k) ?? 0);
          list = [{ env, stream: logStreamName(version, env), busyUntil, used: false }];
          hosts[ti]!.set(k, list);
        }
        return list;
      };
      const own = hostsOf(slot);
      let host = own.find((h) => h.busyUntil <= t);
      // Busy (exclusive.ts): a free warm environment of another slot this minute uses, if the request ends
      // within the minute (the next minute knows slots' occupancy from the schedule alone); else a new one.
      const endsInMinute = t + s.durationMs[i]! < minuteMs + MINUTE_MS;
      for (let k = 0; !host && endsInMinute && k < s.slotsUsed[ti]!; k++) {
        if (k !== slot) host = hostsOf(k).find((h) => h.busyUntil <= t && (h.used || !h.env.cold));
      }
      if (!host) {
        const env = extraEnvironment(fn, version, slot, minuteMs, s.arrival[i]!, slot < s.provisioned[ti]!);
        host = { env, stream: logStreamName(version, env), busyUntil: 0, used: false };
        own.push(host);
      }
      const cold = !host.used && host.env.cold;
      host.used = true;
      if (s.provisioned[ti]! > 0 && slot >= s.provisioned[ti]!) spillover++;
      if (s.running[i]! > concurrency) concurrency = s.running[i]!;
      const rng = streamRng(fn, minuteMs, STREAM.detail, s.arrival[i]!);
      const x: ScheduledExecution = {
        startMs: t,
        version,
        alias: s.routing.alias,
        cfg: versionConfig(fn, version),
        durationMs: s.durationMs[i]!,
        outcome: s.outcome[i]!,
        environmentId: host.env.id,
        logStreamName: host.stream,
        cold,
        sampled: sampler.sample(t, rng),
      };
      const inv = buildInvocation(fn, x, rng);
      host.busyUntil = inv.startMs + preludeMs(inv) + inv.durationMs;
      invocations.push(inv);
    }
    let throttles = 0;
    for (let i = 0; i < s.throttled; i++) if (s.throttledAt[i]! < cutoffMs) throttles++;
    return {
      minuteMs,
      invocations,
      throttles,
      concurrency,
      provisionedConcurrency: provisionedTotal(fn),
      provisionedSpillover: spillover,
    };
  }

  function minute(fn: SimFunction, minuteMs: number): MinuteRecord {
    const m = Math.floor(minuteMs / MINUTE_MS) * MINUTE_MS;
    const now = opts.now();
    if (m >= now || m + MINUTE_MS <= fn.createdMs) return emptyMinute(m);
    if (m + MINUTE_MS > now) return build(fn, m, now);
    const id = fnId(fn);
    const hit = records.get(id, m / MINUTE_MS);
    if (hit && hit.source === schedule(fn, m)) return hit.record;
    const record = build(fn, m, Infinity);
    records.set(id, m / MINUTE_MS, { record, source: schedule(fn, m) });
    return record;
  }

  function summary(fn: SimFunction, minuteMs: number): MinuteSummary {
    const m = Math.floor(minuteMs / MINUTE_MS) * MINUTE_MS;
    const now = opts.now();
    if (m >= now || m + MINUTE_MS <= fn.createdMs) return emptySummary(m, routingAt(fn, m));
    const id = fnId(fn);
    const index = m / MINUTE_MS;
    const complete = m + MINUTE_MS <= now;
    if (complete) {
      const hit = summaries.get(id, index);
      if (hit && valid(fn, m, hit)) return hit.summary;
    }
    let s = schedules.get(id, index);
    if (!s || !valid(fn, m, s)) s = computeSchedule(fn, m, limitFor(fn, id), scratch);
    const out = summarise(fn, s, complete ? Infinity : now);
    if (complete) {
      const { routing, prevRouting, limit } = s;
      summaries.set(id, index, { summary: out, routing, prevRouting, limit, weight: s.count + 1 });
    }
    return out;
  }

  return {
    minute,
    summary,
    minutes(fn, fromMs, toMs) {
      const out: MinuteRecord[] = [];
      const end = Math.min(toMs, opts.now());
      for (let m = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS; m < end; m += MINUTE_MS)
        out.push(minute(fn, m));
      return out;
    },
  };
}

/** A minute in the future or before the function existed: nothing ran, nothing was provisioned. */
function emptyMinute(minuteMs: number): MinuteRecord {
  return {
    minuteMs,
    invocations: [],
    throttles: 0,
    concurrency: 0,
    provisionedConcurrency: 0,
    provisionedSpillover: 0,
  };
}

function emptySummary(minuteMs: number, routing: RoutingAtMinute): MinuteSummary {
  return {
    minuteMs,
    alias: routing.alias,
    versions: routing.versions.map((version) => ({
      version,
      invocations: 0,
      errors: 0,
      durationsMs: [],
      provisionedSpillover: 0,
    })),
    durationSumMs: 0,
    throttles: 0,
    concurrency: 0,
    provisionedConcurrency: 0,
    provisionedSpillover: 0,
  };
}

/** What `build` would count, read straight off the schedule: executions started before `cutoffMs`. */
function summarise(fn: SimFunction, s: MinuteSchedule, cutoffMs: number): MinuteSummary {
  const out = emptySummary(s.minuteMs, s.routing);
  let concurrency = s.carryIn;
  let sum = 0;
  for (let i = 0; i < s.count && s.startMs[i]! < cutoffMs; i++) {
    const ti = s.target[i]!;
    const v = out.versions[ti]!;
    const d = s.durationMs[i]!;
    v.invocations++;
    if (s.outcome[i]! !== 0) v.errors++;
    v.durationsMs.push(d);
    sum += d;
    if (s.provisioned[ti]! > 0 && s.slot[i]! >= s.provisioned[ti]!) {
      v.provisionedSpillover++;
      out.provisionedSpillover++;
    }
    if (s.running[i]! > concurrency) concurrency = s.running[i]!;
  }
  for (let i = 0; i < s.throttled; i++) if (s.throttledAt[i]! < cutoffMs) out.throttles++;
  out.durationSumMs = sum;
  out.concurrency = concurrency;
  out.provisionedConcurrency = provisionedTotal(fn);
  return out;
}
