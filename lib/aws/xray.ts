/**
 * The X-Ray port: GetTraceSummaries (one page per call), BatchGetTraces (5 ids per request, AWS's maximum),
 * GetServiceGraph (every page of one window) and Transaction Search: GetTraceSegmentDestination,
 * GetIndexingRules, StartTraceRetrieval and ListRetrievedTraces (polled until COMPLETE within a deadline, then
 * its pages, bounded in number and by the same deadline).
 * Reshapes SDK shapes into lib/core types at this boundary; segment documents stay raw strings, because they are
 * untrusted JSON that lib/core/traces validates with zod.
 *
 * Invariants: every method issues exactly the AWS requests it reports through `onRequest` (one per HTTP call,
 * SDK retries excluded); BatchGetTraces is called once per ≤ 5 distinct ids (plus a call per NextToken page of a
 * very large trace); every failure is a FleetscopeError (mapped once in ./errors).
 */
import type { AccountTarget } from "@/lib/core/accounts";
import { systemClock } from "@/lib/config/clock";
import "server-only";
import {
  BatchGetTracesCommand,
  GetIndexingRulesCommand,
  GetServiceGraphCommand,
  GetTraceSegmentDestinationCommand,
  GetTraceSummariesCommand,
  ListRetrievedTracesCommand,
  StartTraceRetrievalCommand,
  type Service as SdkService,
  type TraceSummary as SdkTraceSummary,
  type XRayClient,
} from "@aws-sdk/client-xray";
import { FleetscopeError, invalidInput } from "@/lib/core/errors";
import {
  CLIENT_TYPE,
  nodeId,
  type ServiceEdge,
  type ServiceGraph,
  type ServiceNode,
} from "@/lib/core/traces/service-graph";
import type { AnnotationValue, RawSegment, TraceSummary } from "@/lib/core/traces/types";

export type { TraceSummary } from "@/lib/core/traces/types";
import { epochMs, ms, type EpochMs, type Ms } from "@/lib/core/units";
import { xrayClient } from "./clients";
import { mapAwsErrors } from "./errors";

/** BatchGetTraces: "Maximum number of 5 items" (API reference, TraceIds). */
export const MAX_TRACE_IDS_PER_CALL = 5;

/**
 * The longest window one GetServiceGraph covers. The API reference states no limit, but X-Ray refuses long
 * windows (the sandbox, like GetTraceSummaries, at 24 h). A longer range is refused here with a clear message
 * rather than split: graphs of several windows cannot be summed exactly once a node's ReferenceId or a
 * histogram differs between them, and a map of days of traffic would cost one request per day.
 */
export const MAX_SERVICE_GRAPH_RANGE_MS = 24 * 3_600_000;

export interface TraceSummaryPage {
  summaries: TraceSummary[];
  nextToken: string | null;
  tracesProcessed: number | null;
}

export interface TraceDocuments {
  id: string;
  segments: RawSegment[];
}

/** Where a region's X-Ray receives segments: X-Ray itself, or CloudWatch Logs (Transaction Search, `aws/spans`). */
export interface TraceSegmentDestination {
  destination: "XRay" | "CloudWatchLogs";
  /** PENDING while a change of destination is under way; null when the endpoint did not say. */
  status: "ACTIVE" | "PENDING" | null;
}

/** A Transaction Search indexing rule: the share of spans X-Ray indexes (percent, 0–100). */
export interface IndexingRule {
  name: string;
  /** What X-Ray measured; null when it did not say (then `desiredPercent` is the best word). */
  actualPercent: number | null;
  desiredPercent: number | null;
}

export type RetrievedTraceFormat = "XRAY" | "OTEL";

/** One trace ListRetrievedTraces returned: its documents stay raw (segment or OTel span JSON, untrusted). */
export interface RetrievedTrace {
  /** X-Ray form, `1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy`. */
  id: string;
  duration: Ms | null;
  spans: RawSegment[];
}

