/**
 * Renders one sampled Invocation as the two segment documents Lambda sends to X-Ray: the `AWS::Lambda` service
 * segment (the request as the Lambda front end saw it) and the `AWS::Lambda::Function` segment (the execution
 * environment's view) with its `Initialization` / `Invocation` / `Overhead` subsegments and the downstream calls
 * nested under `Invocation`.
 *
 * Invariants:
 * - Pure and deterministic: the output depends only on (invocation, function, account id).
 * - The function segment's id is `Invocation.segmentId` (the REPORT line's SegmentId) and its parent is the
 *   service segment.
 * - `Initialization` exists iff `initDurationMs` is set, and (end - start) × 1000 rounds (2 decimals) to exactly
 *   `initDurationMs`, the REPORT line's Init Duration; `Invocation` lasts `durationMs` the same way. All times sit
 *   on a microsecond grid so the subtraction is exact to well under 0.005 ms.
 * - `Restore` takes Initialization's place on a SnapStart restore (`restoreDurationMs`, same rounding rule).
 * - Time nesting: service ⊇ function ⊇ Initialization (or Restore), Invocation, Overhead (in that order, back to back);
 *   Invocation ⊇ each downstream call.
 * - Flags as X-Ray sets them: 4xx → error, 429 → throttle + error, 5xx → fault; a failed invocation (error,
 *   timeout, OOM) → fault on the function segment with `cause.exceptions`, and on `Invocation` by exception id.
 */
import type { FunctionVersion, SimFunction } from "../fleet/model";
import { runtimeOverheadMs } from "../logs/render";
import { preludeMs } from "../sim/detail";
import type { DownstreamSpan, Invocation } from "../sim/types";
import type { CauseDoc, SegmentDoc, StackFrame, SubsegmentDoc } from "./documents";
import { hexId, unit } from "./hash";

export interface TraceDocuments {
  service: SegmentDoc;
  function: SegmentDoc;
}

/** Epoch ms → epoch seconds on a microsecond grid. */
const sec = (epochMs: number) => Math.round(epochMs * 1000) / 1_000_000;

export function functionArn(fn: SimFunction, accountId: string, qualifier?: string | null): string {
  const base = `arn:aws:lambda:${fn.region}:${accountId}:function:${fn.name}`;
  return qualifier ? `${base}:${qualifier}` : base;
}

export function versionOf(fn: SimFunction, version: string): FunctionVersion {
  return fn.versions.find((v) => v.version === version) ?? fn.latest;
}

