/**
 * The one place SDK failures become coded FleetscopeErrors. Everything above lib/aws switches on `code`.
 * We match on the error's `name` (the AWS error code the SDK deserialises) and fall back to the HTTP status,
 * because emulators and proxies do not always send a code.
 *
 * Invariants:
 * - An endpoint that does not implement an operation is `Unsupported`, never `NotFound`: callers treat NotFound
 *   as "this resource does not exist" (the Logs adapter drops such a log group), which would turn an
 *   unimplemented API into silent zeros. AWS answers an unknown action with `UnknownOperationException` (JSON
 *   protocols) or `InvalidAction` (Query protocol); emulators answer HTTP 501 (LocalStack: `InternalFailure`,
 *   "not yet implemented") or a bare 404 with no AWS error code, which no AWS service sends for a missing
 *   resource (those always carry a code such as ResourceNotFoundException).
 * - Every message keeps the AWS error code and says what it means in words; a quota error names the quota.
 * - `details.awsCode` is the AWS error code as received, for logs and support.
 */
import { FleetscopeError, isFleetscopeError, type ErrorCode } from "@/lib/core/errors";

const BY_NAME: Readonly<Record<string, ErrorCode>> = {
  ResourceNotFoundException: "NotFound",
  NotFoundException: "NotFound",
  PreconditionFailedException: "Conflict",
  ResourceConflictException: "Conflict",
  ThrottlingException: "Throttled",
  Throttling: "Throttled",
  ThrottledException: "Throttled",
  TooManyRequestsException: "Throttled",
  RequestLimitExceeded: "Throttled",
  // Logs' StartQuery answers this past the concurrent-query quota: waiting is the remedy, as for throttling.
  LimitExceededException: "Throttled",
  AccessDeniedException: "AccessDenied",
  AccessDenied: "AccessDenied",
  InvalidParameterValueException: "InvalidInput",
  InvalidParameterException: "InvalidInput",
  ValidationException: "InvalidInput",
  InvalidRequestContentException: "InvalidInput",
  // "The security token included in the request is invalid": bad credentials, not an unknown operation.
  UnrecognizedClientException: "Unauthenticated",
  InvalidSignatureException: "Unauthenticated",
  ExpiredTokenException: "Unauthenticated",
  CredentialsProviderError: "Unauthenticated",
  // SQS (awsJson1_0, query-compatible): the SDK names errors by their model shape.
  QueueDoesNotExist: "NotFound",
  RequestThrottled: "Throttled",
  InvalidAddress: "InvalidInput",
  InvalidAttributeName: "InvalidInput",
  InvalidSecurity: "AccessDenied",
  TimeoutError: "Timeout",
  AbortError: "Timeout",
  // STS (awsQuery) names a malformed RoleArn, session name or duration this way.
  ValidationError: "InvalidInput",
  // Organizations, called from an account outside any organization: a configuration problem, not a failure.
  AWSOrganizationsNotInUseException: "InvalidInput",
};

/** Codes whose usual words would mislead: what they mean instead. */
const MEANING_BY_NAME: Readonly<Record<string, string>> = {
  AWSOrganizationsNotInUseException:
    "this account is not in an organization (FLEETSCOPE_ORGANIZATION_ROLE_NAME needs the management or a delegated administrator account)",
};

/**
 * STS answers ExpiredTokenException when the credentials that call it (a role session, for role chaining) have
 * expired: the caller may not act until it gets new ones, which is AccessDenied for the account it was reaching.
 * Elsewhere the same code keeps its general meaning (Unauthenticated).
 */
const BY_NAME_IN_STS: Readonly<Record<string, { code: ErrorCode; meaning: string }>> = {
  ExpiredTokenException: { code: "AccessDenied", meaning: "the security token has expired" },
};

/** Codes that mean "this endpoint does not implement the operation", with what each says. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  UnknownOperationException:
    "the endpoint does not know this operation (the JSON-protocol answer to an unknown action)",
  InvalidAction: "the endpoint does not know this action (the Query-protocol answer to an unknown action)",
  NotImplemented: "the endpoint has not implemented this operation",
  NotImplementedException: "the endpoint has not implemented this operation",
  UnsupportedOperation: "the endpoint does not support this operation",
  UnsupportedOperationException: "the endpoint does not support this operation",
};

const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: "InvalidInput",
  401: "Unauthenticated",
  403: "AccessDenied",
  409: "Conflict",
  412: "Conflict",
  429: "Throttled",
};

/** Plain words for the codes we map, so a degraded panel says what happened, not only a code. */
const MEANING: Readonly<Partial<Record<ErrorCode, string>>> = {
  NotFound: "the resource does not exist",
  AccessDenied: "the credentials are not allowed to make this call",
  InvalidInput: "the request was rejected as invalid",
  Conflict: "the resource changed or is in use",
  Unauthenticated: "the credentials are missing, invalid or expired",
  Timeout: "the call did not answer in time",
};

/** Lambda's TooManyRequestsException `Reason` → the quota it hit (Lambda quotas page; ThrottleReason enum). */
const LAMBDA_REASONS: Readonly<Record<string, string>> = {
  ConcurrentInvocationLimitExceeded: "Lambda concurrent executions per account and Region (1,000 by default)",
  FunctionInvocationRateLimitExceeded:
    "Lambda invocation requests per second per function (10 × its concurrency)",
  ReservedFunctionConcurrentInvocationLimitExceeded: "the function's reserved concurrency",
  ReservedFunctionInvocationRateLimitExceeded:
    "invocation requests per second for the function (10 × its reserved concurrency)",
  CallerRateLimitExceeded:
    "Lambda control-plane API requests per second per account and Region (about 15, shared with deployments)",
  ConcurrentSnapshotCreateLimitExceeded: "concurrent SnapStart snapshot creations",
};

