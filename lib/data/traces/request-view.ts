/**
 * One request's page: its trace, its cold-start breakdown, its log lines and what the page cost in AWS requests.
 * Reached by trace id (`getRequestByTrace`) or by request id (`findRequest`); both end in the same view.
 * Both read one account (its role, or the OAM monitoring account that reads its telemetry): a trace or request of
 * another account is not found there, and an OAM read that answers with another account's trace is refused.
 *
 * The trace comes from X-Ray, or in a Transaction Search region from the spans in `aws/spans` (find-trace.ts);
 * when there is none although the logs carry a trace id, the view says why (missing-trace.ts).
 *
 * Cost per view, in AWS requests (each step bounded; counted by the meter and shown on the page):
 * - by trace id: 1 BatchGetTraces per region tried + 1 GetFunctionConfiguration + 1–5 FilterLogEvents (id) +
 *   1–5 FilterLogEvents (stream) → 4 in the usual case.
 * - by request id with a function: 1 GetFunctionConfiguration + 1–5 FilterLogEvents (id) + 1–5 (stream) +
 *   1 BatchGetTraces → 4 in the usual case; without a function: ListFunctions pages + up to MAX_GROUPS groups
 *   × ≤ 5 FilterLogEvents pages, stopping at the first group that has the request.
 * - plus 1 GetTraceSegmentDestination per region per 10 minutes, and in a Transaction Search region, when X-Ray
 *   has no trace: 1 StartTraceRetrieval + the ListRetrievedTraces polls.
 */
import "server-only";
import { MAX_RETRIEVED_PAGES, RETRIEVAL_DEADLINE_MS } from "@/lib/aws/xray";
import type { AccountId, AccountTarget } from "@/lib/core/accounts";
import { notFound, type Outcome, type OutcomeError, settle } from "@/lib/core/errors";
import type { Invocation } from "@/lib/core/telemetry/types";
import { coldStartBreakdown, traceRequestId, type ColdStartBreakdown } from "@/lib/core/traces/cold-start";
import { parseRequestId, parseTraceId, traceIdEpochSeconds } from "@/lib/core/traces/ids";
import { explainMissingTrace, sampledFromLogs, type MissingTrace } from "@/lib/core/traces/missing-trace";
import { readOtelTrace } from "@/lib/core/traces/otel";
import type { RequestLogLine } from "@/lib/core/traces/request-logs";
import type { TraceFormat } from "@/lib/core/traces/trace-documents";
import { readTrace } from "@/lib/core/traces/tree";
import type { RawSegment, TraceProblem } from "@/lib/core/traces/types";
import { epochMs, type EpochMs } from "@/lib/core/units";
import { parseFunctionName, parseRegion } from "../validate";
import { defaultTraceDeps, type TraceDeps } from "./deps";
import type { TraceDestinationView } from "./destination";
import {
  findTrace,
  type FoundTrace,
  type TargetScope,
  type TraceLookup,
  type TraceSource,
} from "./find-trace";
import { createMeter, type RequestCost, type RequestMeter } from "./meter";
import { eventsMentioning, loadRequestLogs } from "./request-logs";

/** Log groups searched when no function is named: bounds the cost of a fleet-wide lookup. */
export const MAX_GROUPS = 50;
/** Longest window a request-id search covers (one function); fleet-wide searches get FLEET_WINDOW_MS. */
export const MAX_WINDOW_MS = 24 * 3_600_000;
export const FLEET_WINDOW_MS = 3_600_000;
/** Groups searched at once in a fleet-wide lookup. */
const GROUP_FAN_OUT = 4;

export interface TraceData {
  /** X-Ray segment documents, or OTel span documents when `format` is "otel" (read with readTraceDocuments). */
  segments: RawSegment[];
  format: TraceFormat;
  source: TraceSource;
  breakdown: ColdStartBreakdown | null;
  problems: TraceProblem[];
  start: EpochMs;
  end: EpochMs;
}

export interface RequestLogsView {
  logGroup: string;
  stream: string | null;
  lines: RequestLogLine[];
  complete: { start: boolean; report: boolean };
}

