/**
 * awsJson1_1 framing for CloudWatch Logs: `X-Amz-Target: Logs_20140328.<Op>`, JSON in and out, errors as
 * `{"__type": code, "message": …}` with status 400 (the shapes botocore's `logs` model declares).
 */
import type { SandboxResponse } from "../http/types";

export const TARGET_PREFIX = "Logs_20140328.";
const CONTENT_TYPE = "application/x-amz-json-1.1";

export type LogsErrorCode =
  | "InvalidParameterException"
  | "ResourceNotFoundException"
  | "MalformedQueryException"
  | "LimitExceededException"
  | "UnknownOperationException"
  | "SerializationException"
  | "ValidationException";

/** A modelled error: the handler turns it into AWS's error body. Anything else is a 500. */
export class LogsError extends Error {
  constructor(
    readonly code: LogsErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const groupNotFound = (): LogsError =>
  new LogsError("ResourceNotFoundException", "The specified log group does not exist.");

export function jsonResponse(operation: string, body: unknown): SandboxResponse {
  return {
    status: 200,
    operation,
    headers: { "content-type": CONTENT_TYPE },
    body: JSON.stringify(body),
  };
}

export function errorResponse(operation: string | undefined, err: LogsError): SandboxResponse {
  return {
    status: 400,
    operation,
    headers: { "content-type": CONTENT_TYPE, "x-amzn-errortype": err.code },
    body: JSON.stringify({ __type: err.code, message: err.message, ...err.extra }),
  };
}

/** Opaque pagination tokens: base64url JSON, rejected as AWS does when tampered with. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeToken(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new LogsError("InvalidParameterException", "The specified nextToken is invalid.");
  }
}
