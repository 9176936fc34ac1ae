/**
 * StartQuery / GetQueryResults / StopQuery. A query is compiled when started (MalformedQueryException
 * then), runs off the request path, and is reported Scheduled/Running on the first poll and Complete from
 * the next one on: clients must poll, as they must against AWS.
 *
 * Concurrency quota: a query holds one of the region's slots from StartQuery until it is Complete, Failed or
 * Cancelled (StopQuery); results not yet fetched hold none. A StartQuery that finds every slot taken gets
 * LimitExceededException, with the message AWS sends for it. The limit is checked last, after the request, the
 * query and its log groups were validated, so a bad request gets its own error whatever the load.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { SandboxAccount, SimFunction } from "../fleet/model";
import type { Invocation } from "../sim/types";
import type { SandboxContext } from "../http/types";
import { clampWindow, eventsIn, invocationsTouching } from "./events";
import { resolveGroup, type LogGroupInfo, type ResolvedGroup } from "./groups";
import type { Query } from "./insights/ast";
import { QueryCompileError } from "./insights/errors";
import { rowField } from "./insights/compile";
import { QueryRun, type QueryOutput } from "./insights/evaluate";
import { EventRow } from "./insights/fields";
import { canRunOnReports, lineSelection } from "./insights/lines";
import { ReportCursor, reportField } from "./insights/report-cursor";
import { parseQuery } from "./insights/parser";
import { parseInput } from "./validate";
import { lineBytes } from "./line-bytes";
import { invocationEndMs, lineCount, renderInvocation, reportAt, type LineKind } from "./render";
import { LogsError } from "./wire";

/** StartQuery accepts up to 50 log groups (logGroupNames / logGroupIdentifiers). */
export const MAX_QUERY_GROUPS = 50;
/**
 * "You can have up to 100 concurrent CloudWatch Logs insights queries, including queries that have been added
 * to dashboards" (StartQuery API reference, botocore 1.43 / @aws-sdk/client-cloudwatch-logs 3.1169 models; the
 * "View running queries or query history" guide page says "100 concurrent … queries per account"). The same
 * reference says interactive and scheduled queries "count toward the same regional concurrent query quota":
 * the quota is per account and region. (Older API references say 30, and 20; AWS raised it over the years.)
 */
export const DEFAULT_CONCURRENT_QUERIES = 100;
const MAX_KEPT_QUERIES = 500;

type Status = "Scheduled" | "Running" | "Complete" | "Failed" | "Cancelled";

const holdsSlot = (q: QueryState) => q.status === "Scheduled" || q.status === "Running";

interface QueryState {
  id: string;
  region: string;
  status: Status;
  polls: number;
  output: QueryOutput | null;
  groups: number;
}

const registries = new WeakMap<SandboxAccount, Map<string, QueryState>>();
function registry(account: SandboxAccount): Map<string, QueryState> {
  let r = registries.get(account);
  if (!r) registries.set(account, (r = new Map()));
  return r;
}

const StartQueryInput = z.object({
  queryLanguage: z.enum(["CWLI"]).optional(),
  logGroupName: z.string().min(1).max(512).optional(),
  logGroupNames: z.array(z.string().min(1).max(512)).optional(),
  logGroupIdentifiers: z.array(z.string().min(1).max(2048)).optional(),
  startTime: z.number().int().min(0),
  endTime: z.number().int().min(0),
  queryString: z.string().max(10_000),
  limit: z.number().int().min(1).max(10_000).optional(),
});

export function malformed(err: QueryCompileError): LogsError {
  return new LogsError("MalformedQueryException", err.message, {
    queryCompileError: {
      location: { startCharOffset: err.start, endCharOffset: err.end },
      message: err.message,
    },
  });
}

export function compile(queryString: string): Query {
  try {
    return parseQuery(queryString);
  } catch (e) {
    if (e instanceof QueryCompileError) throw malformed(e);
    throw e;
  }
}

/**
 * Work is split into steps of at most ~STEP_BUDGET_MS (one function, one slice of time, or part of it) so
 * that a long query never blocks the server: polls and StopQuery are answered in between, and keep-alive
 * sockets are not timed out by a blocked event loop.
 */
const SLICE_MS = 3_600_000;
const STEP_BUDGET_MS = 50;
/** Kinds for lineBytes(): what a scan rendered (or read from the invocation) is not counted again. */
const NOTHING: ReadonlySet<LineKind> = new Set();
const REPORT_ONLY: ReadonlySet<LineKind> = new Set(["REPORT"]);

/**
 * The engine fed one record kind: rendered lines, or REPORT cursors (the fast strategy: REPORT lines read from
 * the invocations, never rendered).
 */
type Run =
  | { reports: false; run: QueryRun<EventRow> }
  | { reports: true; run: QueryRun<ReportCursor>; cursor: ReportCursor };