export function renderTraceDocuments(inv: Invocation, fn: SimFunction, accountId: string): TraceDocuments {
  const id = (label: string) => hexId(`${inv.traceId}/${label}`);
  // Small, stable gaps the real service shows: front-end dispatch before the function segment opens, the
  // runtime's overhead after the handler returns, and the front end closing the request.
  const dispatchMs = 0.2 + Math.round(unit(`${inv.traceId}/dispatch`) * 1000) / 1000;
  const overheadMs = runtimeOverheadMs(inv); // platform.report − platform.runtimeDone in the logs
  const closeMs = 0.1 + Math.round(unit(`${inv.traceId}/close`) * 400) / 1000;

  const serviceStart = inv.startMs;
  const fnStart = serviceStart + dispatchMs;
  const handlerStart = fnStart + preludeMs(inv);
  const handlerEnd = handlerStart + inv.durationMs;
  const fnEnd = handlerEnd + overheadMs;
  const serviceEnd = fnEnd + closeMs;

  const failed = inv.outcome !== "success";
  const cause = failed ? functionCause(inv, fn, id("exception")) : undefined;

  const subsegments: SubsegmentDoc[] = [];
  if (inv.initDurationMs !== null) {
    subsegments.push({
      id: id("init"),
      name: "Initialization",
      start_time: sec(fnStart),
      end_time: sec(fnStart + inv.initDurationMs),
      aws: { function_arn: functionArn(fn, accountId) },
    });
  }
  if (inv.restoreDurationMs != null) {
    // A SnapStart cold start: X-Ray shows the snapshot restore as `Restore` where INIT would be.
    subsegments.push({
      id: id("restore"),
      name: "Restore",
      start_time: sec(fnStart),
      end_time: sec(fnStart + inv.restoreDurationMs),
      aws: { function_arn: functionArn(fn, accountId) },
    });
  }
  const annotations: Record<string, string | number | boolean> = {
    version: inv.version,
    coldStart: inv.initDurationMs !== null || inv.restoreDurationMs != null,
  };
  if (inv.alias !== null) annotations.alias = inv.alias;
  subsegments.push({
    id: id("invocation"),
    name: "Invocation",
    start_time: sec(handlerStart),
    end_time: sec(handlerEnd),
    aws: { function_arn: functionArn(fn, accountId) },
    ...(failed && cause ? { fault: true, cause: cause.exceptions[0]?.id ?? "" } : {}),
    annotations,
    metadata: {
      fleetscope: {
        requestId: inv.requestId,
        memorySizeMb: inv.memorySizeMb,
        maxMemoryUsedMb: inv.maxMemoryUsedMb,
        billedDurationMs: inv.billedDurationMs,
        environmentId: inv.environmentId,
        outcome: inv.outcome,
      },
    },
    subsegments: inv.downstream.map((span, i) => renderDownstream(span, i, inv, accountId, handlerStart)),
  });
  subsegments.push({
    id: id("overhead"),
    name: "Overhead",
    start_time: sec(handlerEnd),
    end_time: sec(fnEnd),
  });

  const service: SegmentDoc = {
    id: id("service"),
    name: fn.name,
    trace_id: inv.traceId,
    start_time: sec(serviceStart),
    end_time: sec(serviceEnd),
    origin: "AWS::Lambda",
    // Lambda answers 200 for a function error (X-Amz-Function-Error carries it); the failure is the function's.
    http: { response: { status: 200 } },
    aws: { request_id: inv.requestId },
    resource_arn: functionArn(fn, accountId, inv.alias),
  };
  const functionSegment: SegmentDoc = {
    id: inv.segmentId,
    name: fn.name,
    trace_id: inv.traceId,
    parent_id: service.id,
    start_time: sec(fnStart),
    end_time: sec(fnEnd),
    origin: "AWS::Lambda::Function",
    resource_arn: functionArn(fn, accountId, inv.version),
    aws: {
      account_id: accountId,
      function_arn: functionArn(fn, accountId, inv.version),
      resource_names: [fn.name],
    },
    ...(cause ? { fault: true, cause } : {}),
    subsegments,
  };
  return { service, function: functionSegment };
}

const DEFAULT_FAILURE: Record<
  Exclude<Invocation["outcome"], "success">,
  { type: string; message: string }
> = {
  error: { type: "Error", message: "Unhandled error" },
  timeout: { type: "Sandbox.Timedout", message: "Task timed out" },
  oom: { type: "Runtime.OutOfMemory", message: "Runtime exited with error: signal: killed" },
};

function functionCause(inv: Invocation, fn: SimFunction, exceptionId: string): CauseDoc {
  const fallback = DEFAULT_FAILURE[inv.outcome as Exclude<Invocation["outcome"], "success">];
  const runtime = versionOf(fn, inv.version).runtime ?? "provided";
  const type = inv.errorType ?? fallback.type;
  const message =
    inv.outcome === "timeout" && inv.errorMessage === null
      ? `Task timed out after ${(inv.durationMs / 1000).toFixed(2)} seconds`
      : (inv.errorMessage ?? fallback.message);
  return {
    working_directory: "/var/task",
    exceptions: [
      {
        id: exceptionId,
        message,
        type,
        // Timeouts and OOM kills happen outside the handler's code: no stack to show.
        ...(inv.outcome === "error" ? { stack: stackFor(runtime, inv.traceId) } : {}),
      },
    ],
  };
}

