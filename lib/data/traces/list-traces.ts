/**
 * Trace lists, per function or fleet-wide (one region), newest first, paged by X-Ray's NextToken. Filters become
 * an escaped X-Ray filter expression (lib/core/query/xray-filter), never concatenated user text.
 *
 * Cost: at most MAX_CALLS GetTraceSummaries per page (X-Ray may return empty pages with a NextToken while it
 * scans), stopping as soon as PAGE_TARGET summaries are in hand.
 */
import "server-only";
import type { TraceSummary } from "@/lib/aws/xray";
import { buildTraceFilter, type TraceFilter } from "@/lib/core/query/xray-filter";
import { epochMs, type EpochMs } from "@/lib/core/units";
import { parseFunctionName, parseRegion } from "../validate";
import { defaultTraceDeps, type TraceDeps } from "./deps";
import { createMeter, type RequestCost } from "./meter";

export const MAX_CALLS = 5;
export const PAGE_TARGET = 50;
/** GetTraceSummaries covers at most 24 hours per query. */
export const MAX_RANGE_MS = 24 * 3_600_000;

export interface TraceListQuery {
  region: string;
  functionName?: string;
  filter: Omit<TraceFilter, "service">;
  from: number;
  to: number;
  nextToken?: string;
}

export interface TraceList {
  region: string;
  summaries: TraceSummary[];
  nextToken: string | null;
  filterExpression: string;
  from: EpochMs;
  to: EpochMs;
  /** The asked range was longer than X-Ray allows: the newest MAX_RANGE_MS were listed. */
  clamped: boolean;
  cost: RequestCost;
}

export async function listTraces(
  q: TraceListQuery,
  deps: TraceDeps = defaultTraceDeps(),
): Promise<TraceList> {
  const region = parseRegion(q.region);
  const service = q.functionName ? parseFunctionName(q.functionName) : undefined;
  const filterExpression = buildTraceFilter({ ...q.filter, ...(service ? { service } : {}) });
  const to = epochMs(Math.min(q.to, deps.now()));
  const from = epochMs(Math.max(q.from, to - MAX_RANGE_MS));
  const meter = createMeter();
  const xray = deps.xray(region, meter);
  const summaries: TraceSummary[] = [];
  let token: string | null = q.nextToken ?? null;
  for (let call = 0; call < MAX_CALLS; call++) {
    const page = await xray.getTraceSummaries({
      from,
      to,
      filterExpression: filterExpression || undefined,
      nextToken: token ?? undefined,
    });
    summaries.push(...page.summaries);
    token = page.nextToken;
    if (token === null || summaries.length >= PAGE_TARGET) break;
  }
  // X-Ray pages newest first; within the collected pages keep that order explicit.
  summaries.sort((a, b) => b.start - a.start || (a.id < b.id ? -1 : 1));
  return {
    region,
    summaries,
    nextToken: token,
    filterExpression,
    from,
    to,
    clamped: q.from < from,
    cost: meter.cost(),
  };
}
