/**
 * The segment document shapes X-Ray stores (the JSON in BatchGetTraces `Segments[].Document`), limited to the
 * fields Lambda and the X-Ray SDKs write for our fleet. Times are epoch seconds with microsecond precision.
 * See https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html
 */
export type AnnotationValue = string | number | boolean;

export interface StackFrame {
  path: string;
  line: number;
  label: string;
}

export interface ExceptionDoc {
  id: string;
  message: string;
  type: string;
  /** True when the exception came back from a downstream call (the SDK's `remote`). */
  remote?: boolean;
  stack?: StackFrame[];
}

export interface CauseDoc {
  working_directory?: string;
  exceptions: ExceptionDoc[];
}

export interface HttpDoc {
  request?: { url?: string; method?: string };
  response?: { status?: number };
}

export interface SubsegmentDoc {
  id: string;
  name: string;
  start_time: number;
  /** Absent only in a deliberately malformed document (see malformed.ts). */
  end_time?: number;
  namespace?: "aws" | "remote";
  http?: HttpDoc;
  aws?: Record<string, string | number>;
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  /** An object with the exceptions, or the id of an exception recorded on a child or parent (X-Ray allows both). */
  cause?: CauseDoc | string;
  annotations?: Record<string, AnnotationValue>;
  metadata?: Record<string, Record<string, unknown>>;
  subsegments?: SubsegmentDoc[];
}

export interface SegmentDoc extends Omit<SubsegmentDoc, "namespace" | "aws"> {
  trace_id: string;
  origin: "AWS::Lambda" | "AWS::Lambda::Function";
  parent_id?: string;
  resource_arn?: string;
  aws?: Record<string, unknown>;
}
