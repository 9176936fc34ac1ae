/**
 * The `aws/spans` log group of a Transaction Search region: every span of every sampled request of every traced
 * (tracing Active) function, one log event per span, rendered on demand from the simulator like a function's
 * log group (logs/events.ts reads it through `LogGroupInfo.events`).
 *
 * Invariants:
 * - An event's message is the span document (spans/otel.ts) and its timestamp the span's end, whole ms.
 * - Streams: one per function and UTC day of the request's arrival, `YYYY/MM/DD/<function name>` (a sandbox
 *   choice: AWS does not document the stream layout of aws/spans). The date prefix keeps GetLogEvents bounded.
 * - Unsampled requests write nothing here; a request's events are never later than SPANS_TAIL_MS after its
 *   handler ended (the root span closes after the runtime's overhead).
 */
import type { SimFunction } from "../fleet/model";
import type { SandboxContext } from "../http/types";
import type { GroupEvents, LogGroupInfo } from "../logs/groups";
import { hash32, type LogEvent } from "../logs/render";
import type { Invocation } from "../sim/types";
import { tracedFunctions } from "../xray/store";
import { renderSpans, serializeSpan, spanEndMs } from "./otel";
import { hasTransactionSearch, SPANS_LOG_GROUP } from "./transaction-search";

/** Dispatch (≤ 1.2 ms) + overhead (≤ 2.3 ms) after the handler, rounded up generously. */
export const SPANS_TAIL_MS = 10;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll("-", "/");

export const spansStreamOf = (inv: Invocation): string => `${day(inv.startMs)}/${inv.functionName}`;

export function spanEvents(fn: SimFunction, inv: Invocation, accountId: string): LogEvent[] {
  if (!inv.sampled || fn.tracing !== "Active") return [];
  const stream = spansStreamOf(inv);
  const lag = 500 + (hash32(inv.traceId) % 1500);
  return renderSpans(inv, fn, accountId).map((doc, seq) => {
    const timestamp = spanEndMs(doc);
    return {
      timestamp,
      ingestionTime: timestamp + lag,
      logStreamName: stream,
      message: serializeSpan(doc),
      requestId: inv.requestId,
      seq,
    };
  });
}

/** The region's aws/spans group, or null when the region sends its segments to X-Ray. */
export function spansLogGroup(ctx: SandboxContext, region: string): LogGroupInfo | null {
  if (!hasTransactionSearch(region)) return null;
  const functions = tracedFunctions(ctx, region);
  if (functions.length === 0) return null;
  const accountId = ctx.account.accountId;
  const events: GroupEvents = {
    render: (fn, inv) => spanEvents(fn, inv, accountId),
    tailMs: SPANS_TAIL_MS,
    streamOf: (inv) => (inv.sampled ? spansStreamOf(inv) : null),
    mayWrite: (fn, stream) => stream.endsWith(`/${fn.name}`),
  };
  return {
    name: SPANS_LOG_GROUP,
    region,
    accountId,
    functions,
    creationTime: Math.min(...functions.map((f) => f.createdMs)),
    retentionInDays: null,
    events,
  };
}
