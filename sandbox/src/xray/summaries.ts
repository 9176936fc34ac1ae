/**
 * GetTraceSummaries: scans the window newest minute first, as X-Ray documents ("the first page contains the most
 * recent results, closest to the end of the time frame"), one region, filtered by the expression.
 *
 * Invariants:
 * - Paging is exact: concatenating all pages yields every matching trace once, newest minute first (within a
 *   minute, newest first, ties by id). A page holds at most PAGE_SIZE summaries and scans at most SCAN_BUDGET
 *   function-minutes, so a rare filter over a big fleet returns empty pages with a NextToken, like X-Ray.
 * - NextToken is bound to the query: reusing it with other parameters is an InvalidRequestException.
 * - TimeRangeType TraceId (default) selects by trace start; Event and Service by trace end (we have no later
 *   updates), so those scans also read the 15 minutes (Lambda's longest run) before StartTime.
 * - Cross-account (OAM): a monitoring account also scans its linked source accounts' traced functions, each
 *   source's traces rendered from its own simulator; any other account scans only its own.
 */
import { readableContexts } from "../cloudwatch/oam";
import type { SandboxContext } from "../http/types";
import { XRayRequestError } from "./errors";
import type { TraceFacts } from "./facts";
import type { FilterExpr } from "./filter";
import { parseFilter } from "./filter";
import { matchesFilter } from "./filter/evaluate";
import { fnv1a, unit } from "./hash";
import type { GetTraceSummariesRequest } from "./requests";
import { remember, RETENTION_MS, tracedFunctions, tracesInMinute } from "./store";
import { traceSummary } from "./trace";

export const PAGE_SIZE = 100;
export const SCAN_BUDGET = 20_000;
/** Longest window one GetTraceSummaries call may cover. */
export const MAX_RANGE_S = 24 * 3600;
/** Share of traces kept when `Sampling` is true without a FixedRate strategy. */
export const DEFAULT_SAMPLING_RATE = 0.1;
const MINUTE_MS = 60_000;
const MAX_LAMBDA_RUN_MS = 15 * MINUTE_MS;
const INFERRED = new Set(["DynamoDB", "S3", "SQS"]);

interface Cursor {
  minuteMs: number;
  skip: number;
}

export function validateRange(startS: number, endS: number): void {
  if (endS <= startS) throw new XRayRequestError("EndTime must be after StartTime.");
  if (endS - startS > MAX_RANGE_S) {
    throw new XRayRequestError("The time range between StartTime and EndTime cannot exceed 24 hours.");
  }
}

function queryKey(req: GetTraceSummariesRequest, region: string): string {
  return fnv1a(
    JSON.stringify([
      region,
      req.StartTime,
      req.EndTime,
      req.TimeRangeType ?? "TraceId",
      req.FilterExpression ?? "",
      req.Sampling ?? false,
      req.SamplingStrategy ?? null,
    ]),
  ).toString(36);
}

function encodeToken(c: Cursor, key: string): string {
  return Buffer.from(JSON.stringify({ m: c.minuteMs, k: c.skip, q: key })).toString("base64url");
}

function decodeToken(token: string, key: string): Cursor {
  try {
    const raw: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (raw && typeof raw === "object" && "m" in raw && "k" in raw && "q" in raw) {
      const { m, k, q } = raw as { m: unknown; k: unknown; q: unknown };
      if (typeof m === "number" && typeof k === "number" && q === key && m % MINUTE_MS === 0 && k >= 0) {
        return { minuteMs: m, skip: k };
      }
    }
  } catch {
    // fall through: any undecodable token is invalid
  }
  throw new XRayRequestError("Invalid NextToken.");
}

/**
 * Function names a filter confines the trace to, or null when it could match any function. Only a Lambda
 * node named like a function pins the trace to it; inferred downstream names (DynamoDB, hosts) do not.
 */
