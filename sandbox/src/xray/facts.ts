/**
 * The indexed view of one trace that GetTraceSummaries, filter expressions and the service graph read: the
 * service nodes (one per segment or inferred downstream subsegment), the edges between them, trace-level flags,
 * and the annotations. Built from the rendered documents, so summaries and BatchGetTraces cannot disagree.
 *
 * Invariants: a trace-level flag is set iff some node has it (X-Ray's HasError/HasFault/HasThrottle); the entry
 * point is the `AWS::Lambda` service node; edges run client → Lambda → function → each downstream call.
 */
import type { AnnotationValue, SegmentDoc, SubsegmentDoc } from "./documents";
import type { MalformedKind } from "./malformed";
import type { TraceDocuments } from "./segments";

export interface NodeFacts {
  name: string;
  type: string;
  /** Account id for the account's own services; absent for inferred remote nodes. */
  accountId?: string;
  start: number; // epoch seconds
  end: number;
  error: boolean;
  fault: boolean;
  throttle: boolean;
  /** X-Ray inferred this node from a subsegment (a downstream call), rather than from a segment. */
  inferred: boolean;
  httpStatus?: number;
  httpUrl?: string;
  httpMethod?: string;
}

export interface EdgeFacts {
  /** null: the client that called the entry point. */
  from: NodeFacts | null;
  to: NodeFacts;
}

export interface TraceFacts {
  id: string;
  start: number;
  end: number;
  duration: number;
  responseTime: number;
  error: boolean;
  fault: boolean;
  throttle: boolean;
  partial: boolean;
  entry: NodeFacts;
  nodes: NodeFacts[];
  edges: EdgeFacts[];
  annotations: Record<string, AnnotationValue>;
  resourceArns: string[];
}

const INFERRED_TYPES: Record<string, string> = {
  DynamoDB: "AWS::DynamoDB::Table",
  S3: "AWS::S3::Bucket",
  SQS: "AWS::SQS::Queue",
};

const round6 = (n: number) => Math.round(n * 1_000_000) / 1_000_000;

function nodeOf(
  doc: SegmentDoc | SubsegmentDoc,
  type: string,
  accountId?: string,
  inferred = false,
): NodeFacts {
  const status = doc.http?.response?.status;
  return {
    name: doc.name,
    type,
    ...(accountId ? { accountId } : {}),
    start: doc.start_time,
    end: doc.end_time ?? doc.start_time,
    error: doc.error === true,
    fault: doc.fault === true,
    throttle: doc.throttle === true,
    inferred,
    ...(status !== undefined ? { httpStatus: status } : {}),
    ...(doc.http?.request?.url ? { httpUrl: doc.http.request.url } : {}),
    ...(doc.http?.request?.method ? { httpMethod: doc.http.request.method } : {}),
  };
}

/** Every subsegment, depth first, iteratively. */
function allSubsegments(root: SegmentDoc): SubsegmentDoc[] {
  const out: SubsegmentDoc[] = [];
  const stack = [...(root.subsegments ?? [])].reverse();
  while (stack.length > 0) {
    const s = stack.pop() as SubsegmentDoc;
    out.push(s);
    for (const child of [...(s.subsegments ?? [])].reverse()) stack.push(child);
  }
  return out;
}

export function traceFacts(
  docs: TraceDocuments,
  accountId: string,
  malformed: MalformedKind | null,
): TraceFacts {
  const entry = nodeOf(docs.service, "AWS::Lambda", accountId);
  const fnNode = nodeOf(docs.function, "AWS::Lambda::Function", accountId);
  const subs = allSubsegments(docs.function);
  // Inferred downstream nodes: the SDK's aws/remote subsegments.
  const downstream = subs
    .filter((s) => s.namespace === "aws" || s.namespace === "remote")
    .map((s) =>
      nodeOf(
        s,
        s.namespace === "remote" ? "remote" : (INFERRED_TYPES[s.name] ?? `AWS::${s.name}`),
        s.namespace === "aws" ? accountId : undefined,
        true,
      ),
    );
  // Subsegment flags count for the trace (a DynamoDB throttle makes the trace HasThrottle) and for the
  // function node, whose own errors include its subsegments' — as X-Ray reports a node's errors.
  const anyFlag = (k: "error" | "fault" | "throttle") => subs.some((s) => s[k] === true);
  const functionNode: NodeFacts = {
    ...fnNode,
    error: fnNode.error || subs.some((s) => s.namespace === undefined && s.error === true),
    fault: fnNode.fault || subs.some((s) => s.namespace === undefined && s.fault === true),
    throttle: fnNode.throttle || subs.some((s) => s.namespace === undefined && s.throttle === true),
  };
  const nodes = [entry, functionNode, ...downstream];
  const annotations: Record<string, AnnotationValue> = {};
  for (const s of [docs.service, docs.function, ...subs]) Object.assign(annotations, s.annotations ?? {});
  const end = Math.max(...nodes.map((n) => n.end));
  return {
    id: docs.service.trace_id,
    start: entry.start,
    end,
    duration: round6(end - entry.start),
    responseTime: round6(entry.end - entry.start),
    error: nodes.some((n) => n.error) || anyFlag("error"),
    fault: nodes.some((n) => n.fault) || anyFlag("fault"),
    throttle: nodes.some((n) => n.throttle) || anyFlag("throttle"),
    partial: malformed !== null,
    entry,
    nodes,
    edges: [
      { from: null, to: entry },
      { from: entry, to: functionNode },
      ...downstream.map((to) => ({ from: functionNode, to })),
    ],
    annotations,
    resourceArns: [docs.service.resource_arn, docs.function.resource_arn].filter((a): a is string => !!a),
  };
}