/** One invocation as rendered lines (only the kinds that can match, when known). */
function scanRendered(
  run: QueryRun<EventRow>,
  fn: SimFunction,
  inv: Invocation,
  log: string,
  kinds: ReadonlySet<LineKind> | null,
  inside: boolean,
  keep: (ts: number) => boolean,
) {
  if (kinds !== null && inside) {
    const rendered = kinds.size === 0 ? [] : renderInvocation(fn, inv, kinds);
    for (const ev of rendered) run.add(new EventRow(ev, log));
    run.skipped(lineCount(fn, inv) - rendered.length, lineBytes(fn, inv, kinds));
    return;
  }
  // Straddles the slice (or the clock): render it all and keep the events inside.
  for (const ev of renderInvocation(fn, inv)) if (keep(ev.timestamp)) run.add(new EventRow(ev, log));
}

/**
 * One invocation as a REPORT cursor: only its REPORT line can match, and it is read from the invocation; the
 * other lines are counted exactly as scanRendered counts them.
 */
function scanReport(
  run: QueryRun<ReportCursor>,
  cursor: ReportCursor,
  fn: SimFunction,
  inv: Invocation,
  log: string,
  reports: boolean,
  inside: boolean,
  keep: (ts: number) => boolean,
) {
  if (inside) {
    const lines = lineCount(fn, inv);
    if (reports) run.add(cursor.set(fn, inv, log, reportAt(inv)));
    run.skipped(reports ? lines - 1 : lines, lineBytes(fn, inv, reports ? REPORT_ONLY : NOTHING));
    return;
  }
  const events = renderInvocation(fn, inv);
  for (let i = 0; i < events.length; i++) {
    const ev = events[i]!;
    if (!keep(ev.timestamp)) continue;
    // REPORT is always the last line rendered.
    if (reports && i === events.length - 1) run.add(cursor.set(fn, inv, log, ev.timestamp));
    else run.skipped(1, ev.message.length);
  }
}

/**
 * One invocation's events in a fed group (aws/spans): never platform lines, so a REPORT-cursor run only counts
 * them; a run on rendered lines reads every one inside the slice.
 */
function scanFed(
  r: Run,
  g: LogGroupInfo,
  fn: SimFunction,
  inv: Invocation,
  log: string,
  keep: (ts: number) => boolean,
) {
  for (const ev of eventsIn(g, fn, inv)) {
    if (!keep(ev.timestamp)) continue;
    if (r.reports) r.run.skipped(1, ev.message.length);
    else r.run.add(new EventRow(ev, log));
  }
}

/**
 * The steps of a query: scanning one function's share of one group for one slice of the window. Each group is
 * read from its owner's context (a linked source's, in a monitoring account); `@log` names the owner.
 */
function* steps(
  groups: ResolvedGroup[],
  query: Query,
  r: Run,
  fromMs: number,
  toMs: number,
): Generator<void> {
  const selection = lineSelection(query);
  for (const { owner: ctx, group: g } of groups) {
    const log = `${g.accountId}:${g.name}`;
    const { from, to } = clampWindow(ctx, g, fromMs, toMs);
    const now = ctx.now();
    for (const fn of g.functions) {
      const kinds = fn.logFormat === "JSON" ? selection.json : selection.text;
      const reports = kinds === null || kinds.has("REPORT");
      for (let s = from; s < to; s += SLICE_MS) {
        const e = Math.min(to, s + SLICE_MS);
        const keep = (ts: number) => ts >= s && ts < e && ts <= now;
        let stepStart = performance.now();
        let n = 0;
        for (const inv of invocationsTouching(ctx, fn, s, e, g.events?.tailMs)) {
          if (++n % 256 === 0 && performance.now() - stepStart > STEP_BUDGET_MS) {
            yield;
            stepStart = performance.now();
          }
          if (g.events) {
            scanFed(r, g, fn, inv, log, keep);
            continue;
          }
          const end = invocationEndMs(inv);
          const inside = inv.startMs >= s && end < e && end <= now;
          if (r.reports) scanReport(r.run, r.cursor, fn, inv, log, reports, inside, keep);
          else scanRendered(r.run, fn, inv, log, kinds, inside, keep);
        }
        yield;
      }
    }
  }
}

/**
 * Which records the engine is fed: "auto" reads REPORT cursors when the query allows it (canRunOnReports);
 * "rendered" always renders lines (what the cursors are tested against: the engine is the same).
 */
export type QueryPath = "auto" | "rendered";

function newRun(query: Query, limit: number, path: QueryPath): Run {
  if (path === "auto" && canRunOnReports(query)) {
    return { reports: true, run: new QueryRun(query, limit, reportField), cursor: new ReportCursor() };
  }
  return { reports: false, run: new QueryRun<EventRow>(query, limit, rowField) };
}

/** Runs a query synchronously (tests call it directly; the handler runs the same steps cooperatively). */
export function runQuery(
  ctx: SandboxContext,
  groups: LogGroupInfo[],
  query: Query,
  startSec: number,
  endSec: number,
  limit: number,
  path: QueryPath = "auto",
): QueryOutput {
  const r = newRun(query, limit, path);
  const owned = groups.map((group) => ({ owner: ctx, group }));
  // Both ends are inclusive, at second granularity.
  const work = steps(owned, query, r, startSec * 1000, (endSec + 1) * 1000);
  while (!work.next().done);
  return r.run.finish();
}

