/**
 * The one place SDK failures become coded FleetscopeErrors. Everything above lib/aws switches on `code`.
 * We match on the error's `name` (the AWS error code the SDK deserialises) and fall back to the HTTP status,
 * because emulators and proxies do not always send a code.
 */
import { FleetscopeError, isFleetscopeError, type ErrorCode } from "@/lib/core/errors";

const BY_NAME: Readonly<Record<string, ErrorCode>> = {
  ResourceNotFoundException: "NotFound",
  NotFoundException: "NotFound",
  PreconditionFailedException: "Conflict",
  ResourceConflictException: "Conflict",
  ThrottlingException: "Throttled",
  Throttling: "Throttled",
  TooManyRequestsException: "Throttled",
  RequestLimitExceeded: "Throttled",
  LimitExceededException: "Throttled",
  AccessDeniedException: "AccessDenied",
  AccessDenied: "AccessDenied",
  InvalidParameterValueException: "InvalidInput",
  InvalidParameterException: "InvalidInput",
  ValidationException: "InvalidInput",
  InvalidRequestContentException: "InvalidInput",
  UnrecognizedClientException: "Unauthenticated",
  InvalidSignatureException: "Unauthenticated",
  ExpiredTokenException: "Unauthenticated",
  CredentialsProviderError: "Unauthenticated",
  TimeoutError: "Timeout",
  AbortError: "Timeout",
};

const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: "InvalidInput",
  401: "Unauthenticated",
  403: "AccessDenied",
  404: "NotFound",
  409: "Conflict",
  412: "Conflict",
  429: "Throttled",
};

interface SdkLikeError {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

/** Map any thrown value from an SDK call to a FleetscopeError; `context` names the call for the message. */
export function toFleetscopeError(e: unknown, context: string): FleetscopeError {
  if (isFleetscopeError(e)) return e;
  const err = (typeof e === "object" && e !== null ? e : {}) as SdkLikeError;
  const name = typeof err.name === "string" ? err.name : "Error";
  const status = typeof err.$metadata?.httpStatusCode === "number" ? err.$metadata.httpStatusCode : undefined;
  const code = BY_NAME[name] ?? (status !== undefined ? BY_STATUS[status] : undefined) ?? "Unavailable";
  const message = typeof err.message === "string" && err.message ? err.message : name;
  return new FleetscopeError(
    code,
    `${context}: ${message}`,
    {
      awsCode: name,
      ...(status !== undefined ? { httpStatus: status } : {}),
      ...(typeof err.$metadata?.requestId === "string" ? { awsRequestId: err.$metadata.requestId } : {}),
    },
    { cause: e },
  );
}

/** Run one SDK call and map its failure. */
export async function mapAwsErrors<T>(context: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw toFleetscopeError(e, context);
  }
}
