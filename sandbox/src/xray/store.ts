/**
 * Where traces come from: the simulator's minutes, rendered on demand (nothing is stored). X-Ray is regional,
 * so every read is scoped to the request's region.
 *
 * Invariants:
 * - A trace exists iff its invocation was sampled, started before `now` and within the retention window.
 * - Finding one trace never scans the retention window: its id encodes the start second, which names one
 *   simulated minute; the function is taken from a bounded index of ids already served (summaries, earlier
 *   lookups), else found by asking every traced function in the region for that one minute (cached by the
 *   simulator). The simulator's 24-hex part is random, so it cannot name the function by itself.
 * - In a Transaction Search region (spans/transaction-search.ts) X-Ray holds only the indexed traces: the others
 *   are absent from summaries, graphs and BatchGetTraces, and reachable only through findSpansTrace (the
 *   aws/spans log group, StartTraceRetrieval).
 */
import type { SimFunction } from "../fleet/model";
import { readableContexts } from "../cloudwatch/oam";
import type { SandboxContext } from "../http/types";
import type { Invocation, MinuteRecord } from "../sim/types";
import { visibleInXRay } from "../spans/transaction-search";
import { traceStartSeconds } from "./trace-id";
import { storedTrace, type StoredTrace } from "./trace";

/** X-Ray keeps traces for 30 days. */
export const RETENTION_MS = 30 * 24 * 3_600_000;
const MINUTE_MS = 60_000;
const INDEX_LIMIT = 200_000;

/** traceId → function name, per region; insertion-ordered so the oldest entries go first. */
const indexes = new WeakMap<SandboxContext, Map<string, string>>();

function indexOf(ctx: SandboxContext): Map<string, string> {
  let index = indexes.get(ctx);
  if (!index) {
    index = new Map();
    indexes.set(ctx, index);
  }
  return index;
}

export function remember(ctx: SandboxContext, region: string, traceId: string, fnName: string): void {
  const index = indexOf(ctx);
  const key = `${region}/${traceId}`;
  if (index.has(key)) return;
  if (index.size >= INDEX_LIMIT) {
    const oldest = index.keys().next();
    if (!oldest.done) index.delete(oldest.value);
  }
  index.set(key, fnName);
}

/** Functions of a region that can have traces at all (tracing Active), sorted by name for stable paging. */
export function tracedFunctions(ctx: SandboxContext, region: string): SimFunction[] {
  const fns = [...(ctx.account.regions.get(region)?.functions.values() ?? [])];
  return fns
    .filter((f) => f.tracing === "Active")
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The function's minute record, or null when the minute is outside what the simulator can answer. */
export function minuteRecord(ctx: SandboxContext, fn: SimFunction, minuteMs: number): MinuteRecord | null {
  const now = ctx.now();
  if (minuteMs >= now || minuteMs + MINUTE_MS <= fn.createdMs || minuteMs + MINUTE_MS <= now - RETENTION_MS) {
    return null;
  }
  return ctx.sim.minute(fn, minuteMs);
}

function findIn(
  ctx: SandboxContext,
  fn: SimFunction,
  minuteMs: number,
  traceId: string,
): { inv: Invocation; record: MinuteRecord } | null {
  const record = minuteRecord(ctx, fn, minuteMs);
  const inv = record?.invocations.find((i) => i.traceId === traceId && i.sampled);
  return record && inv ? { inv, record } : null;
}

/** A trace as X-Ray's own APIs see it (in a Transaction Search region, only if indexed). */
export function findTrace(ctx: SandboxContext, region: string, traceId: string): StoredTrace | null {
  if (!visibleInXRay(region, traceId)) return null;
  return findSpansTrace(ctx, region, traceId)?.trace ?? null;
}

/**
 * A trace the caller can read: its own, or in a monitoring account a linked source's (OAM), found in the
 * source's own store.
 */
export function findReadableTrace(ctx: SandboxContext, region: string, traceId: string): StoredTrace | null {
  for (const owner of readableContexts(ctx)) {
    const t = findTrace(owner, region, traceId);
    if (t) return t;
  }
  return null;
}

/** Any sampled trace of the region, indexed or not (what aws/spans holds), with its invocation. */
export function findSpansTrace(
  ctx: SandboxContext,
  region: string,
  traceId: string,
): { trace: StoredTrace; inv: Invocation; fn: SimFunction } | null {
  const startS = traceStartSeconds(traceId);
  if (startS === null) return null;
  const minuteMs = Math.floor((startS * 1000) / MINUTE_MS) * MINUTE_MS;
  const fns = tracedFunctions(ctx, region);
  const known = indexOf(ctx).get(`${region}/${traceId}`);
  const ordered = known
    ? [...fns.filter((f) => f.name === known), ...fns.filter((f) => f.name !== known)]
    : fns;
  for (const fn of ordered) {
    const hit = findIn(ctx, fn, minuteMs, traceId);
    if (hit) {
      remember(ctx, region, traceId, fn.name);
      return { trace: storedTrace(hit.inv, fn, hit.record, ctx.account.accountId), inv: hit.inv, fn };
    }
  }
  return null;
}

/** Every trace of `fn` that started in one minute, in start order. */
export function tracesInMinute(ctx: SandboxContext, fn: SimFunction, minuteMs: number): StoredTrace[] {
  const record = minuteRecord(ctx, fn, minuteMs);
  if (!record) return [];
  const out: StoredTrace[] = [];
  for (const inv of record.invocations) {
    if (inv.sampled && visibleInXRay(fn.region, inv.traceId))
      out.push(storedTrace(inv, fn, record, ctx.account.accountId));
  }
  return out;
}
