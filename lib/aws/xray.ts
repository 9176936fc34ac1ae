/**
 * The X-Ray port: GetTraceSummaries (one page per call), BatchGetTraces (5 ids per request, AWS's maximum) and
 * GetServiceGraph (every page of one window).
 * Reshapes SDK shapes into lib/core types at this boundary; segment documents stay raw strings, because they are
 * untrusted JSON that lib/core/traces validates with zod.
 *
 * Invariants: every method issues exactly the AWS requests it reports through `onRequest` (one per HTTP call,
 * SDK retries excluded); BatchGetTraces is called once per ≤ 5 distinct ids (plus a call per NextToken page of a
 * very large trace); every failure is a FleetscopeError (mapped once in ./errors).
 */
import "server-only";
import {
  BatchGetTracesCommand,
  GetServiceGraphCommand,
  GetTraceSummariesCommand,
  type Service as SdkService,
  type TraceSummary as SdkTraceSummary,
  type XRayClient,
} from "@aws-sdk/client-xray";
import { invalidInput } from "@/lib/core/errors";
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
}

export interface PortOptions {
  /** Called once per AWS request, with its operation name, so a page can count what it cost. */
  onRequest?: (operation: string) => void;
}

export const xrayFor = (region: string, options: PortOptions = {}): XRayPort =>
  createXRayPort(xrayClient(region), region, options);

export function createXRayPort(
  client: XRayClient,
  region: string,
  { onRequest }: PortOptions = {},
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