/** `context` is "<Service> <Operation> [detail]" (see the adapters); the operation names a rate quota. */
function serviceAndOperation(context: string): { service: string; operation: string } {
  const m = /^(CloudWatch Logs|CloudWatch|Logs|Lambda|X-Ray|SQS|STS|Organizations)\s+(\S+)/.exec(context);
  return m ? { service: m[1] as string, operation: m[2] as string } : { service: context, operation: "API" };
}

/** The quota a throttling answer means, in words (AWS quotas pages; the StartQuery API reference for 30). */
function quotaOf(name: string, context: string, reason: string | undefined): string {
  const { service, operation } = serviceAndOperation(context);
  if (name === "LimitExceededException" && operation === "StartQuery")
    return "concurrent Logs Insights queries per account and Region (30 by default, dashboard queries included)";
  if (name === "LimitExceededException") return `a ${service} resource quota of the account and Region`;
  if (service === "Lambda")
    return (
      (reason !== undefined ? LAMBDA_REASONS[reason] : undefined) ??
      (LAMBDA_REASONS.CallerRateLimitExceeded as string)
    );
  return `${service} ${operation} requests per second per account and Region`;
}

interface SdkLikeError {
  name?: unknown;
  message?: unknown;
  Reason?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

function classify(
  name: string,
  status: number | undefined,
  context: string,
): { code: ErrorCode; meaning?: string } {
  const unsupported = UNSUPPORTED[name];
  if (unsupported !== undefined) return { code: "Unsupported", meaning: unsupported };
  const inSts =
    context.startsWith("STS ") && Object.hasOwn(BY_NAME_IN_STS, name) ? BY_NAME_IN_STS[name] : undefined;
  if (inSts !== undefined) return inSts;
  const byName = BY_NAME[name];
  if (byName !== undefined)
    return {
      code: byName,
      ...(Object.hasOwn(MEANING_BY_NAME, name) ? { meaning: MEANING_BY_NAME[name] } : {}),
    };
  if (status === 501)
    return { code: "Unsupported", meaning: "the endpoint has not implemented this operation (HTTP 501)" };
  if (status === 404)
    return {
      code: "Unsupported",
      meaning: "the endpoint answered HTTP 404 without an AWS error code: it does not serve this operation",
    };
  return { code: (status !== undefined ? BY_STATUS[status] : undefined) ?? "Unavailable" };
}

/** Map any thrown value from an SDK call to a FleetscopeError; `context` names the call ("Logs StartQuery"). */
export function toFleetscopeError(e: unknown, context: string): FleetscopeError {
  if (isFleetscopeError(e)) return e;
  const err = (typeof e === "object" && e !== null ? e : {}) as SdkLikeError;
  const name = typeof err.name === "string" ? err.name : "Error";
  const status = typeof err.$metadata?.httpStatusCode === "number" ? err.$metadata.httpStatusCode : undefined;
  const reason = typeof err.Reason === "string" ? err.Reason : undefined;
  const { code, meaning } = classify(name, status, context);
  // The HTTP handler prefixes its timeouts with its package name: the configured timeout is the useful part.
  const message = (typeof err.message === "string" && err.message ? err.message : name).replace(
    /^@smithy\/node-http-handler - (\[ERROR\] )?/,
    "",
  );
  const quota = code === "Throttled" ? quotaOf(name, context, reason) : null;
  const words =
    quota !== null
      ? `quota reached: ${quota}`
      : name === "AbortError"
        ? "the call was abandoned (its caller's deadline passed or it was cancelled)"
        : (meaning ?? MEANING[code]);
  return new FleetscopeError(
    code,
    `${context}: ${name}${reason ? ` (${reason})` : ""}: ${message}${words ? ` — ${words}` : ""}`,
    {
      awsCode: name,
      ...(status !== undefined ? { httpStatus: status } : {}),
      ...(typeof err.$metadata?.requestId === "string" ? { awsRequestId: err.$metadata.requestId } : {}),
      ...(quota !== null ? { quota } : {}),
      ...(reason !== undefined ? { reason } : {}),
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

/**
 * A failed AssumeRole (the credential provider of an account's clients) as the user can act on it: which role,
 * what AWS answered, and what to check. Every call through that account's clients fails with this error.
 */
export function assumeRoleError(e: unknown, roleArn: string, externalIdSet: boolean): FleetscopeError {
  const context = `STS AssumeRole ${roleArn}`;
  const mapped = toFleetscopeError(e, context);
  const awsCode = typeof mapped.details?.awsCode === "string" ? mapped.details.awsCode : mapped.code;
  // What AWS (or the HTTP handler) said, without our context and words: "<context>: <code>: <said> — <words>".
  const said = mapped.message
    .slice(mapped.message.startsWith(`${context}: `) ? context.length + 2 : 0)
    .replace(`${awsCode}: `, "")
    .replace(/ — [^—]*$/, "");
  const hint =
    mapped.code === "AccessDenied"
      ? `check the role's trust policy and FLEETSCOPE_ROLE_EXTERNAL_ID${externalIdSet ? "" : ", which is not set"}`
      : mapped.code === "InvalidInput"
        ? "check the role ARN, FLEETSCOPE_ROLE_SESSION_NAME and the role's maximum session duration"
        : mapped.code === "Unauthenticated"
          ? "check the console's own AWS credentials"
          : mapped.code === "Timeout"
            ? "STS did not answer in time; the next call tries again"
            : "STS failed; the next call tries again";
  return new FleetscopeError(
    mapped.code,
    `Fleetscope could not assume ${roleArn}: ${awsCode} — ${hint} (${said})`,
    { ...mapped.details, roleArn },
    { cause: e },
  );
}
