/**
 * GetLogEvents (one stream, head/tail with forward/backward tokens) and FilterLogEvents (a group, a filter
 * pattern, paged by nextToken).
 *
 * Invariants: tokens carry a position in the total event order (timestamp, request id, line), never an
 * offset, so paging is exact even while new events arrive; FilterLogEvents scans a bounded slice of time per
 * call and may return a partial (even empty) page with a nextToken, as AWS documents.
 */
import { z } from "zod";
import type { SandboxContext } from "../http/types";
import { readEvents, readEventsMentioning, REQUEST_ID } from "./events";
import { compileFilterPattern, InvalidFilterPatternError, requiredTerms } from "./filter-pattern";
import { resolveGroup, retainedFrom } from "./groups";
import { compareEvents, hash32, type LogEvent } from "./render";
import { oneGroup, parseInput } from "./validate";
import { decodeToken, encodeToken, LogsError } from "./wire";

type Key = [number, string, number];
const keyOf = (e: LogEvent): Key => [e.timestamp, e.requestId, e.seq];
const cmpKey = (e: LogEvent, k: Key) =>
  compareEvents(e, { timestamp: k[0], requestId: k[1], seq: k[2] } as LogEvent);

const badToken = () => new LogsError("InvalidParameterException", "The specified nextToken is invalid.");

function isKey(k: unknown): k is Key {
  return (
    Array.isArray(k) &&
    k.length === 3 &&
    typeof k[0] === "number" &&
    typeof k[1] === "string" &&
    typeof k[2] === "number"
  );
}

// ---- GetLogEvents ----------------------------------------------------------------------------------------

const GetLogEventsInput = z.object({
  logGroupName: z.string().min(1).max(512).optional(),
  logGroupIdentifier: z.string().min(1).max(2048).optional(),
  logStreamName: z.string().min(1).max(512),
  startTime: z.number().int().min(0).optional(),
  endTime: z.number().int().min(0).optional(),
  nextToken: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
  startFromHead: z.boolean().optional(),
  unmask: z.boolean().optional(),
});

/** Lambda names streams `YYYY/MM/DD/[version]<env id>` by the day the environment started. */
const STREAM_DATE = /^(\d{4})\/(\d{2})\/(\d{2})\//;
/** An execution environment's stream receives events for at most this long after its start day begins. */
const STREAM_SPAN_MS = 36 * 3_600_000;

const streamNotFound = () =>
  new LogsError("ResourceNotFoundException", "The specified log stream does not exist.");

function parseDirToken(token: string): { dir: "f" | "b"; key: Key | null } {
  const m = /^([fb])\/(.+)$/.exec(token);
  if (!m) throw badToken();
  const body = decodeToken(m[2]!) as { k?: unknown };
  if (body === null || typeof body !== "object" || !(body.k === null || isKey(body.k))) throw badToken();
  return { dir: m[1] as "f" | "b", key: body.k };
}
const dirToken = (dir: "f" | "b", key: Key | null) => `${dir}/${encodeToken({ k: key })}`;

export function getLogEvents(caller: SandboxContext, region: string, body: unknown) {
  const input = parseInput(GetLogEventsInput, body);
  // A linked source's group (OAM) is read from that account's own context.
  const { owner: ctx, group: g } = resolveGroup(caller, region, oneGroup(input));
  const date = STREAM_DATE.exec(input.logStreamName);
  if (!date) throw streamNotFound();
  const dayStart = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
  const streams = new Set([input.logStreamName]);
  const all = readEvents(ctx, g, { fromMs: dayStart, toMs: dayStart + STREAM_SPAN_MS, streams });
  if (all.length === 0) throw streamNotFound();
  // startTime inclusive, endTime exclusive (GetLogEvents' documented semantics).
  const events = all.filter(
    (e) =>
      (input.startTime === undefined || e.timestamp >= input.startTime) &&
      (input.endTime === undefined || e.timestamp < input.endTime),
  );
  const limit = input.limit ?? 10_000;
  const token = input.nextToken !== undefined ? parseDirToken(input.nextToken) : null;
  let page: LogEvent[];
  if (token?.dir === "f") {
    const k = token.key;
    page = (k === null ? events : events.filter((e) => cmpKey(e, k) > 0)).slice(0, limit);
  } else if (token?.dir === "b") {
    const k = token.key;
    const before = k === null ? events : events.filter((e) => cmpKey(e, k) < 0);
    page = before.slice(Math.max(0, before.length - limit));
  } else if (input.startFromHead) {
    page = events.slice(0, limit);
  } else {
    page = events.slice(Math.max(0, events.length - limit));
  }
  const first = page[0];
  const last = page.at(-1);
  // At either end the token comes back unchanged: that is how clients know to stop.
  const forward = last
    ? dirToken("f", keyOf(last))
    : token?.dir === "f"
      ? input.nextToken!
      : dirToken("f", null);
  const backward = first
    ? dirToken("b", keyOf(first))
    : token?.dir === "b"
      ? input.nextToken!
      : dirToken("b", null);
  return {
    events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: forward,
    nextBackwardToken: backward,
  };
}