export interface RequestView {
  /** The account the request ran in (the one read). */
  account: AccountId;
  region: string;
  traceId: string | null;
  requestId: string | null;
  functionName: string | null;
  /** ok with null value: the request was found but X-Ray has no trace of it (not sampled, tracing off). */
  trace: Outcome<TraceData | null>;
  /** Why there is no trace although the logs carry a trace id; null when there is one (or no id). */
  missingTrace: MissingTrace | null;
  /** Where the region's traces go (X-Ray or Transaction Search); null when it was not asked. */
  destination: Outcome<TraceDestinationView> | null;
  /** From the request's REPORT / START lines; null when its logs were not found. */
  invocation: Invocation | null;
  logs: Outcome<RequestLogsView> | null;
  /** Where a request-id search looked. */
  searched: SearchScope | null;
  cost: RequestCost;
}

export interface SearchScope {
  region: string;
  logGroups: string[];
  /** Groups of the fleet not searched because of MAX_GROUPS. */
  skippedGroups: number;
  from: EpochMs;
  to: EpochMs;
}

interface ReadTrace {
  data: TraceData;
  requestId: string | null;
  functionName: string | null;
}

function readFound(traceId: string, found: FoundTrace): ReadTrace {
  const otel = found.format === "otel" ? readOtelTrace(traceId, found.documents) : null;
  const tree = otel?.tree ?? readTrace(traceId, found.documents);
  const breakdown = coldStartBreakdown(tree);
  return {
    data: {
      segments: found.documents,
      format: found.format,
      source: found.source,
      breakdown,
      problems: found.truncated
        ? [
            ...tree.problems,
            {
              segmentId: "",
              path: "",
              message: `Transaction Search returned more pages of spans than one page view reads (at most ${MAX_RETRIEVED_PAGES}, within ${RETRIEVAL_DEADLINE_MS / 1000} s): some spans may be missing.`,
            },
          ]
        : tree.problems,
      start: tree.start,
      end: tree.end,
    },
    requestId: otel ? otel.facts.requestId : traceRequestId(tree),
    functionName: otel?.facts.functionName ?? breakdown?.functionName ?? tree.spans[0]?.name ?? null,
  };
}

/** A Lambda request lasts at most 15 minutes from the second its trace id names; a minute of slack each side. */
function windowOfTraceId(traceId: string, now: number) {
  const startMs = traceIdEpochSeconds(traceId) * 1000;
  const from = epochMs(startMs - 60_000);
  return { from, to: epochMs(Math.max(from, Math.min(startMs + 16 * 60_000, now))) };
}

async function configOf(deps: TraceDeps, meter: RequestMeter, scope: TargetScope, fn: string) {
  meter.record("GetFunctionConfiguration");
  return deps.lambda(scope.region, scope.target).getFunctionConfiguration(fn);
}

const logGroupOf = async (deps: TraceDeps, meter: RequestMeter, scope: TargetScope, fn: string) =>
  (await configOf(deps, meter, scope, fn)).logGroup;

/**
 * The request behind an X-Ray trace id, in one account. Looks in `region`, or in each configured region until
 * found; a region
 * whose lookup fails (throttled, no xray:StartTraceRetrieval, a retrieval past its deadline) is passed over, and
 * when no region has the trace that failure is the page's answer (coded, in the trace panel), not "not found".
 */
