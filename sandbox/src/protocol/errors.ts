/**
 * Error responses in each wire protocol's shape, so SDKs and the aws CLI parse the code as they do for AWS.
 *
 * - restJson1 (Lambda, X-Ray): status + `x-amzn-errortype: <Code>` header + JSON body with the message.
 *   Lambda's model spells the member `Message` for some errors and `message` for others; we follow the model.
 * - awsJson1_0 / 1_1 (CloudWatch, Logs, SQS): `{"__type": <Code>, "message": …}`. CloudWatch and SQS are
 *   query-compatible (`awsQueryCompatible`): clients then take the code from `x-amzn-query-error: <Code>;<Sender|Receiver>`.
 * - awsQuery (STS): XML `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 * - Organizations (awsJson1_1): `{"__type": <Code>, "Message": …}` — its model capitalises the member.
 */
import { randomUUID } from "node:crypto";
import type { RoutedService, SandboxResponse, ServiceName } from "../http/types";

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

const XML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};
export const xmlEscape = (s: string): string => s.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);

export const STS_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

/** An awsQuery error as STS writes it (botocore and the JS SDK read Code and Message from the XML). */
export function queryXmlError(status: number, code: string, message: string): SandboxResponse {
  const type = status >= 500 ? "Receiver" : "Sender";
  return {
    status,
    headers: { "content-type": "text/xml" },
    body:
      `<ErrorResponse xmlns="${STS_XMLNS}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code>` +
      `<Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

/** An Organizations error (awsJson1_1, capitalised `Message`; InvalidInputException also carries a Reason). */
export function organizationsError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SandboxResponse {
  return {
    status,
    headers: { "content-type": "application/x-amz-json-1.1" },
    body: JSON.stringify({ __type: code, Message: message, ...extra }),
  };
}

/** An error for `service` in its own protocol. `queryCode` is CloudWatch's query-style code, when it differs. */
export function serviceError(
  service: RoutedService,
  status: number,
  code: string,
  message: string,
  opts: { queryCode?: string; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
): SandboxResponse {
  if (service === "sts") return queryXmlError(status, code, message);
  if (service === "organizations") return organizationsError(status, code, message, opts.extra);
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
  service: RoutedService,
  message = "An internal error occurred.",
): SandboxResponse {
  switch (service) {
    case "sts":
      return queryXmlError(500, "InternalFailure", message);
    case "organizations":
      return organizationsError(500, "ServiceException", message);
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
