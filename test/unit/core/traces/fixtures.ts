/**
 * Segment documents as Lambda and the X-Ray SDK write them, hand-built for unit tests (the sandbox's renderer is
 * an independent implementation, exercised through HTTP in the integration and e2e tests).
 */
import type { RawSegment } from "@/lib/core/traces/types";

export const TRACE_ID = "1-6921f6c0-0123456789abcdef01234567";
export const REQUEST_ID = "8f5e4c2a-1b3d-4e6f-8a9b-0c1d2e3f4a5b";
const ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders-api";
/** 2026-11-22T17:49:20Z in epoch seconds. */
export const T0 = 1_763_833_760;

export interface LambdaTraceOptions {
  initMs?: number | null;
  handlerMs?: number;
  failed?: boolean;
  alias?: string | null;
  version?: string;
}

/** The two documents of one Lambda invocation: `AWS::Lambda` service segment and `AWS::Lambda::Function`. */
export function lambdaTrace({
  initMs = 145.12,
  handlerMs = 102.25,
  failed = false,
  alias = "live",
  version = "8",
}: LambdaTraceOptions = {}) {
  const s = (ms: number) => Math.round((T0 + ms / 1000) * 1e6) / 1e6;
  const fnStart = 0.4;
  const handlerStart = fnStart + (initMs ?? 0);
  const handlerEnd = handlerStart + handlerMs;
  const fnEnd = handlerEnd + 1.2;
  const service = {
    id: "aaaaaaaaaaaaaaa1",
    name: "orders-api",
    trace_id: TRACE_ID,
    start_time: s(0),
    end_time: s(fnEnd + 0.3),
    origin: "AWS::Lambda",
    http: { response: { status: 200 } },
    aws: { request_id: REQUEST_ID },
    resource_arn: alias ? `${ARN}:${alias}` : ARN,
  };
  const subsegments: unknown[] = [];
  if (initMs !== null) {
    subsegments.push({
      id: "bbbbbbbbbbbbbbb1",
      name: "Initialization",
      start_time: s(fnStart),
      end_time: s(fnStart + initMs),
    });
  }
  subsegments.push({
    id: "bbbbbbbbbbbbbbb2",
    name: "Invocation",
    start_time: s(handlerStart),
    end_time: s(handlerEnd),
    annotations: { version, coldStart: initMs !== null, ...(alias ? { alias } : {}) },
    ...(failed ? { fault: true, cause: "eeeeeeeeeeeeeee1" } : {}),
    subsegments: [
      {
        id: "ccccccccccccccc1",
        name: "DynamoDB",
        namespace: "aws",
        start_time: s(handlerStart + 5),
        end_time: s(handlerStart + 35),
        aws: { operation: "GetItem", table_name: "orders" },
        http: { response: { status: 200 } },
      },
      {
        id: "ccccccccccccccc2",
        name: "api.stripe.com",
        namespace: "remote",
        start_time: s(handlerStart + 40),
        end_time: s(handlerStart + 95),
        http: {
          request: { method: "POST", url: "https://api.stripe.com/v1/charges" },
          response: { status: 429 },
        },
        error: true,
        throttle: true,
      },
    ],
  });
  subsegments.push({
    id: "bbbbbbbbbbbbbbb3",
    name: "Overhead",
    start_time: s(handlerEnd),
    end_time: s(fnEnd),
  });
  const fn = {
    id: "ddddddddddddddd1",
    name: "orders-api",
    trace_id: TRACE_ID,
    parent_id: service.id,
    start_time: s(fnStart),
    end_time: s(fnEnd),
    origin: "AWS::Lambda::Function",
    resource_arn: `${ARN}:${version}`,
    ...(failed
      ? {
          fault: true,
          cause: {
            working_directory: "/var/task",
            exceptions: [
              {
                id: "eeeeeeeeeeeeeee1",
                type: "PaymentDeclined",
                message: "card declined",
                stack: [{ path: "/var/task/index.mjs", line: 42, label: "Runtime.handler" }],
              },
            ],
          },
        }
      : {}),
    subsegments,
  };
  return { service, fn };
}

export const raw = (...docs: unknown[]): RawSegment[] =>
  docs.map((d, i) => ({
    id: typeof d === "object" && d !== null && "id" in d ? String(d.id) : `seg${i}`,
    document: typeof d === "string" ? d : JSON.stringify(d),
  }));

/**
 * A synthetic trace of `n` spans, one segment document each, linked by parent_id (X-Ray caps a document at
 * 64 KB, so big traces are many documents): a mix of fan-out and nesting (every `depthEvery`-th span opens a
 * deeper level), so the layout sees both wide and deep shapes. `depthEvery` = 1 gives one n-deep chain.
 */
export function syntheticTrace(n: number, depthEvery = 10): RawSegment[] {
  const out: RawSegment[] = [];
  let parent: string | null = null;
  for (let i = 0; i < n; i++) {
    const id = i.toString(16).padStart(16, "0");
    const start = T0 + i / 1000;
    const doc = {
      id,
      name: i === 0 ? "root" : `span-${i}`,
      trace_id: TRACE_ID,
      start_time: start,
      end_time: i === 0 ? T0 + n / 1000 + 1 : start + 0.5 + (i % 7) / 100,
      ...(parent !== null ? { parent_id: parent } : {}),
      ...(i % 97 === 0 ? { fault: true } : {}),
    };
    out.push({ id, document: JSON.stringify(doc) });
    if (i === 0 || i % depthEvery === 0) parent = id;
  }
  return out;
}
