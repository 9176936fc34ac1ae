/**
 * Error responses in each wire protocol's shape, so SDKs and the aws CLI parse the code as they do for AWS.
 *
 * - restJson1 (Lambda, X-Ray): status + `x-amzn-errortype: <Code>` header + JSON body with the message.
 *   Lambda's model spells the member `Message` for some errors and `message` for others; we follow the model.
 * - awsJson1_0 / 1_1 (CloudWatch, Logs, SQS): `{"__type": <Code>, "message": …}`. CloudWatch and SQS are
 *   query-compatible (`awsQueryCompatible`): clients then take the code from `x-amzn-query-error: <Code>;<Sender|Receiver>`.
 */
import type { SandboxResponse, ServiceName } from "../http/types";

/** Lambda error shapes whose message member is capitalised in the service model. */
const CAPITAL_MESSAGE = new Set(["ResourceNotFoundException", "ServiceException"]);

export function restJsonError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): SandboxResponse {
  const type = status >= 500 ? "Service" : "User";
  const messageKey = CAPITAL_MESSAGE.has(code) ? "Message" : "message";
  return {
    status,
    headers: { "content-type": "application/json", "x-amzn-errortype": code, ...headers },
    body: JSON.stringify({ Type: type, [messageKey]: message, ...extra }),
  };
}

export function awsJsonError(
  service: "monitoring" | "logs" | "sqs",
  status: number,
  code: string,
  message: string,
  queryCode?: string,
): SandboxResponse {
  const headers: Record<string, string> = {
    "content-type": service === "logs" ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0",
  };
  if (service !== "logs")
    headers["x-amzn-query-error"] = `${queryCode ?? code};${status >= 500 ? "Receiver" : "Sender"}`;
  return { status, headers, body: JSON.stringify({ __type: code, message }) };
}

/** An error for `service` in its own protocol. `queryCode` is CloudWatch's query-style code, when it differs. */
export function serviceError(
  service: ServiceName,
  status: number,
  code: string,
  message: string,
  opts: { queryCode?: string; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
): SandboxResponse {
  if (service === "monitoring" || service === "logs" || service === "sqs")
    return awsJsonError(service, status, code, message, opts.queryCode);
  return restJsonError(status, code, message, opts.extra, opts.headers);
}

/** Throttling as each service reports it (codes from the botocore models / AWS docs). */
export function throttlingError(service: ServiceName): SandboxResponse {
  switch (service) {
    case "lambda":
      return restJsonError(
        429,
        "TooManyRequestsException",
        "Rate exceeded",
        { Reason: "CallerRateLimitExceeded" },
        { "retry-after": "1" },
      );
    case "monitoring":
      return awsJsonError("monitoring", 400, "ThrottlingException", "Rate exceeded", "Throttling");
    case "logs":
      return awsJsonError("logs", 400, "ThrottlingException", "Rate exceeded");
    case "xray":
      return restJsonError(429, "ThrottledException", "Rate exceeded");
    case "sqs":
      // The SQS model: RequestThrottled, query code RequestThrottled, HTTP 403.
      return awsJsonError(
        "sqs",
        403,
        "com.amazonaws.sqs#RequestThrottled",
        "Rate exceeded",
        "RequestThrottled",
      );
  }
}

/** An internal failure (HTTP 500) as each service reports it. */
export function internalError(
  service: ServiceName,
  message = "An internal error occurred.",
): SandboxResponse {
  switch (service) {
    case "lambda":
      return restJsonError(500, "ServiceException", message);
    case "monitoring":
      return awsJsonError("monitoring", 500, "InternalServiceFault", message, "InternalServiceError");
    case "logs":
      return awsJsonError("logs", 500, "ServiceUnavailableException", message);
    case "xray":
      return restJsonError(500, "InternalFailure", message);
    case "sqs":
      return awsJsonError("sqs", 500, "InternalFailure", message);
  }
}

export const jsonResponse = (status: number, body: unknown, operation?: string): SandboxResponse => ({
  status,
  operation,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
