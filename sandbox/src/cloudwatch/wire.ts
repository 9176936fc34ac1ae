/**
 * awsJson1_0 framing for CloudWatch: `POST /`, `X-Amz-Target: GraniteServiceVersion20100801.<Op>`, JSON in and
 * out, timestamps as epoch seconds. CloudWatch is "awsQueryCompatible": clients that send `x-amzn-query-mode: true`
 * (botocore, SDK v3) read the error code from `x-amzn-query-error: <QueryCode>;Sender`, so every modelled error
 * carries both its JSON shape name and its query-era code (botocore's cloudwatch model, `error.code`).
 */
import type { SandboxResponse } from "../http/types";

export const TARGET_PREFIX = "GraniteServiceVersion20100801.";
const CONTENT_TYPE = "application/x-amz-json-1.0";

/** JSON shape name → query-era code, from the botocore model; ValidationError is CloudWatch's unmodelled one. */
const ERRORS = {
  ValidationError: { type: "com.amazon.coral.validate#ValidationException", query: "ValidationError" },
  InvalidParameterValueException: {
    type: "com.amazonaws.cloudwatch#InvalidParameterValueException",
    query: "InvalidParameterValue",
  },
  InvalidParameterCombinationException: {
    type: "com.amazonaws.cloudwatch#InvalidParameterCombinationException",
    query: "InvalidParameterCombination",
  },
  InvalidNextToken: { type: "com.amazonaws.cloudwatch#InvalidNextToken", query: "InvalidNextToken" },
  MissingRequiredParameterException: {
    type: "com.amazonaws.cloudwatch#MissingRequiredParameterException",
    query: "MissingParameter",
  },
  SerializationException: {
    type: "com.amazon.coral.service#SerializationException",
    query: "SerializationException",
  },
} as const;

export type CloudWatchErrorCode = keyof typeof ERRORS;

/** A client error CloudWatch would answer with 400; the handler renders it. Anything else thrown is a 500. */
export class CloudWatchError extends Error {
  constructor(
    readonly code: CloudWatchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "CloudWatchError";
  }
}

export const validationError = (message: string) => new CloudWatchError("ValidationError", message);

export function jsonResponse(operation: string, body: unknown): SandboxResponse {
  return { status: 200, operation, headers: { "content-type": CONTENT_TYPE }, body: JSON.stringify(body) };
}

export function errorResponse(operation: string | undefined, err: CloudWatchError): SandboxResponse {
  const shape = ERRORS[err.code];
  return {
    status: 400,
    operation,
    headers: {
      "content-type": CONTENT_TYPE,
      "x-amzn-query-error": `${shape.query};Sender`,
    },
    body: JSON.stringify({ __type: shape.type, message: err.message }),
  };
}

/** Outside the query-compatible set: the front end's answer to a target it does not know. */
export function unknownOperation(target: string): SandboxResponse {
  return {
    status: 400,
    headers: { "content-type": CONTENT_TYPE },
    body: JSON.stringify({ __type: "UnknownOperationException", message: `Unknown operation ${target}` }),
  };
}

/** Opaque pagination tokens (base64url JSON); a token that does not decode is InvalidNextToken, as on AWS. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeToken(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new CloudWatchError("InvalidNextToken", "The service couldn't process the provided NextToken.");
  }
}

/** JSON timestamps are epoch seconds (possibly fractional); the sandbox works in epoch ms. */
export const secondsToMs = (s: number) => Math.round(s * 1000);
export const msToSeconds = (ms: number) => ms / 1000;