export async function getRequestByTrace(
  rawTraceId: string,
  options: { account: AccountTarget; region?: string },
  deps: TraceDeps = defaultTraceDeps(),
): Promise<RequestView> {
  const traceId = parseTraceId(rawTraceId);
  const target = options.account;
  const regions = options.region ? [parseRegion(options.region)] : [...deps.regions()];
  const meter = createMeter();
  const searched: string[] = [];
  // Regions whose lookup failed (BatchGetTraces, or the Transaction Search retrieval): the next region is
  // still tried, and when no region has the trace the failure is what the trace panel says, not "not found".
  const failed: { region: string; error: OutcomeError; destination: Outcome<TraceDestinationView> | null }[] =
    [];
  for (const region of regions) {
    const settled = await settle(
      findTrace(deps, meter, { target, region }, traceId, windowOfTraceId(traceId, deps.now())),
    );
    if (!settled.ok) {
      failed.push({ region, error: settled.error, destination: null });
      continue;
    }
    const lookup = settled.value;
    if (lookup.retrieved) searched.push(region);
    if (lookup.retrievalError !== null) {
      failed.push({ region, error: lookup.retrievalError, destination: lookup.destination });
    }
    if (lookup.found === null) continue;
    const { data, requestId, functionName } = readFound(traceId, lookup.found);
    let logs: Outcome<RequestLogsView> | null = null;
    let invocation: Invocation | null = null;
    if (requestId !== null && functionName !== null) {
      const loaded = await settle(
        (async () => {
          const scope = { target, region };
          const group = await logGroupOf(deps, meter, scope, parseFunctionName(functionName));
          const port = deps.logs(region, meter, target);
          // Lambda logs START after init and REPORT at the handler's end: both inside the trace, give or take.
          const from = epochMs(data.start - 2_000);
          const to = epochMs(data.end + 5_000);
          const mentioning = await eventsMentioning(port, group, requestId, from, to);
          return loadRequestLogs(port, group, requestId, mentioning);
        })(),
      );
      if (loaded.ok) {
        invocation = loaded.value.invocation;
        const { logGroup, stream, lines, complete } = loaded.value;
        logs = { ok: true, value: { logGroup, stream, lines, complete } };
      } else logs = loaded;
    }
    return {
      account: target.id,
      region,
      traceId,
      requestId,
      functionName,
      trace: { ok: true, value: data },
      missingTrace: null,
      destination: lookup.destination,
      invocation,
      logs,
      searched: null,
      cost: meter.cost(),
    };
  }
  const spans =
    searched.length > 0 ? ` Transaction Search's spans were searched too in ${searched.join(", ")}.` : "";
  const failure = failed[0];
  if (failure !== undefined)
    return failedLookupView(target.id, traceId, regions, failed, failure, spans, meter);
  throw notFound(
    `X-Ray has no trace ${traceId} in account ${target.id}, ${regions.join(", ")}. X-Ray keeps traces for 30 days, and only sampled requests are traced; a trace of another account opens with that account's id (?account=).${spans}`,
    { traceId, account: target.id, regions },
  );
}

/**
 * No region had the trace and at least one could not be fully searched: the page shows the first failure, coded,
 * in the trace panel (a missing xray:StartTraceRetrieval permission is AccessDenied, a retrieval past its
 * deadline Timeout), never "not found", which the failed region cannot back.
 */
function failedLookupView(
  account: AccountId,
  traceId: string,
  regions: readonly string[],
  failed: readonly { region: string; error: OutcomeError }[],
  first: { region: string; error: OutcomeError; destination: Outcome<TraceDestinationView> | null },
  spans: string,
  meter: RequestMeter,
): RequestView {
  const failedRegions = new Set(failed.map((f) => f.region));
  const clean = regions.filter((r) => !failedRegions.has(r));
  const others = failed
    .slice(1)
    .map((f) => ` In ${f.region} too (${f.error.code}): ${f.error.message}`)
    .join("");
  const notIn = clean.length > 0 ? ` X-Ray has no trace ${traceId} in ${clean.join(", ")}.` : "";
  return {
    account,
    region: first.region,
    traceId,
    requestId: null,
    functionName: null,
    trace: {
      ok: false,
      error: {
        code: first.error.code,
        message: `Trace ${traceId} could not be looked up in account ${account}, ${first.region} (${first.error.code}): ${first.error.message}${others}${notIn}${spans}`,
      },
    },
    missingTrace: null,
    destination: first.destination,
    invocation: null,
    logs: null,
    searched: null,
    cost: meter.cost(),
  };
}

export interface FindRequestOptions {
  /** The account the request ran in: its role, or (OAM) the monitoring account that reads its logs. */
  account: AccountTarget;
  region: string;
  /** The function that served it: searches its (possibly custom) log group only. */
  functionName?: string;
  /** The window to search; clamped to MAX_WINDOW_MS (FLEET_WINDOW_MS without a function), ending at `to`. */
  from: number;
  to: number;
}

