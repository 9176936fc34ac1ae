/**
 * A trace's raw documents as they were fetched, in one of the two formats X-Ray hands out: segment documents
 * (BatchGetTraces, or ListRetrievedTraces with TraceFormat XRAY) or OpenTelemetry span documents
 * (ListRetrievedTraces with TraceFormat OTEL, the `aws/spans` log events). One entry point reads either into the
 * same tree, so every view downstream is format-blind.
 */
import { readOtelTrace } from "./otel";
import { readTrace } from "./tree";
import type { RawSegment, SpanTree } from "./types";

export type TraceFormat = "xray" | "otel";

export interface TraceDocuments {
  format: TraceFormat;
  /** Segment documents (xray) or span documents (otel), untrusted JSON. */
  documents: RawSegment[];
}

export function readTraceDocuments(traceId: string, docs: TraceDocuments): SpanTree {
  return docs.format === "otel"
    ? readOtelTrace(traceId, docs.documents).tree
    : readTrace(traceId, docs.documents);
}
