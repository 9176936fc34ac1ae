/**
 * Reads a log group's events for a time window by asking the simulator for the invocations that could have
 * written into it and rendering them. Nothing is stored: the same window always renders the same events.
 *
 * Invariants: returned events have timestamp in [fromMs, toMs), are not newer than the clock and not older
 * than the group's retention, and are sorted by compareEvents (timestamp, request id, line) — a total order,
 * which pagination tokens rely on.
 */
import type { SimFunction } from "../fleet/model";
import type { SandboxContext } from "../http/types";
import type { Invocation } from "../sim/types";
import type { LogGroupInfo } from "./groups";
import { retainedFrom } from "./groups";
import {
  compareEvents,
  invocationEndMs,
  lineCount,
  renderInvocation,
  reportAt,
  type LogEvent,
} from "./render";

/** Lambda's init phase is capped at 10 s for on-demand functions; a little slack for rounding. */
const MAX_INIT_MS = 10_000 + 1_000;

/** How far before a window an invocation can start and still write into it (longest timeout + init). */
export function lookbackMs(fn: SimFunction): number {
  const timeout = Math.max(fn.latest.timeout, ...fn.versions.map((v) => v.timeout));
  return timeout * 1000 + MAX_INIT_MS;
}

export function clampWindow(ctx: SandboxContext, g: LogGroupInfo, fromMs: number, toMs: number) {
  const now = ctx.now();
  return { from: Math.max(fromMs, retainedFrom(g, now)), to: Math.min(toMs, now + 1) };
}

/**
 * Invocations of one function that may have events in [fromMs, toMs); `tailMs`: how long after the handler's
 * end a group's events may be (0 for the function's own lines, which end with REPORT).
 */
export function* invocationsTouching(
  ctx: SandboxContext,
  fn: SimFunction,
  fromMs: number,
  toMs: number,
  tailMs = 0,
): Generator<Invocation> {
  if (toMs <= fromMs) return;
  for (const minute of ctx.sim.minutes(fn, fromMs - lookbackMs(fn), toMs)) {
    for (const inv of minute.invocations) {
      if (inv.startMs < toMs && invocationEndMs(inv) + tailMs >= fromMs) yield inv;
    }
  }
}

/** The events `inv` wrote into `g`: its own lines, or what the group's feed renders (aws/spans). */
export const eventsIn = (g: LogGroupInfo, fn: SimFunction, inv: Invocation): LogEvent[] =>
  g.events ? g.events.render(fn, inv) : renderInvocation(fn, inv);

/** The stream `inv` wrote to in `g`, or null when it wrote nothing there. */
const streamIn = (g: LogGroupInfo, inv: Invocation): string | null =>
  g.events ? g.events.streamOf(inv) : inv.logStreamName;

/** False when none of `streams` can hold events of `fn` (only a fed group can tell). */
const mayHold = (g: LogGroupInfo, fn: SimFunction, streams: ReadonlySet<string> | undefined): boolean =>
  !g.events || !streams || [...streams].some((s) => g.events!.mayWrite(fn, s));

export interface EventQuery {
  fromMs: number;
  toMs: number;
  /** Only these streams (FilterLogEvents logStreamNames / GetLogEvents). */
  streams?: ReadonlySet<string>;
  streamPrefix?: string;
}

/** The group's events in the window, sorted. */
export function readEvents(ctx: SandboxContext, g: LogGroupInfo, q: EventQuery): LogEvent[] {
  const { from, to } = clampWindow(ctx, g, q.fromMs, q.toMs);
  const now = ctx.now();
  const out: LogEvent[] = [];
  for (const fn of g.functions) {
    if (!mayHold(g, fn, q.streams)) continue;
    for (const inv of invocationsTouching(ctx, fn, from, to, g.events?.tailMs)) {
      const stream = streamIn(g, inv);
      if (stream === null) continue;
      if (q.streams && !q.streams.has(stream)) continue;
      if (q.streamPrefix !== undefined && !stream.startsWith(q.streamPrefix)) continue;
      for (const ev of eventsIn(g, fn, inv)) {
        if (ev.timestamp >= from && ev.timestamp < to && ev.timestamp <= now) out.push(ev);
      }
    }
  }
  return out.sort(compareEvents);
}

/** A request id: the only UUID-shaped text render.ts writes into an invocation's lines is its own request id. */
export const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * readEvents restricted to the events of the one invocation whose lines can contain `requestId` (FilterLogEvents
 * with a quoted request id), plus `examined`: how many events readEvents would have returned, counted without
 * rendering the other invocations (so a scan's budget is spent exactly as before).
 */
export function readEventsMentioning(
  ctx: SandboxContext,
  g: LogGroupInfo,
  q: EventQuery,
  requestId: string,
): { events: LogEvent[]; examined: number } {
  const { from, to } = clampWindow(ctx, g, q.fromMs, q.toMs);
  const now = ctx.now();
  const out: LogEvent[] = [];
  let examined = 0;
  const inWindow = (ts: number) => ts >= from && ts < to && ts <= now;
  for (const fn of g.functions) {
    if (!mayHold(g, fn, q.streams)) continue;
    for (const inv of invocationsTouching(ctx, fn, from, to, g.events?.tailMs)) {
      const stream = streamIn(g, inv);
      if (stream === null) continue;
      if (q.streams && !q.streams.has(stream)) continue;
      if (q.streamPrefix !== undefined && !stream.startsWith(q.streamPrefix)) continue;
      const mentions = inv.requestId === requestId || (inv.errorMessage?.includes(requestId) ?? false);
      // Every line lies in [arrival, REPORT]: when both ends are inside, all lineCount() lines are.
      const end = reportAt(inv);
      if (!g.events && !mentions && Math.round(inv.startMs) >= from && inWindow(end)) {
        examined += lineCount(fn, inv);
        continue;
      }
      for (const ev of eventsIn(g, fn, inv)) {
        if (!inWindow(ev.timestamp)) continue;
        examined++;
        if (mentions) out.push(ev);
      }
    }
  }
  return { events: out.sort(compareEvents), examined };
}

/** Every event of the group in [fromMs, toMs), unsorted: for scans where order does not matter (Insights). */
export function* scanEvents(
  ctx: SandboxContext,
  g: LogGroupInfo,
  fromMs: number,
  toMs: number,
): Generator<LogEvent> {
  const { from, to } = clampWindow(ctx, g, fromMs, toMs);
  const now = ctx.now();
  for (const fn of g.functions) {
    for (const inv of invocationsTouching(ctx, fn, from, to, g.events?.tailMs)) {
      for (const ev of eventsIn(g, fn, inv)) {
        if (ev.timestamp >= from && ev.timestamp < to && ev.timestamp <= now) yield ev;
      }
    }
  }
}