export function startQuery(ctx: SandboxContext, region: string, body: unknown) {
  const input = parseInput(StartQueryInput, body);
  const given = [input.logGroupName, input.logGroupNames, input.logGroupIdentifiers].filter(
    (x) => x !== undefined,
  );
  if (given.length !== 1) {
    throw new LogsError(
      "InvalidParameterException",
      "Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be specified.",
    );
  }
  const ids =
    input.logGroupName !== undefined
      ? [input.logGroupName]
      : (input.logGroupNames ?? input.logGroupIdentifiers)!;
  if (ids.length === 0 || ids.length > MAX_QUERY_GROUPS) {
    throw new LogsError(
      "InvalidParameterException",
      `A query must specify between 1 and ${MAX_QUERY_GROUPS} log groups; ${ids.length} were given.`,
    );
  }
  if (input.endTime < input.startTime) {
    throw new LogsError("InvalidParameterException", "endTime must be greater than or equal to startTime.");
  }
  const byName = input.logGroupIdentifiers === undefined;
  const arnAsName = byName ? ids.find((id) => id.startsWith("arn:")) : undefined;
  if (arnAsName !== undefined) {
    throw new LogsError(
      "InvalidParameterException",
      `logGroupName and logGroupNames take log group names, not ARNs (${arnAsName}); give ARNs, e.g. of a ` +
        "linked source account's log group, in logGroupIdentifiers.",
    );
  }
  const query = compile(input.queryString);
  const groups = ids.map((id) => resolveGroup(ctx, region, id));
  const reg = registry(ctx.account);
  const cap = ctx.quotas?.concurrentQueries ?? DEFAULT_CONCURRENT_QUERIES;
  let running = 0;
  for (const q of reg.values()) if (q.region === region && holdsSlot(q)) running++;
  if (running >= cap) {
    throw new LogsError(
      "LimitExceededException",
      `Account maximum query concurrency limit of [${cap}] reached.`,
    );
  }
  const state: QueryState = {
    id: randomUUID(),
    region,
    status: "Scheduled",
    polls: 0,
    output: null,
    groups: groups.length,
  };
  reg.set(state.id, state);
  // Forget the oldest finished queries; a running one keeps its slot (and its id) until it ends.
  for (const [id, old] of reg) {
    if (reg.size <= MAX_KEPT_QUERIES) break;
    if (!holdsSlot(old)) reg.delete(id);
  }
  const r = newRun(query, input.limit ?? 10_000, "auto");
  const work = steps(groups, query, r, input.startTime * 1000, (input.endTime + 1) * 1000);
  // One step per turn of the event loop: other requests (polls, StopQuery) are served in between.
  const tick = () => {
    if (state.status === "Cancelled") return;
    state.status = "Running";
    try {
      if (!work.next().done) {
        setImmediate(tick);
        return;
      }
      state.output = r.run.finish();
      state.status = "Complete";
    } catch {
      state.status = "Failed";
    }
  };
  setImmediate(tick);
  return { queryId: state.id };
}

const GetQueryResultsInput = z.object({
  queryId: z.string().min(1).max(256),
  nextToken: z.string().max(1024).optional(),
  maxItems: z.number().int().min(0).max(10_000).optional(),
});

function findQuery(ctx: SandboxContext, region: string, id: string): QueryState {
  const q = registry(ctx.account).get(id);
  if (!q || q.region !== region) throw new LogsError("ResourceNotFoundException", "Query does not exist.");
  return q;
}

export function getQueryResults(ctx: SandboxContext, region: string, body: unknown) {
  const input = parseInput(GetQueryResultsInput, body);
  const q = findQuery(ctx, region, input.queryId);
  const firstPoll = q.polls === 0;
  q.polls++;
  // The first poll never sees a finished query: async work is part of the contract.
  const status: Status = q.status === "Complete" && firstPoll ? "Running" : q.status;
  const out = status === "Complete" ? q.output : null;
  return {
    queryLanguage: "CWLI",
    results: out?.results ?? [],
    statistics: {
      recordsMatched: out?.recordsMatched ?? 0,
      recordsScanned: out?.recordsScanned ?? 0,
      estimatedRecordsSkipped: 0,
      bytesScanned: out?.bytesScanned ?? 0,
      estimatedBytesSkipped: 0,
      logGroupsScanned: out ? q.groups : 0,
    },
    status,
  };
}

export function stopQuery(ctx: SandboxContext, region: string, body: unknown) {
  const input = parseInput(z.object({ queryId: z.string().min(1).max(256) }), body);
  const q = findQuery(ctx, region, input.queryId);
  if (q.status !== "Scheduled" && q.status !== "Running") return { success: false };
  // The next step sees the status and stops.
  q.status = "Cancelled";
  q.output = null;
  return { success: true };
}
