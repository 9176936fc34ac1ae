/**
 * Finds one trace's documents in one account's region: X-Ray first (BatchGetTraces); when X-Ray has none and the
 * region sends its spans to CloudWatch Logs (Transaction Search: X-Ray indexes only a share of the traces), the
 * spans are retrieved from `aws/spans` with StartTraceRetrieval + ListRetrievedTraces (OTEL) over the request's
 * window.
 *
 * Cost, in AWS requests (every one counted by the meter): 1 BatchGetTraces; 1 GetTraceSegmentDestination per
 * account-region per 10 minutes (cached); in a Transaction Search region, when X-Ray has no trace: 1
 * StartTraceRetrieval and 1 ListRetrievedTraces per poll (bounded by the port's deadline) and per page.
 *
 * A failed retrieval (no xray:StartTraceRetrieval permission, a retrieval past its deadline) does not fail the
 * lookup: it is kept as `retrievalError` beside what BatchGetTraces found, so a caller can try the next region
 * and the page can say which retrieval failed and why.
 *
 * Read through a monitoring account (OAM), BatchGetTraces also finds the linked sources' traces: a trace whose
 * documents name another account is not this account's and is treated as absent (trace-account.ts).
 */
import "server-only";
import type { AccountTarget } from "@/lib/core/accounts";
import { settle, type Outcome, type OutcomeError } from "@/lib/core/errors";
import { otelTraceIdOf } from "@/lib/core/traces/otel";
import type { TraceDocuments } from "@/lib/core/traces/trace-documents";
import type { EpochMs } from "@/lib/core/units";
import type { TraceDeps } from "./deps";
import { traceDestination, type TraceDestinationView } from "./destination";
import type { RequestMeter } from "./meter";
import { traceIsOf } from "./trace-account";

/** The account read (its target: role, OAM) in one region. */
export interface TargetScope {
  target: AccountTarget;
  region: string;
}

/** Where the trace was read: X-Ray's index, or Transaction Search's spans in CloudWatch Logs. */
export type TraceSource = "xray" | "transaction-search";

export interface FoundTrace extends TraceDocuments {
  source: TraceSource;
  /** The retrieval's paging stopped at its page cap or deadline: spans may be missing. */
  truncated: boolean;
}

export interface TraceLookup {
  found: FoundTrace | null;
  destination: Outcome<TraceDestinationView>;
  /** Transaction Search's spans were searched (and held nothing when `found` is null). */
  retrieved: boolean;
  /** The Transaction Search retrieval failed (coded): `found` is then only what X-Ray's index had. */
  retrievalError: OutcomeError | null;
}

export async function findTrace(
  deps: TraceDeps,
  meter: RequestMeter,
  { target, region }: TargetScope,
  traceId: string,
  window: { from: EpochMs; to: EpochMs },
): Promise<TraceLookup> {
  const xray = deps.xray(region, meter, target);
  // The destination is shown on the page either way; asked alongside BatchGetTraces (cached, usually free).
  const [batch, destination] = await Promise.all([
    xray.batchGetTraces([traceId]),
    traceDestination({ account: target.id, region }, () => xray, deps.now()),
  ]);
  const indexed = batch.traces.find((t) => t.id === traceId);
  if (indexed && indexed.segments.length > 0 && traceIsOf(indexed.segments, target.id)) {
    return {
      found: { source: "xray", format: "xray", documents: indexed.segments, truncated: false },
      destination,
      retrieved: false,
      retrievalError: null,
    };
  }
  if (!destination.ok || destination.value.destination !== "CloudWatchLogs") {
    return { found: null, destination, retrieved: false, retrievalError: null };
  }
  const retrieval = await settle(
    (async () => {
      const token = await xray.startTraceRetrieval([traceId], window);
      return xray.listRetrievedTraces(token, "OTEL");
    })(),
  );
  if (!retrieval.ok) {
    return { found: null, destination, retrieved: false, retrievalError: retrieval.error };
  }
  // X-Ray answers in its own id form; a document set keyed by the OTel form is accepted too.
  const otelId = otelTraceIdOf(traceId);
  const { traces, truncated } = retrieval.value;
  const retrieved = traces.find((t) => t.id === traceId || t.id.toLowerCase() === otelId);
  return {
    found:
      retrieved && retrieved.spans.length > 0 && traceIsOf(retrieved.spans, target.id)
        ? { source: "transaction-search", format: "otel", documents: retrieved.spans, truncated }
        : null,
    destination,
    retrieved: true,
    retrievalError: null,
  };
}