export function candidateFunctions(expr: FilterExpr | null, functionNames: Set<string>): Set<string> | null {
  if (!expr) return null;
  switch (expr.kind) {
    case "and": {
      const l = candidateFunctions(expr.left, functionNames);
      const r = candidateFunctions(expr.right, functionNames);
      if (l && r) return new Set([...l].filter((n) => r.has(n)));
      return l ?? r;
    }
    case "or": {
      const l = candidateFunctions(expr.left, functionNames);
      const r = candidateFunctions(expr.right, functionNames);
      return l && r ? new Set([...l, ...r]) : null;
    }
    case "service": {
      const { name, type } = expr.selector;
      if (name === null || !functionNames.has(name) || INFERRED.has(name)) return null;
      if (type !== null && type !== "AWS::Lambda" && type !== "AWS::Lambda::Function") return null;
      return new Set([name]);
    }
    default:
      return null;
  }
}

export function getTraceSummaries(ctx: SandboxContext, region: string, req: GetTraceSummariesRequest) {
  validateRange(req.StartTime, req.EndTime);
  const expr = req.FilterExpression !== undefined ? parseFilter(req.FilterExpression) : null;
  const predicate = expr ? (t: TraceFacts) => matchesFilter(expr, t) : () => true;
  const byEnd = req.TimeRangeType === "Event" || req.TimeRangeType === "Service";
  const rate = req.Sampling
    ? req.SamplingStrategy?.Name === "FixedRate"
      ? (req.SamplingStrategy.Value ?? DEFAULT_SAMPLING_RATE)
      : DEFAULT_SAMPLING_RATE
    : 1;

  const startMs = req.StartTime * 1000;
  const endMs = Math.min(req.EndTime * 1000, ctx.now());
  const oldestMs = Math.max(startMs - (byEnd ? MAX_LAMBDA_RUN_MS : 0), ctx.now() - RETENTION_MS);
  const firstMinute = Math.floor(oldestMs / MINUTE_MS) * MINUTE_MS;
  const lastMinute = Math.floor((endMs - 1) / MINUTE_MS) * MINUTE_MS;

  const all = readableContexts(ctx).flatMap((owner) =>
    tracedFunctions(owner, region).map((fn) => ({ owner, fn })),
  );
  const candidates = candidateFunctions(expr, new Set(all.map((x) => x.fn.name)));
  const fns = candidates ? all.filter((x) => candidates.has(x.fn.name)) : all;

  const key = queryKey(req, region);
  let cursor: Cursor = req.NextToken ? decodeToken(req.NextToken, key) : { minuteMs: lastMinute, skip: 0 };
  const summaries: ReturnType<typeof traceSummary>[] = [];
  let processed = 0;
  let scanned = 0;
  let approximateMs = Math.min(endMs, cursor.minuteMs + MINUTE_MS);
  let next: Cursor | null = null;

  while (cursor.minuteMs >= firstMinute && endMs > startMs) {
    const inMinute: { id: string; start: number; summary: () => ReturnType<typeof traceSummary> }[] = [];
    for (const { owner, fn } of fns) {
      for (const t of tracesInMinute(owner, fn, cursor.minuteMs)) {
        const at = (byEnd ? t.facts.end : t.facts.start) * 1000;
        if (at < startMs || at > endMs) continue;
        if (rate < 1 && unit(`sample:${t.facts.id}`) >= rate) continue;
        processed++;
        if (!predicate(t.facts)) continue;
        remember(owner, region, t.facts.id, fn.name);
        inMinute.push({ id: t.facts.id, start: t.facts.start, summary: () => traceSummary(t) });
      }
    }
    scanned += fns.length;
    approximateMs = Math.max(startMs, cursor.minuteMs);
    inMinute.sort((a, b) => b.start - a.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const room = PAGE_SIZE - summaries.length;
    const rest = inMinute.slice(cursor.skip);
    summaries.push(...rest.slice(0, room).map((x) => x.summary()));
    if (rest.length > room) {
      next = { minuteMs: cursor.minuteMs, skip: cursor.skip + room };
      break;
    }
    cursor = { minuteMs: cursor.minuteMs - MINUTE_MS, skip: 0 };
    if (cursor.minuteMs >= firstMinute && (summaries.length === PAGE_SIZE || scanned >= SCAN_BUDGET)) {
      next = cursor;
      break;
    }
  }

  return {
    TraceSummaries: summaries,
    ApproximateTime: approximateMs / 1000,
    TracesProcessedCount: processed,
    ...(next ? { NextToken: encodeToken(next, key) } : {}),
  };
}
