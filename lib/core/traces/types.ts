/**
 * Domain types for one X-Ray trace as the console shows it. lib/core/traces/parse.ts produces them from the
 * untrusted segment documents BatchGetTraces returns; the layout and the components read only these.
 */
import type { EpochMs, Ms } from "../units";

/** One `Segments[]` entry of BatchGetTraces: X-Ray's id and the raw JSON document, as the adapter hands it over. */
export interface RawSegment {
  id: string;
  document: string;
}

export type AnnotationValue = string | number | boolean;

export interface StackFrame {
  path: string | null;
  line: number | null;
  label: string | null;
}

export interface SpanException {
  id: string | null;
  type: string | null;
  message: string | null;
  /** The exception came back from a downstream call (the SDK's `remote`). */
  remote: boolean;
  stack: StackFrame[];
}

export interface SpanHttp {
  method: string | null;
  url: string | null;
  status: number | null;
}

/** The Lambda phases X-Ray records as subsegments of the `AWS::Lambda::Function` segment. */
export type LambdaPhase = "Initialization" | "Invocation" | "Overhead";

/** One segment or subsegment. */
export interface Span {
  id: string;
  name: string;
  kind: "segment" | "subsegment";
  /** Segment `origin` (`AWS::Lambda`, `AWS::Lambda::Function`, …); null on subsegments. */
  origin: string | null;
  /** `aws` (an AWS SDK call), `remote` (an HTTP call) or null. */
  namespace: string | null;
  start: EpochMs;
  end: EpochMs;
  /** `end - start`, exact to the microsecond grid X-Ray times live on. */
  duration: Ms;
  /**
   * The document gave no usable end time: `in_progress`, or missing (a malformed document). `end` is then
   * borrowed from the parent (or equals `start`), and the span says so.
   */
  endMissing: boolean;
  inProgress: boolean;
  error: boolean;
  fault: boolean;
  throttle: boolean;
  http: SpanHttp | null;
  /** The `aws` object (operation, table_name, request_id, …), values as written. */
  aws: Readonly<Record<string, unknown>>;
  annotations: Readonly<Record<string, AnnotationValue>>;
  metadata: Readonly<Record<string, unknown>>;
  exceptions: readonly SpanException[];
  /** `cause` given as the id of an exception recorded on another span. */
  causeRef: string | null;
  resourceArn: string | null;
  /** Set on the Initialization / Invocation / Overhead subsegments of a Lambda function segment. */
  phase: LambdaPhase | null;
}

/** Something in the documents the console could not read, and what it did instead. */
export interface TraceProblem {
  /** The segment (X-Ray id) the problem is in. */
  segmentId: string;
  /** Where in the document: `subsegments[0].end_time`, or "" for the whole document. */
  path: string;
  message: string;
}

/** The trace as a tree, flattened in depth-first (display) order. */
export interface SpanTree {
  traceId: string;
  /** Depth-first order: a parent precedes its children; siblings by start time, then id. */
  spans: Span[];
  /** Index of each span's parent in `spans`, -1 for a root. */
  parent: Int32Array;
  /** Nesting depth (roots are 0). */
  depth: Int32Array;
  /** Indices of each span's children, in display order. */
  children: (readonly number[])[];
  /** Earliest start and latest end over all spans; both 0 for an empty trace. */
  start: EpochMs;
  end: EpochMs;
  problems: TraceProblem[];
}

/**
 * What drawing a waterfall needs of a tree: spans in display order and their depths (a span has children
 * exactly when the next span is deeper). The client receives only this, prepared on the server.
 */
export type WaterfallTree = Pick<SpanTree, "traceId" | "spans" | "depth" | "start" | "end">;

/** One GetTraceSummaries entry, reshaped by lib/aws/xray.ts. */
export interface TraceSummary {
  id: string;
  start: EpochMs;
  duration: Ms | null;
  responseTime: Ms | null;
  hasError: boolean;
  hasFault: boolean;
  hasThrottle: boolean;
  /** Some segment of the trace is missing or unreadable. */
  isPartial: boolean;
  httpStatus: number | null;
  /** Annotation values by key (a key can carry several values across segments). */
  annotations: Record<string, AnnotationValue[]>;
  entryPoint: string | null;
  services: string[];
  resourceArns: string[];
}