export interface RetrievedTraces {
  format: RetrievedTraceFormat;
  traces: RetrievedTrace[];
  /** Paging stopped at the deadline or at MAX_RETRIEVED_PAGES: the traces may miss spans. */
  truncated: boolean;
}

export interface RetrievalPolling {
  /** Give up (coded Timeout) when the retrieval is not COMPLETE this long after the first ListRetrievedTraces. */
  deadlineMs?: number;
  /** Pause between two polls of a RUNNING / SCHEDULED retrieval. */
  pauseMs?: number;
}

/** A page waits for a retrieval at most this long: X-Ray itself lets one run for 60 minutes. */
export const RETRIEVAL_DEADLINE_MS = 15_000;
export const RETRIEVAL_PAUSE_MS = 500;
/** Pages of a COMPLETE retrieval read at most (a page's request counts like any other); past it: truncated. */
export const MAX_RETRIEVED_PAGES = 20;

export interface XRayPort {
  readonly region: string;
  /** One GetTraceSummaries request: newest first; X-Ray may return an empty page with a nextToken. */
  getTraceSummaries(input: {
    from: EpochMs;
    to: EpochMs;
    filterExpression?: string;
    nextToken?: string;
  }): Promise<TraceSummaryPage>;
  /** The segments of these traces; ids X-Ray does not have come back in `unprocessed`. */
  batchGetTraces(ids: readonly string[]): Promise<{ traces: TraceDocuments[]; unprocessed: string[] }>;
  /** The service graph of [from, to), every NextToken page merged; at most MAX_SERVICE_GRAPH_RANGE_MS long. */
  getServiceGraph(input: { from: EpochMs; to: EpochMs; signal?: AbortSignal }): Promise<ServiceGraph>;
  /** One GetTraceSegmentDestination request. */
  getTraceSegmentDestination(): Promise<TraceSegmentDestination>;
  /** GetIndexingRules, every NextToken page (one in practice: AWS has only the Default rule). */
  getIndexingRules(): Promise<IndexingRule[]>;
  /** One StartTraceRetrieval request for these ids (X-Ray form) in [from, to]: the RetrievalToken. */
  startTraceRetrieval(traceIds: readonly string[], window: { from: EpochMs; to: EpochMs }): Promise<string>;
  /**
   * ListRetrievedTraces until the retrieval is COMPLETE (RUNNING / SCHEDULED: poll again after a pause), then
   * its NextToken pages, at most MAX_RETRIEVED_PAGES and within the same deadline (past either: what was read,
   * `truncated`). FAILED, CANCELLED or TIMEOUT fail with a coded error, and so does the deadline while polling.
   */
  listRetrievedTraces(
    token: string,
    format: RetrievedTraceFormat,
    polling?: RetrievalPolling,
  ): Promise<RetrievedTraces>;
}

export interface PortOptions {
  /** Called once per AWS request, with its operation name, so a page can count what it cost. */
  onRequest?: (operation: string) => void;
  /** The clock and the pause the retrieval polling uses (tests make them instant). */
  clock?: { now(): number; sleep(ms: number): Promise<void> };
}

