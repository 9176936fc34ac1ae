/**
 * Error types and messages as Lambda runtimes report them. Timeouts and OOM kills use the platform's own
 * wording (the REPORT/log renderers depend on it); function errors are picked per runtime family.
 */
import type { Rng } from "./random";

export interface Failure {
  errorType: string;
  errorMessage: string;
}

export function timeoutFailure(timeoutSeconds: number): Failure {
  return {
    errorType: "Sandbox.Timedout",
    errorMessage: `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  };
}

export const OOM_FAILURE: Failure = {
  errorType: "Runtime.OutOfMemory",
  errorMessage: "Runtime exited with error: signal: killed",
};

const NODE: Failure[] = [
  {
    errorType: "TypeError",
    errorMessage:
      "Cannot read properties of undefined (reading 'customerId')\n    at handler (/var/task/index.js:42:27)\n    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)",
  },
  {
    errorType: "ValidationError",
    errorMessage: "body.amount must be a positive integer\n    at validate (/var/task/src/validate.js:18:11)",
  },
  {
    errorType: "Error",
    errorMessage:
      "Downstream request failed with status 503\n    at callUpstream (/var/task/src/client.js:77:13)",
  },
  { errorType: "SyntaxError", errorMessage: "Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON" },
];
const PYTHON: Failure[] = [
  { errorType: "KeyError", errorMessage: "'customer_id'" },
  { errorType: "ValueError", errorMessage: "invalid literal for int() with base 10: 'abc'" },
  {
    errorType: "ClientError",
    errorMessage:
      "An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: The conditional request failed",
  },
  {
    errorType: "ValidationError",
    errorMessage: "1 validation error for OrderRequest\namount\n  Input should be greater than 0",
  },
];
const JAVA: Failure[] = [
  {
    errorType: "java.lang.NullPointerException",
    errorMessage: 'Cannot invoke "String.length()" because "name" is null',
  },
  { errorType: "java.lang.IllegalArgumentException", errorMessage: "Invalid phone number: +1-555" },
  {
    errorType: "software.amazon.awssdk.services.sns.model.SnsException",
    errorMessage: "Rate exceeded (Service: Sns, Status Code: 400)",
  },
];
const RUBY: Failure[] = [
  { errorType: "NoMethodError", errorMessage: "undefined method `[]' for nil:NilClass" },
  { errorType: "ArgumentError", errorMessage: 'invalid value for Integer(): "abc"' },
];
const GENERIC: Failure[] = [
  { errorType: "Runtime.ExitError", errorMessage: "RequestId: handler exited with status 1" },
  { errorType: "HandlerError", errorMessage: "validation failed: missing field 'id'" },
];

export function functionFailure(runtime: string | null, rng: Rng): Failure {
  const r = runtime ?? "";
  const list = r.startsWith("nodejs")
    ? NODE
    : r.startsWith("python")
      ? PYTHON
      : r.startsWith("java")
        ? JAVA
        : r.startsWith("ruby")
          ? RUBY
          : GENERIC;
  return list[Math.floor(rng.next() * list.length)]!;
}
