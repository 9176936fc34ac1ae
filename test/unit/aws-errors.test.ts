/**
 * The one mapping of AWS failures to coded errors, on errors shaped as the SDK throws them (name = AWS error
 * code, $metadata.httpStatusCode). The same mapping is exercised over HTTP in
 * test/integration/unexpected-shape.test.ts.
 */
import { describe, expect, it } from "vitest";
import { toFleetscopeError } from "@/lib/aws/errors";

const sdkError = (name: string, status: number | undefined, message = "boom", extra: object = {}) =>
  Object.assign(new Error(message), {
    name,
    $metadata: status === undefined ? {} : { httpStatusCode: status, requestId: "req-1" },
    ...extra,
  });

describe("toFleetscopeError: unknown and unimplemented operations", () => {
  it.each([
    ["UnknownOperationException", 400, "does not know this operation"],
    ["InvalidAction", 400, "Query-protocol answer to an unknown action"],
    ["NotImplemented", 501, "has not implemented this operation"],
    ["InternalFailure", 501, "has not implemented this operation (HTTP 501)"],
    ["Unknown", 404, "HTTP 404 without an AWS error code"],
    ["SyntaxError", 404, "HTTP 404 without an AWS error code"],
  ])(
    "maps %s (HTTP %s) to Unsupported with the code and its meaning, never NotFound",
    (name, status, meaning) => {
      const e = toFleetscopeError(sdkError(name, status, "nope"), "Logs StartQuery");
      expect(e.code).toBe("Unsupported");
      expect(e.message).toContain(`Logs StartQuery: ${name}: nope — `);
      expect(e.message).toContain(meaning);
      expect(e.details).toMatchObject({ awsCode: name, httpStatus: status });
    },
  );

  it("keeps a real missing resource NotFound (AWS always names it)", () => {
    const e = toFleetscopeError(
      sdkError("ResourceNotFoundException", 400, "log group does not exist"),
      "Logs StartQuery",
    );
    expect(e.code).toBe("NotFound");
    expect(e.message).toBe(
      "Logs StartQuery: ResourceNotFoundException: log group does not exist — the resource does not exist",
    );
  });

  it("keeps an invalid security token an authentication failure, not an unknown operation", () => {
    expect(toFleetscopeError(sdkError("UnrecognizedClientException", 400), "Lambda GetFunction").code).toBe(
      "Unauthenticated",
    );
  });

  it("maps a 500 without a code to Unavailable", () => {
    expect(toFleetscopeError(sdkError("InternalFailure", 500), "X-Ray GetTraceSummaries").code).toBe(
      "Unavailable",
    );
  });
});

describe("toFleetscopeError: quotas are named", () => {
  it("names the Logs Insights concurrent-query quota for StartQuery's LimitExceededException", () => {
    const e = toFleetscopeError(sdkError("LimitExceededException", 400, "Limit exceeded"), "Logs StartQuery");
    expect(e.code).toBe("Throttled");
    expect(e.message).toBe(
      "Logs StartQuery: LimitExceededException: Limit exceeded — quota reached: concurrent Logs Insights " +
        "queries per account and Region (30 by default, dashboard queries included)",
    );
    expect(e.details?.quota).toContain("concurrent Logs Insights queries");
  });

  it("names the per-operation rate quota for throttling", () => {
    const e = toFleetscopeError(
      sdkError("ThrottlingException", 400, "Rate exceeded"),
      "Logs GetQueryResults",
    );
    expect(e.details?.quota).toBe("Logs GetQueryResults requests per second per account and Region");
    expect(toFleetscopeError(sdkError("Throttling", 400), "CloudWatch GetMetricData").details?.quota).toBe(
      "CloudWatch GetMetricData requests per second per account and Region",
    );
    expect(
      toFleetscopeError(sdkError("ThrottlingException", 400), "CloudWatch Logs FilterLogEvents /aws/lambda/a")
        .details?.quota,
    ).toBe("CloudWatch Logs FilterLogEvents requests per second per account and Region");
  });

  it("names Lambda's quota from TooManyRequestsException's Reason", () => {
    const e = toFleetscopeError(
      sdkError("TooManyRequestsException", 429, "Rate exceeded", { Reason: "CallerRateLimitExceeded" }),
      "Lambda ListFunctions",
    );
    expect(e.code).toBe("Throttled");
    expect(e.message).toContain("TooManyRequestsException (CallerRateLimitExceeded): Rate exceeded");
    expect(e.message).toContain("quota reached: Lambda control-plane API requests per second");
    expect(
      toFleetscopeError(
        sdkError("TooManyRequestsException", 429, "x", { Reason: "ConcurrentInvocationLimitExceeded" }),
        "Lambda Invoke",
      ).details?.quota,
    ).toBe("Lambda concurrent executions per account and Region (1,000 by default)");
  });
});

describe("toFleetscopeError: timeouts and abandoned calls", () => {
  it("maps the HTTP handler's request timeout to Timeout, naming the call and the timeout without the package prefix", () => {
    const e = toFleetscopeError(
      sdkError(
        "TimeoutError",
        undefined,
        "@smithy/node-http-handler - [ERROR] a request has exceeded the configured 300 ms requestTimeout.",
      ),
      "Lambda GetAlias payments-api:live",
    );
    expect(e.code).toBe("Timeout");
    expect(e.message).toBe(
      "Lambda GetAlias payments-api:live: TimeoutError: a request has exceeded the configured 300 ms requestTimeout. — the call did not answer in time",
    );
  });

  it("says an aborted call was abandoned, not that AWS was slow", () => {
    const e = toFleetscopeError(
      sdkError("AbortError", undefined, "Request aborted"),
      "Lambda UpdateAlias f:live",
    );
    expect(e.code).toBe("Timeout");
    expect(e.message).toContain(
      "Lambda UpdateAlias f:live: AbortError: Request aborted — the call was abandoned",
    );
  });
});
