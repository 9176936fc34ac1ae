/**
 * awsJson1_0 framing for SQS: `POST /`, `X-Amz-Target: AmazonSQS.<Op>`, `Content-Type: application/x-amz-json-1.0`.
 * SQS is "awsQueryCompatible": clients that send `x-amzn-query-mode: true` (botocore, SDK v3) read the error code
 * from `x-amzn-query-error: <QueryCode>;Sender|Receiver`, so every modelled error carries its JSON shape
 * (`__type: com.amazonaws.sqs#<Shape>`) and its query-era code and status, as the SQS model (@aws-sdk/client-sqs
 * schemas, `awsQueryError`) and the guide's "Interpreting Amazon SQS JSON API responses" example give them.
 */
import type { SandboxResponse } from "../http/types";

export const TARGET_PREFIX = "AmazonSQS.";
const CONTENT_TYPE = "application/x-amz-json-1.0";

interface ErrorShape {
  type: string;
  query: string;
  status: number;
}

/** Shape → `__type`, query code and HTTP status (the model's `awsQueryError` trait, or the common errors page). */
const ERRORS = {
  QueueDoesNotExist: {
    type: "com.amazonaws.sqs#QueueDoesNotExist",
    query: "AWS.SimpleQueueService.NonExistentQueue",
    status: 400,
  },
  InvalidAddress: { type: "com.amazonaws.sqs#InvalidAddress", query: "InvalidAddress", status: 404 },
  InvalidAttributeName: {
    type: "com.amazonaws.sqs#InvalidAttributeName",
    query: "InvalidAttributeName",
    status: 400,
  },
  RequestThrottled: { type: "com.amazonaws.sqs#RequestThrottled", query: "RequestThrottled", status: 403 },
  // Not modelled shapes: the common errors (APIReference/CommonErrors.html), code = query code.
  InvalidParameterValue: { type: "InvalidParameterValue", query: "InvalidParameterValue", status: 400 },
  MissingParameter: { type: "MissingParameter", query: "MissingParameter", status: 400 },
  InternalFailure: { type: "InternalFailure", query: "InternalFailure", status: 500 },
  SerializationException: {
    type: "com.amazon.coral.service#SerializationException",
    query: "SerializationException",
    status: 400,
  },
} as const satisfies Record<string, ErrorShape>;

export type SqsErrorCode = keyof typeof ERRORS;

/** A failure SQS would answer with its JSON error; the handler renders it. Anything else thrown is a 500. */
export class SqsError extends Error {
  constructor(
    readonly code: SqsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SqsError";
  }
}

export function jsonResponse(operation: string, body: unknown): SandboxResponse {
  return { status: 200, operation, headers: { "content-type": CONTENT_TYPE }, body: JSON.stringify(body) };
}

export function errorResponse(operation: string | undefined, err: SqsError): SandboxResponse {
  const shape: ErrorShape = ERRORS[err.code];
  return {
    status: shape.status,
    operation,
    headers: {
      "content-type": CONTENT_TYPE,
      "x-amzn-query-error": `${shape.query};${shape.status >= 500 ? "Receiver" : "Sender"}`,
    },
    body: JSON.stringify({ __type: shape.type, message: err.message }),
  };
}

/** Outside the query-compatible set: the JSON front end's answer to a target it does not know (as CloudWatch's). */
export function unknownOperation(target: string): SandboxResponse {
  return {
    status: 400,
    headers: { "content-type": CONTENT_TYPE },
    body: JSON.stringify({ __type: "UnknownOperationException", message: `Unknown operation ${target}` }),
  };
}

/** Opaque ListQueues tokens (base64url of the last name returned). */
export const encodeToken = (lastName: string) =>
  Buffer.from(JSON.stringify({ after: lastName })).toString("base64url");

export function decodeToken(token: string): string {
  try {
    const v: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof v === "object" && v !== null && typeof (v as { after?: unknown }).after === "string")
      return (v as { after: string }).after;
  } catch {
    // fall through: not ours
  }
  throw new SqsError("InvalidParameterValue", "Invalid NextToken value.");
}