// ---- FilterLogEvents -------------------------------------------------------------------------------------

const FilterLogEventsInput = z.object({
  logGroupName: z.string().min(1).max(512).optional(),
  logGroupIdentifier: z.string().min(1).max(2048).optional(),
  logStreamNames: z.array(z.string().min(1).max(512)).min(1).max(100).optional(),
  logStreamNamePrefix: z.string().min(1).max(512).optional(),
  startTime: z.number().int().min(0).optional(),
  endTime: z.number().int().min(0).optional(),
  filterPattern: z.string().max(1024).optional(),
  nextToken: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
  interleaved: z.boolean().optional(),
  unmask: z.boolean().optional(),
});

/**
 * Each call scans the window in CHUNK_MS slices and stops after SCAN_BUDGET_MS of time or SCAN_BUDGET_EVENTS
 * examined events, whichever comes first (then the page may be partial, with a nextToken).
 */
const CHUNK_MS = 3_600_000;
const SCAN_BUDGET_MS = 7 * 24 * CHUNK_MS;
const SCAN_BUDGET_EVENTS = 50_000;

/** A stable id per event, digits only like AWS's. */
export function eventId(e: LogEvent): string {
  return `${String(e.timestamp).padStart(15, "0")}${String(hash32(e.requestId)).padStart(10, "0")}${String(e.seq).padStart(4, "0")}`;
}

export function filterLogEvents(caller: SandboxContext, region: string, body: unknown) {
  const input = parseInput(FilterLogEventsInput, body);
  // A linked source's group (OAM) is read from that account's own context.
  const { owner: ctx, group: g } = resolveGroup(caller, region, oneGroup(input));
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw new LogsError(
      "InvalidParameterException",
      "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.",
    );
  }
  let matches;
  try {
    matches = compileFilterPattern(input.filterPattern);
  } catch (e) {
    if (e instanceof InvalidFilterPatternError) throw new LogsError("InvalidParameterException", e.message);
    throw e;
  }
  const now = ctx.now();
  const start = Math.max(input.startTime ?? 0, retainedFrom(g, now));
  // endTime is inclusive here ("later than this time are not returned").
  const end = Math.min(input.endTime !== undefined ? input.endTime + 1 : now + 1, now + 1);
  if (input.startTime !== undefined && input.endTime !== undefined && input.endTime < input.startTime) {
    throw new LogsError("InvalidParameterException", "endTime must be greater than or equal to startTime.");
  }

  let cursor = start;
  let after: Key | null = null;
  if (input.nextToken !== undefined) {
    const t = decodeToken(input.nextToken) as { t?: unknown; k?: unknown };
    if (t === null || typeof t !== "object" || typeof t.t !== "number" || !(t.k === null || isKey(t.k))) {
      throw badToken();
    }
    cursor = Math.max(start, t.t);
    after = t.k;
  }
  // A quoted request id (how the console finds one request's lines): only its invocation needs rendering.
  const requestId = requiredTerms(input.filterPattern).find((t) => REQUEST_ID.test(t));
  const limit = input.limit ?? 10_000;
  const streams = input.logStreamNames ? new Set(input.logStreamNames) : undefined;
  const out: LogEvent[] = [];
  const scanLimit = Math.min(end, cursor + SCAN_BUDGET_MS);
  let examined = 0;
  let chunk = cursor;
  let next: { t: number; k: Key | null } | null = null;
  for (; chunk < scanLimit && examined < SCAN_BUDGET_EVENTS; chunk += CHUNK_MS) {
    const chunkEnd = Math.min(chunk + CHUNK_MS, end);
    const window = { fromMs: chunk, toMs: chunkEnd, streams, streamPrefix: input.logStreamNamePrefix };
    let events: LogEvent[];
    if (requestId !== undefined) {
      const found = readEventsMentioning(ctx, g, window, requestId);
      events = found.events;
      examined += found.examined;
    } else {
      events = readEvents(ctx, g, window);
      examined += events.length;
    }
    for (const e of events) {
      if (after !== null && cmpKey(e, after) <= 0) continue;
      if (!matches(e.message)) continue;
      out.push(e);
      if (out.length === limit) {
        next = { t: chunk, k: keyOf(e) };
        break;
      }
    }
    after = null;
    if (next) break;
  }
  if (!next && chunk < end) next = { t: chunk, k: null };
  return {
    events: out.map((e) => ({
      logStreamName: e.logStreamName,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
      eventId: eventId(e),
    })),
    searchedLogStreams: [],
    ...(next ? { nextToken: encodeToken(next) } : {}),
  };
}