function stackFor(runtime: string, traceId: string): StackFrame[] {
  const line = 10 + Math.floor(unit(`${traceId}/line`) * 180);
  if (runtime.startsWith("python")) {
    return [
      { path: "/var/task/lambda_function.py", line, label: "lambda_handler" },
      { path: "/var/task/service.py", line: line + 7, label: "process" },
    ];
  }
  if (runtime.startsWith("java")) {
    return [
      { path: "Handler.java", line, label: "com.example.Handler.handleRequest" },
      { path: "Service.java", line: line + 7, label: "com.example.Service.process" },
    ];
  }
  if (runtime.startsWith("ruby")) {
    return [{ path: "/var/task/lambda_function.rb", line, label: "lambda_handler" }];
  }
  if (runtime.startsWith("nodejs")) {
    return [
      { path: "/var/task/index.mjs", line, label: "Runtime.handler" },
      { path: "/var/task/service.mjs", line: line + 7, label: "process" },
    ];
  }
  return [{ path: "/var/task/bootstrap", line, label: "main.handler" }];
}

const AWS_NAMES = { dynamodb: "DynamoDB", s3: "S3", sqs: "SQS" } as const;

/** Exception types the AWS SDK reports for each failure class, per service. */
const AWS_EXCEPTIONS: Record<keyof typeof AWS_NAMES, Record<"error" | "throttle" | "fault", string>> = {
  dynamodb: {
    error: "ConditionalCheckFailedException",
    throttle: "ProvisionedThroughputExceededException",
    fault: "InternalServerError",
  },
  s3: { error: "NoSuchKey", throttle: "SlowDown", fault: "InternalError" },
  sqs: { error: "InvalidParameterValue", throttle: "RequestThrottled", fault: "InternalError" },
};

function renderDownstream(
  span: DownstreamSpan,
  index: number,
  inv: Invocation,
  accountId: string,
  handlerStart: number,
): SubsegmentDoc {
  const key = `${inv.traceId}/ds/${index}`;
  const status = span.httpStatus;
  const throttle = span.outcome === "throttle" || status === 429;
  const error = throttle || span.outcome === "error" || (status >= 400 && status < 500);
  const fault = span.outcome === "fault" || status >= 500;
  const flags = {
    ...(error ? { error: true } : {}),
    ...(throttle ? { throttle: true } : {}),
    ...(fault ? { fault: true } : {}),
  };
  const start = handlerStart + span.offsetMs;
  const timing = { start_time: sec(start), end_time: sec(start + span.durationMs) };

  if (span.kind === "http") {
    const host = span.resource.replace(/^https?:\/\//, "").split("/")[0] ?? span.resource;
    return {
      id: hexId(key),
      name: host,
      ...timing,
      namespace: "remote",
      http: {
        request: {
          url: `https://${host}/${span.operation.toLowerCase() === "get" ? "v1/items" : "v1/events"}`,
          method: span.operation,
        },
        response: { status },
      },
      ...flags,
    };
  }

  const failure = throttle ? "throttle" : fault ? "fault" : error ? "error" : null;
  const aws: Record<string, string | number> = {
    operation: span.operation,
    region: inv.region,
    request_id: hexId(`${key}/request`, 32).toUpperCase(),
    retries: throttle ? 2 : 0,
  };
  if (span.kind === "dynamodb") aws.table_name = span.resource;
  if (span.kind === "s3") aws.bucket_name = span.resource;
  if (span.kind === "sqs")
    aws.queue_url = `https://sqs.${inv.region}.amazonaws.com/${accountId}/${span.resource}`;
  return {
    id: hexId(key),
    name: AWS_NAMES[span.kind],
    ...timing,
    namespace: "aws",
    aws,
    http: { response: { status } },
    ...flags,
    ...(failure
      ? {
          cause: {
            exceptions: [
              {
                id: hexId(`${key}/exception`),
                message: `${AWS_EXCEPTIONS[span.kind][failure]} from ${span.operation}`,
                type: AWS_EXCEPTIONS[span.kind][failure],
                remote: true,
              },
            ],
          },
        }
      : {}),
  };
}
