/** One sampled invocation as X-Ray holds it: documents (possibly malformed), indexed facts and its summary. */
import type { SimFunction } from "../fleet/model";
import type { Invocation, MinuteRecord } from "../sim/types";
import type { AnnotationValue } from "./documents";
import { traceFacts, type NodeFacts, type TraceFacts } from "./facts";
import { isPlantedMalformed, malformedKind, serializeSegments, type MalformedKind } from "./malformed";
import { renderTraceDocuments, type TraceDocuments } from "./segments";

export interface StoredTrace {
  docs: TraceDocuments;
  facts: TraceFacts;
  malformed: MalformedKind | null;
}

/** Renders the trace of a sampled invocation; `record` is the minute it belongs to (for the planted trace). */
export function storedTrace(
  inv: Invocation,
  fn: SimFunction,
  record: MinuteRecord,
  accountId: string,
): StoredTrace {
  const docs = renderTraceDocuments(inv, fn, accountId);
  const malformed = malformedKind(inv.traceId, isPlantedMalformed(fn, record, inv));
  return { docs, facts: traceFacts(docs, accountId, malformed), malformed };
}

/** BatchGetTraces' Trace shape. */
export function traceOutput(t: StoredTrace) {
  return {
    Id: t.facts.id,
    Duration: t.facts.duration,
    LimitExceeded: false,
    Segments: serializeSegments(t.docs, t.malformed),
  };
}

function serviceId(n: NodeFacts) {
  return { Name: n.name, Names: [n.name], ...(n.accountId ? { AccountId: n.accountId } : {}), Type: n.type };
}

const annotationValue = (v: AnnotationValue) =>
  typeof v === "number"
    ? { NumberValue: v }
    : typeof v === "boolean"
      ? { BooleanValue: v }
      : { StringValue: v };

/** GetTraceSummaries' TraceSummary shape. */
export function traceSummary(t: StoredTrace) {
  const f = t.facts;
  const functionNode = f.nodes.find((n) => n.type === "AWS::Lambda::Function");
  const annotated = functionNode ? [serviceId(functionNode)] : [];
  const seen = new Set<string>();
  const serviceIds = f.nodes
    .filter((n) => {
      const key = `${n.type}\u0000${n.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(serviceId);
  return {
    Id: f.id,
    StartTime: f.start,
    Duration: f.duration,
    ResponseTime: f.responseTime,
    HasFault: f.fault,
    HasError: f.error,
    HasThrottle: f.throttle,
    IsPartial: f.partial,
    Http: f.entry.httpStatus !== undefined ? { HttpStatus: f.entry.httpStatus } : {},
    Annotations: Object.fromEntries(
      Object.entries(f.annotations).map(([k, v]) => [
        k,
        [{ AnnotationValue: annotationValue(v), ServiceIds: annotated }],
      ]),
    ),
    Users: [],
    ServiceIds: serviceIds,
    ResourceARNs: f.resourceArns.map((ARN) => ({ ARN })),
    InstanceIds: [],
    AvailabilityZones: [],
    EntryPoint: serviceId(f.entry),
    FaultRootCauses: [],
    ErrorRootCauses: [],
    ResponseTimeRootCauses: [],
    Revision: 1,
  };
}