/** A request by its Lambda request id: its REPORT line gives the trace id, version, cold start and window. */
export async function findRequest(
  rawRequestId: string,
  options: FindRequestOptions,
  deps: TraceDeps = defaultTraceDeps(),
): Promise<RequestView> {
  const requestId = parseRequestId(rawRequestId);
  const region = parseRegion(options.region);
  const target = options.account;
  const scope = { target, region };
  const fn = options.functionName ? parseFunctionName(options.functionName) : null;
  const meter = createMeter();
  const maxWindow = fn ? MAX_WINDOW_MS : FLEET_WINDOW_MS;
  const to = epochMs(Math.min(options.to, deps.now()));
  const from = epochMs(Math.max(options.from, to - maxWindow));

  let groups: string[];
  let skippedGroups = 0;
  const owner = new Map<string, string>();
  const tracingOf = new Map<string, "Active" | "PassThrough">();
  if (fn) {
    const config = await configOf(deps, meter, scope, fn);
    groups = [config.logGroup];
    owner.set(config.logGroup, fn);
    tracingOf.set(config.logGroup, config.tracing);
  } else {
    const all = await deps.lambda(region, target).listFunctions();
    // ListFunctions returns at most 50 functions a page (API reference, MaxItems).
    meter.record("ListFunctions", Math.max(1, Math.ceil(all.length / 50)));
    for (const f of all) {
      if (owner.has(f.logGroup)) continue;
      owner.set(f.logGroup, f.name);
      tracingOf.set(f.logGroup, f.tracing);
    }
    const sorted = [...owner.keys()].sort();
    groups = sorted.slice(0, MAX_GROUPS);
    skippedGroups = sorted.length - groups.length;
  }
  const searched: SearchScope = { region, logGroups: groups, skippedGroups, from, to };

  const port = deps.logs(region, meter, target);
  let hit: { group: string; events: Awaited<ReturnType<typeof eventsMentioning>> } | null = null;
  for (let i = 0; i < groups.length && hit === null; i += GROUP_FAN_OUT) {
    const batch = groups.slice(i, i + GROUP_FAN_OUT);
    const results = await Promise.all(
      batch.map(async (group) => ({
        group,
        events: await eventsMentioning(port, group, requestId, from, to),
      })),
    );
    hit = results.find((r) => r.events.length > 0) ?? null;
  }
  if (hit === null) {
    throw notFound(
      `No log line mentions request ${requestId} in ${describeGroups(searched)} (account ${target.id}, ${region}) between ${new Date(from).toISOString()} and ${new Date(to).toISOString()}.`,
      { requestId, account: target.id, searched },
    );
  }

  const loaded = await loadRequestLogs(port, hit.group, requestId, hit.events);
  const invocation = loaded.invocation;
  const traceId = invocation?.traceId ?? null;
  const sampled = sampledFromLogs(loaded.lines, requestId);
  let lookup: Outcome<TraceLookup> | null = null;
  // A request its REPORT says was not sampled has no segments anywhere: no AWS request can find one.
  if (traceId !== null && invocation !== null && sampled !== false) {
    // The request ran in [start, end]; a minute of slack each side for clocks and late spans.
    const ran = invocation.start ?? invocation.end - invocation.duration;
    const window = { from: epochMs(ran - 60_000), to: epochMs(invocation.end + 60_000) };
    lookup = await settle(findTrace(deps, meter, scope, traceId, window));
  }
  // X-Ray's index had nothing and the retrieval from aws/spans failed: that failure, not a guess, is the answer.
  const retrievalError = lookup?.ok && lookup.value.found === null ? lookup.value.retrievalError : null;
  const trace: Outcome<TraceData | null> =
    lookup === null
      ? { ok: true, value: null }
      : !lookup.ok
        ? lookup
        : retrievalError !== null
          ? {
              ok: false,
              error: {
                code: retrievalError.code,
                message: `X-Ray's index has no trace ${traceId}, and retrieving its spans from Transaction Search failed (${retrievalError.code}): ${retrievalError.message}`,
              },
            }
          : { ok: true, value: lookup.value.found ? readFound(traceId!, lookup.value.found).data : null };
  const missingTrace =
    traceId !== null &&
    retrievalError === null &&
    (lookup === null || (lookup.ok && lookup.value.found === null))
      ? explainMissingTrace({
          traceId,
          sampled,
          tracing: tracingOf.get(hit.group) ?? null,
          transactionSearch: lookup?.ok === true && lookup.value.retrieved,
          now: deps.now(),
        })
      : null;
  return {
    account: target.id,
    region,
    traceId,
    requestId,
    functionName: owner.get(hit.group) ?? fn,
    trace,
    missingTrace,
    destination: lookup?.ok ? lookup.value.destination : null,
    invocation,
    logs: {
      ok: true,
      value: {
        logGroup: loaded.logGroup,
        stream: loaded.stream,
        lines: loaded.lines,
        complete: loaded.complete,
      },
    },
    searched,
    cost: meter.cost(),
  };
}

export function describeGroups(s: SearchScope): string {
  const names = s.logGroups.length <= 3 ? s.logGroups.join(", ") : `${s.logGroups.length} log groups`;
  return s.skippedGroups > 0 ? `${names} (${s.skippedGroups} more not searched)` : names || "no log group";
}