const realClock = {
  now: () => systemClock.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/**
 * The account's traces: its own credentials, or (OAM) the monitoring account's, where X-Ray also finds the linked
 * sources' traces by ID. No account: the console's own.
 */
export const xrayFor = (
  region: string,
  options: PortOptions = {},
  account: AccountTarget | null = null,
): XRayPort =>
  createXRayPort(
    xrayClient(region, account?.telemetry === "monitoring-account" ? null : account),
    region,
    options,
  );

export function createXRayPort(
  client: XRayClient,
  region: string,
  { onRequest, clock = realClock }: PortOptions = {},
): XRayPort {
  const call = <T>(operation: string, fn: () => Promise<T>) => {
    onRequest?.(operation);
    return mapAwsErrors(`X-Ray ${operation}`, fn);
  };

  return {
    region,

    getTraceSummaries: ({ from, to, filterExpression, nextToken }) =>
      call("GetTraceSummaries", async () => {
        const r = await client.send(
          new GetTraceSummariesCommand({
            StartTime: new Date(from),
            EndTime: new Date(to),
            TimeRangeType: "TraceId",
            Sampling: false,
            ...(filterExpression ? { FilterExpression: filterExpression } : {}),
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        return {
          summaries: (r.TraceSummaries ?? []).flatMap((s) => (s.Id ? [toSummary(s, s.Id)] : [])),
          nextToken: r.NextToken || null,
          tracesProcessed: r.TracesProcessedCount ?? null,
        };
      }),

    async batchGetTraces(ids) {
      const unique = [...new Set(ids)];
      const byId = new Map<string, RawSegment[]>();
      const unprocessed = new Set<string>();
      for (let i = 0; i < unique.length; i += MAX_TRACE_IDS_PER_CALL) {
        const chunk = unique.slice(i, i + MAX_TRACE_IDS_PER_CALL);
        let token: string | undefined;
        const seen = new Set<string>();
        do {
          const r = await call("BatchGetTraces", () =>
            client.send(new BatchGetTracesCommand({ TraceIds: chunk, NextToken: token })),
          );
          for (const t of r.Traces ?? []) {
            if (!t.Id) continue;
            const segments = byId.get(t.Id) ?? [];
            for (const s of t.Segments ?? []) {
              if (s.Id && typeof s.Document === "string") segments.push({ id: s.Id, document: s.Document });
            }
            byId.set(t.Id, segments);
          }
          for (const id of r.UnprocessedTraceIds ?? []) unprocessed.add(id);
          token = r.NextToken || undefined;
          // A repeated token would page forever: stop with what we have.
          if (token !== undefined && seen.has(token)) token = undefined;
          if (token !== undefined) seen.add(token);
        } while (token !== undefined);
      }
      return {
        traces: [...byId].map(([id, segments]) => ({ id, segments })),
        unprocessed: [...unprocessed].filter((id) => !byId.has(id)),
      };
    },

    async getServiceGraph({ from, to, signal }) {
      if (to <= from) throw invalidInput("The service map needs a time range that ends after it starts.");
      if (to - from > MAX_SERVICE_GRAPH_RANGE_MS) {
        throw invalidInput("X-Ray builds a service map over at most 24 hours: choose a shorter time range.");
      }
      const services: SdkService[] = [];
      let token: string | undefined;
      const seen = new Set<string>();
      do {
        const r = await call("GetServiceGraph", () =>
          client.send(
            new GetServiceGraphCommand({
              StartTime: new Date(from),
              EndTime: new Date(to),
              NextToken: token,
            }),
            { abortSignal: signal },
          ),
        );
        services.push(...(r.Services ?? []));
        token = r.NextToken || undefined;
        // A repeated token would page forever: stop with what we have.
        if (token !== undefined && seen.has(token)) token = undefined;
        if (token !== undefined) seen.add(token);
      } while (token !== undefined);
      return toServiceGraph(services);
    },

    getTraceSegmentDestination: () =>
      call("GetTraceSegmentDestination", async () => {
        const r = await client.send(new GetTraceSegmentDestinationCommand({}));
        return {
          // X-Ray's default: an account that never turned Transaction Search on answers XRay.
          destination: r.Destination === "CloudWatchLogs" ? "CloudWatchLogs" : "XRay",
          status: r.Status === "ACTIVE" || r.Status === "PENDING" ? r.Status : null,
        };
      }),

    async getIndexingRules() {
      const rules: IndexingRule[] = [];
      let token: string | undefined;
      const seen = new Set<string>();
      do {
        const r = await call("GetIndexingRules", () =>
          client.send(new GetIndexingRulesCommand({ NextToken: token })),
        );
        for (const rule of r.IndexingRules ?? []) {
          const p = rule.Rule?.Probabilistic;
          rules.push({
            name: rule.Name ?? "",
            actualPercent: percent(p?.ActualSamplingPercentage),
            desiredPercent: percent(p?.DesiredSamplingPercentage),
          });
        }
        token = r.NextToken || undefined;
        // A repeated token would page forever: stop with what we have.
        if (token !== undefined && seen.has(token)) token = undefined;
        if (token !== undefined) seen.add(token);
      } while (token !== undefined);
      return rules;
    },

    startTraceRetrieval: (traceIds, { from, to }) =>
      call("StartTraceRetrieval", async () => {
        if (traceIds.length === 0) throw invalidInput("A trace retrieval needs at least one trace id.");
        if (to < from) throw invalidInput("A trace retrieval needs a time range that ends after it starts.");
        const r = await client.send(
          new StartTraceRetrievalCommand({
            TraceIds: [...new Set(traceIds)],
            StartTime: new Date(from),
            EndTime: new Date(to),
          }),
        );
        if (!r.RetrievalToken) {
          throw new FleetscopeError("Unavailable", "X-Ray StartTraceRetrieval returned no RetrievalToken.");
        }
        return r.RetrievalToken;
      }),

    async listRetrievedTraces(token, format, polling = {}) {
      const deadlineMs = polling.deadlineMs ?? RETRIEVAL_DEADLINE_MS;
      const pauseMs = polling.pauseMs ?? RETRIEVAL_PAUSE_MS;
      const deadline = clock.now() + deadlineMs;
      const byId = new Map<string, RetrievedTrace>();
      let next: string | undefined;
      const seen = new Set<string>();
      let pages = 0;
      for (;;) {
        const r = await call("ListRetrievedTraces", () =>
          client.send(
            new ListRetrievedTracesCommand({ RetrievalToken: token, TraceFormat: format, NextToken: next }),
          ),
        );
        const status = r.RetrievalStatus;
        if (status === "COMPLETE") {
          for (const t of r.Traces ?? []) {
            if (!t.Id) continue;
            const trace = byId.get(t.Id) ?? { id: t.Id, duration: seconds(t.Duration), spans: [] };
            for (const s of t.Spans ?? []) {
              if (s.Id && typeof s.Document === "string")
                trace.spans.push({ id: s.Id, document: s.Document });
            }
            byId.set(t.Id, trace);
          }
          pages++;
          next = r.NextToken || undefined;
          // A repeated token would page forever: stop with what we have.
          if (next !== undefined && seen.has(next)) next = undefined;
          if (next === undefined) return { format, traces: [...byId.values()], truncated: false };
          // A huge trace, or an endpoint that keeps paging: bounded in pages and time like the polling.
          if (pages >= MAX_RETRIEVED_PAGES || clock.now() > deadline) {
            return { format, traces: [...byId.values()], truncated: true };
          }
          seen.add(next);
          continue;
        }
        if (status === "FAILED" || status === "CANCELLED" || status === "TIMEOUT") {
          throw new FleetscopeError(
            status === "TIMEOUT" ? "Timeout" : "Unavailable",
            `X-Ray ListRetrievedTraces: the trace retrieval ended ${status} (${
              status === "TIMEOUT"
                ? "X-Ray stops a retrieval after 60 minutes"
                : status === "CANCELLED"
                  ? "it was cancelled"
                  : "X-Ray could not read the spans from CloudWatch Logs"
            }).`,
            { retrievalStatus: status },
          );
        }
        // RUNNING, SCHEDULED (or a status this SDK does not know yet): ask again after a pause.
        if (clock.now() + pauseMs > deadline) {
          throw new FleetscopeError(
            "Timeout",
            `X-Ray ListRetrievedTraces: the trace retrieval was still ${status ?? "not ready"} after ${deadlineMs} ms.`,
            { retrievalStatus: status ?? null, deadlineMs },
          );
        }
        await clock.sleep(pauseMs);
      }
    },
  };
}

interface SdkStats {
  OkCount?: number;
  TotalCount?: number;
  TotalResponseTime?: number;
  ErrorStatistics?: { ThrottleCount?: number; TotalCount?: number };
  FaultStatistics?: { TotalCount?: number };
}

function toCounts(s: SdkStats | undefined) {
  const requests = s?.TotalCount ?? 0;
  const total = s?.TotalResponseTime;
  return {
    requests,
    errors: s?.ErrorStatistics?.TotalCount ?? 0,
    faults: s?.FaultStatistics?.TotalCount ?? 0,
    throttles: s?.ErrorStatistics?.ThrottleCount ?? 0,
    avgResponseMs:
      requests > 0 && total !== undefined && Number.isFinite(total)
        ? ms(Math.round((total / requests) * 1_000_000) / 1000)
        : null,
  };
}

/** Services → nodes keyed `<type>|<name>`; edges refer to callees by ReferenceId, resolved across all pages. */
function toServiceGraph(services: readonly SdkService[]): ServiceGraph {
  const idByRef = new Map<number, string>();
  const nodes = new Map<string, ServiceNode>();
  for (const s of services) {
    const type = s.Type ?? "unknown";
    const name = s.Name ?? (type === CLIENT_TYPE ? "client" : "unknown");
    const id = nodeId({ type, name });
    if (s.ReferenceId !== undefined) idByRef.set(s.ReferenceId, id);
    if (nodes.has(id)) continue;
    const counts = toCounts(s.SummaryStatistics);
    nodes.set(id, { id, name, type, ok: s.SummaryStatistics?.OkCount ?? 0, ...counts });
  }
  const edges: ServiceEdge[] = [];
  for (const s of services) {
    const from = s.ReferenceId !== undefined ? idByRef.get(s.ReferenceId) : undefined;
    for (const e of s.Edges ?? []) {
      const to = e.ReferenceId !== undefined ? idByRef.get(e.ReferenceId) : undefined;
      // An edge to a service on no page cannot be drawn; X-Ray lists every service an edge names.
      if (from === undefined || to === undefined) continue;
      edges.push({ from, to, ...toCounts(e.SummaryStatistics) });
    }
  }
  return { nodes: [...nodes.values()], edges };
}

const percent = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) && v >= 0 && v <= 100 ? v : null;

const seconds = (v: number | undefined): Ms | null =>
  v === undefined || !Number.isFinite(v) ? null : ms(Math.round(v * 1_000_000) / 1000);

function toSummary(s: SdkTraceSummary, id: string): TraceSummary {
  const annotations: Record<string, AnnotationValue[]> = {};
  for (const [key, values] of Object.entries(s.Annotations ?? {})) {
    annotations[key] = (values ?? []).flatMap((v): AnnotationValue[] => {
      const a = v.AnnotationValue;
      if (a?.StringValue !== undefined) return [a.StringValue];
      if (a?.NumberValue !== undefined) return [a.NumberValue];
      if (a?.BooleanValue !== undefined) return [a.BooleanValue];
      return [];
    });
  }
  return {
    id,
    start: epochMs(s.StartTime ? s.StartTime.getTime() : Number.parseInt(id.slice(2, 10), 16) * 1000),
    duration: seconds(s.Duration),
    responseTime: seconds(s.ResponseTime),
    hasError: s.HasError === true,
    hasFault: s.HasFault === true,
    hasThrottle: s.HasThrottle === true,
    isPartial: s.IsPartial === true,
    httpStatus: s.Http?.HttpStatus ?? null,
    annotations,
    entryPoint: s.EntryPoint?.Name ?? null,
    services: [...new Set((s.ServiceIds ?? []).flatMap((x) => (x.Name ? [x.Name] : [])))],
    resourceArns: (s.ResourceARNs ?? []).flatMap((r) => (r.ARN ? [r.ARN] : [])),
  };
}
