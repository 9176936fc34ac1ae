/**
 * Trace lists, per function or fleet-wide (one account's region), newest first, paged by X-Ray's NextToken.
 * Filters become an escaped X-Ray filter expression (lib/core/query/xray-filter), never concatenated user text.
 *
 * Cost: at most MAX_CALLS GetTraceSummaries per page (X-Ray may return empty pages with a NextToken while it
 * scans), stopping as soon as PAGE_TARGET summaries are in hand.
 *
 * In a Transaction Search region (X-Ray indexes only a share of the traces) a function's first page, unfiltered or
 * faults only, comes instead from one Logs Insights query over `aws/spans` (lib/core/query/trace-spans.ts):
 * StartQuery + its GetQueryResults polls, plus GetTraceSegmentDestination once per region per 10 minutes.
 * Every other list of such a region (filtered, fleet-wide, later pages) comes from GetTraceSummaries, which sees
 * only the indexed share (by default 1 %): the list carries that share (GetIndexingRules, cached like the
 * destination) so the page says so, never presents it as every trace.
 */
import "server-only";
import type { TraceSummary } from "@/lib/aws/xray";
import type { AccountId, AccountTarget } from "@/lib/core/accounts";
import { buildTraceFilter, type TraceFilter } from "@/lib/core/query/xray-filter";
import { spansRowToSummary, spansTraceListQuery, SPANS_LIST_LIMIT } from "@/lib/core/query/trace-spans";
import { settle, type Outcome, type OutcomeError } from "@/lib/core/errors";
import { epochMs, type EpochMs } from "@/lib/core/units";
import { parseFunctionName, parseRegion } from "../validate";
import { defaultTraceDeps, type TraceDeps } from "./deps";
import { indexedShare, traceDestination } from "./destination";
import type { TraceSource } from "./find-trace";
import { createMeter, type RequestCost, type RequestMeter } from "./meter";
import { summaryIsOf } from "./trace-account";

export const MAX_CALLS = 5;
export const PAGE_TARGET = 50;
/** GetTraceSummaries covers at most 24 hours per query. */
export const MAX_RANGE_MS = 24 * 3_600_000;

export interface TraceListQuery {
  /** The account listed: its role, or (OAM) the monitoring account that reads its traces. */
  account: AccountTarget;
  region: string;
  functionName?: string;
  filter: Omit<TraceFilter, "service">;
  from: number;
  to: number;
  nextToken?: string;
}

export interface TraceList {
  account: AccountId;
  region: string;
  summaries: TraceSummary[];
  nextToken: string | null;
  filterExpression: string;
  from: EpochMs;
  to: EpochMs;
  /** The asked range was longer than X-Ray allows: the newest MAX_RANGE_MS were listed. */
  clamped: boolean;
  /** X-Ray's index, or Transaction Search's spans (`aws/spans`); absent on lists built before the check. */
  source?: TraceSource;
  /**
   * Set when the list comes from X-Ray's index in a Transaction Search region: only this share of the traces is
   * listed. `percent` null: the share could not be read (`error` says why). Null in an X-Ray region.
   */
  indexed: { percent: number | null; error: OutcomeError | null } | null;
  /** Where the region's traces go could not be read: whether this list is only an indexed share is unknown. */
  destinationError: OutcomeError | null;
  cost: RequestCost;
}

/** A page of a Transaction Search query waits at most this long for Insights. */
const SPANS_QUERY_DEADLINE_MS = 20_000;

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
  const target = q.account;
  const scope = { account: target.id, region };
  const xray = deps.xray(region, meter, target);
  const onlyFaults = Object.entries(q.filter).every(([k, v]) => v === undefined || k === "faults");
  // Cached per account-region for 10 minutes: usually no request.
  const destination = await traceDestination(scope, () => xray, deps.now());
  const transactionSearch = destination.ok && destination.value.destination === "CloudWatchLogs";
  if (service && !q.nextToken && onlyFaults && deps.insights) {
    if (transactionSearch) {
      const summaries = await spansSummaries(
        deps,
        meter,
        { target, region },
        service,
        q.filter.faults === true,
        from,
        to,
      );
      const base = {
        account: target.id,
        region,
        summaries,
        nextToken: null,
        filterExpression,
        from,
        to,
        clamped: q.from < from,
      };
      return {
        ...base,
        source: "transaction-search",
        indexed: null,
        destinationError: null,
        cost: meter.cost(),
      };
    }
  }
  let indexed: TraceList["indexed"] = null;
  if (transactionSearch) {
    const share = await indexedShare(scope, () => xray, deps.now());
    indexed = share.ok
      ? { percent: share.value.percent, error: null }
      : { percent: null, error: share.error };
  }
  const summaries: TraceSummary[] = [];
  let token: string | null = q.nextToken ?? null;
  for (let call = 0; call < MAX_CALLS; call++) {
    const page = await xray.getTraceSummaries({
      from,
      to,
      filterExpression: filterExpression || undefined,
      nextToken: token ?? undefined,
    });
    // Through a monitoring account X-Ray lists every linked source's traces: keep this account's.
    summaries.push(
      ...(target.telemetry === "monitoring-account"
        ? page.summaries.filter((sm) => summaryIsOf(sm, target.id))
        : page.summaries),
    );
    token = page.nextToken;
    if (token === null || summaries.length >= PAGE_TARGET) break;
  }
  // X-Ray pages newest first; within the collected pages keep that order explicit.
  summaries.sort((a, b) => b.start - a.start || (a.id < b.id ? -1 : 1));
  return {
    account: target.id,
    region,
    summaries,
    nextToken: token,
    filterExpression,
    from,
    to,
    clamped: q.from < from,
    source: "xray",
    indexed,
    destinationError: destination.ok ? null : destination.error,
    cost: meter.cost(),
  };
}

async function spansSummaries(
  deps: TraceDeps,
  meter: RequestMeter,
  { target, region }: { target: AccountTarget; region: string },
  service: string,
  faults: boolean,
  from: EpochMs,
  to: EpochMs,
): Promise<TraceSummary[]> {
  const logs = deps.insights!(region, target);
  // A relative limit, counted on the port's clock (real time), not deps.now(): a replayed "now" must not expire it.
  const result = await logs.runInsights(
    spansTraceListQuery(service, { faults }),
    ["aws/spans"],
    { start: from, end: to },
    {
      timeoutMs: SPANS_QUERY_DEADLINE_MS,
      limit: SPANS_LIST_LIMIT,
      onRequest: (op) => meter.record(op),
    },
  );
  return result.rows.flatMap((row) => {
    const s = spansRowToSummary(row, service);
    // The query keeps failed spans; a failed 4xx is an error, not a fault (span-status.ts).
    return s === null || (faults && !s.hasFault) ? [] : [s];
  });
}

/** One account's list, or why it could not be listed. */
export interface AccountTraceList {
  account: AccountId;
  list: Outcome<TraceList>;
}

/**
 * The same query in each account (one region), side by side. A bad query (region, function name) is refused once
 * for all, as with one account; any account's own failure is that account's entry.
 */
export async function listTracesAcross(
  accounts: readonly AccountTarget[],
  q: Omit<TraceListQuery, "account">,
  deps: TraceDeps = defaultTraceDeps(),
): Promise<AccountTraceList[]> {
  parseRegion(q.region);
  if (q.functionName) parseFunctionName(q.functionName);
  return Promise.all(
    accounts.map(async (account) => ({
      account: account.id,
      list: await settle(listTraces({ ...q, account }, deps)),
    })),
  );
}
