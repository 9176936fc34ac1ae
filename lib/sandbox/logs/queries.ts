/**
 * StartQuery / GetQueryResults / StopQuery. A query is compiled when started (MalformedQueryException
 * then), runs off the request path, and is reported Scheduled/Running on the first poll and Complete from
 * the next one on: clients must poll, as they must against AWS.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { SandboxAccount } from "../fleet/model";
import type { SandboxContext } from "../http/types";
import { scanEvents } from "./events";
import { resolveGroup, type LogGroupInfo } from "./groups";
import type { Query } from "./insights/ast";
import { QueryCompileError } from "./insights/errors";
import { execute, type QueryOutput } from "./insights/evaluate";
import { EventRow } from "./insights/fields";
import { parseQuery } from "./insights/parser";
import { parseInput } from "./validate";
import { LogsError } from "./wire";

/** StartQuery accepts up to 50 log groups (logGroupNames / logGroupIdentifiers). */
export const MAX_QUERY_GROUPS = 50;
const MAX_KEPT_QUERIES = 500;

type Status = "Scheduled" | "Running" | "Complete" | "Failed" | "Cancelled";

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

function* records(
  ctx: SandboxContext,
  groups: LogGroupInfo[],
  fromMs: number,
  toMs: number,
): Generator<EventRow> {
  for (const g of groups) {
    const log = `${g.accountId}:${g.name}`;
    for (const ev of scanEvents(ctx, g, fromMs, toMs)) yield new EventRow(ev, log);
  }
}

/** Runs a query synchronously (the handler defers it; tests and the bench may call it directly). */
export function runQuery(
  ctx: SandboxContext,
  groups: LogGroupInfo[],
  query: Query,
  startSec: number,
  endSec: number,
  limit: number,
): QueryOutput {
  // Both ends are inclusive, at second granularity.
  return execute(query, records(ctx, groups, startSec * 1000, (endSec + 1) * 1000), limit);
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
  const query = compile(input.queryString);
  const groups = ids.map((id) => resolveGroup(ctx, region, id));
  const reg = registry(ctx.account);
  const state: QueryState = {
    id: randomUUID(),
    region,
    status: "Scheduled",
    polls: 0,
    output: null,
    groups: groups.length,
  };
  reg.set(state.id, state);
  for (const old of reg.keys()) {
    if (reg.size <= MAX_KEPT_QUERIES) break;
    reg.delete(old);
  }
  setImmediate(() => {
    if (state.status !== "Scheduled") return; // stopped before it ran
    state.status = "Running";
    try {
      state.output = runQuery(ctx, groups, query, input.startTime, input.endTime, input.limit ?? 10_000);
      state.status = "Complete";
    } catch {
      state.status = "Failed";
    }
  });
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
  q.status = "Cancelled";
  q.output = null;
  return { success: true };
}
