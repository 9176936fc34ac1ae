import { describe, expect, it } from "vitest";
import type { SubsegmentDoc } from "../../src/xray/documents";
import { renderTraceDocuments } from "../../src/xray/segments";
import { ACCOUNT, invocation, simFunction } from "./xray-fixtures";

const fn = simFunction();
const ms = (s: { start_time: number; end_time?: number }) =>
  Math.round(((s.end_time ?? NaN) - s.start_time) * 1e5) / 1e2;
const sub = (subs: SubsegmentDoc[] | undefined, name: string) => subs?.find((s) => s.name === name);

describe("renderTraceDocuments", () => {
  it("renders the service and function segments as Lambda does", () => {
    const inv = invocation();
    const { service, function: f } = renderTraceDocuments(inv, fn, ACCOUNT);
    expect(service).toMatchObject({
      name: "payments-api",
      origin: "AWS::Lambda",
      trace_id: inv.traceId,
      http: { response: { status: 200 } },
      aws: { request_id: inv.requestId },
      resource_arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:payments-api:live`,
    });
    expect(service.parent_id).toBeUndefined();
    expect(f).toMatchObject({
      id: inv.segmentId,
      parent_id: service.id,
      origin: "AWS::Lambda::Function",
      resource_arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:payments-api:7`,
    });
    expect(service.id).toMatch(/^[0-9a-f]{16}$/);
    expect(service.id).not.toBe(f.id);
    expect(f.fault).toBeUndefined();
  });

  it("uses the unqualified ARN when invoked without an alias", () => {
    const { service, function: f } = renderTraceDocuments(
      invocation({ alias: null, version: "$LATEST" }),
      fn,
      ACCOUNT,
    );
    expect(service.resource_arn).toBe(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:payments-api`);
    expect(f.resource_arn).toBe(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:payments-api:$LATEST`);
    const annotations = sub(f.subsegments, "Invocation")?.annotations;
    expect(annotations).toEqual({ version: "$LATEST", coldStart: false });
  });

  it("has an Initialization subsegment lasting exactly the REPORT line's Init Duration on cold starts", () => {
    for (const init of [145.12, 0.01, 2999.99, 1234.5]) {
      const inv = invocation({ initDurationMs: init, durationMs: 88.88 });
      const { service, function: f } = renderTraceDocuments(inv, fn, ACCOUNT);
      const names = f.subsegments?.map((s) => s.name);
      expect(names).toEqual(["Initialization", "Invocation", "Overhead"]);
      const initSeg = sub(f.subsegments, "Initialization")!;
      const invSeg = sub(f.subsegments, "Invocation")!;
      expect(ms(initSeg)).toBe(init);
      expect(ms(invSeg)).toBe(88.88);
      // Back to back, inside the function segment, inside the service segment.
      expect(invSeg.start_time).toBe(initSeg.end_time);
      expect(initSeg.start_time).toBe(f.start_time);
      expect(f.start_time).toBeGreaterThanOrEqual(service.start_time);
      expect(f.end_time!).toBeLessThanOrEqual(service.end_time!);
      // The service segment covers init + handler + overhead.
      expect(ms(service)).toBeGreaterThan(init + 88.88);
      expect(service.start_time).toBe(inv.startMs / 1000);
      expect(invSeg.annotations?.coldStart).toBe(true);
    }
  });

  it("has no Initialization subsegment on warm invocations", () => {
    const { function: f } = renderTraceDocuments(invocation(), fn, ACCOUNT);
    expect(f.subsegments?.map((s) => s.name)).toEqual(["Invocation", "Overhead"]);
    const overhead = sub(f.subsegments, "Overhead")!;
    expect(overhead.start_time).toBe(sub(f.subsegments, "Invocation")!.end_time);
    expect(overhead.end_time).toBe(f.end_time);
  });

  it("nests downstream calls under Invocation with X-Ray's flags", () => {
    const inv = invocation({
      durationMs: 500,
      downstream: [
        {
          kind: "dynamodb",
          resource: "orders",
          operation: "GetItem",
          offsetMs: 10,
          durationMs: 12.5,
          outcome: "ok",
          httpStatus: 200,
        },
        {
          kind: "dynamodb",
          resource: "orders",
          operation: "PutItem",
          offsetMs: 30,
          durationMs: 40,
          outcome: "throttle",
          httpStatus: 400,
        },
        {
          kind: "s3",
          resource: "receipts",
          operation: "PutObject",
          offsetMs: 80,
          durationMs: 30,
          outcome: "error",
          httpStatus: 404,
        },
        {
          kind: "sqs",
          resource: "events",
          operation: "SendMessage",
          offsetMs: 120,
          durationMs: 8,
          outcome: "fault",
          httpStatus: 500,
        },
        {
          kind: "http",
          resource: "api.stripe.com",
          operation: "POST",
          offsetMs: 150,
          durationMs: 200,
          outcome: "throttle",
          httpStatus: 429,
        },
      ],
    });
    const { function: f } = renderTraceDocuments(inv, fn, ACCOUNT);
    const invSeg = sub(f.subsegments, "Invocation")!;
    const [get, put, s3, sqs, http] = invSeg.subsegments!;
    expect(get).toMatchObject({ name: "DynamoDB", namespace: "aws", http: { response: { status: 200 } } });
    expect(get!.aws).toMatchObject({
      operation: "GetItem",
      table_name: "orders",
      region: "us-east-1",
      retries: 0,
    });
    expect(get!.error ?? false).toBe(false);
    expect(put).toMatchObject({ error: true, throttle: true });
    expect(put!.fault).toBeUndefined();
    expect(put!.cause).toMatchObject({
      exceptions: [{ type: "ProvisionedThroughputExceededException", remote: true }],
    });
    expect(s3).toMatchObject({
      name: "S3",
      error: true,
      aws: { bucket_name: "receipts", operation: "PutObject" },
    });
    expect(s3!.throttle).toBeUndefined();
    expect(sqs).toMatchObject({
      name: "SQS",
      fault: true,
      aws: { queue_url: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/events`, operation: "SendMessage" },
    });
    expect(sqs!.error).toBeUndefined();
    expect(http).toMatchObject({
      name: "api.stripe.com",
      namespace: "remote",
      error: true,
      throttle: true,
      http: { request: { method: "POST" }, response: { status: 429 } },
    });
    expect(http!.http?.request?.url).toMatch(/^https:\/\/api\.stripe\.com\//);
    for (const d of invSeg.subsegments!) {
      expect(d.start_time).toBeGreaterThanOrEqual(invSeg.start_time);
      expect(d.end_time!).toBeLessThanOrEqual(invSeg.end_time!);
    }
    expect(ms(get!)).toBe(12.5);
    expect(get!.start_time).toBeCloseTo(invSeg.start_time + 0.01, 6);
  });

  it("marks a failed invocation as a fault with its error type, message and stack", () => {
    const inv = invocation({
      outcome: "error",
      errorType: "ValidationError",
      errorMessage: "amount must be positive",
      version: "8",
    });
    const { function: f, service } = renderTraceDocuments(inv, fn, ACCOUNT);
    expect(f.fault).toBe(true);
    expect(service.fault).toBeUndefined();
    const cause = f.cause;
    if (typeof cause !== "object") throw new Error("expected a cause object");
    const [ex] = cause.exceptions;
    expect(ex).toMatchObject({ type: "ValidationError", message: "amount must be positive" });
    expect(ex!.id).toMatch(/^[0-9a-f]{16}$/);
    // Version 8 runs python3.12 in the fixture: the stack is Python's.
    expect(ex!.stack?.[0]).toMatchObject({ path: "/var/task/lambda_function.py", label: "lambda_handler" });
    expect(ex!.stack?.[0]?.line).toEqual(expect.any(Number));
    const invSeg = sub(f.subsegments, "Invocation")!;
    expect(invSeg.fault).toBe(true);
    expect(invSeg.cause).toBe(ex!.id);
  });

  it("reports timeouts and OOM kills without a stack", () => {
    const timeout = renderTraceDocuments(
      invocation({ outcome: "timeout", durationMs: 10000 }),
      fn,
      ACCOUNT,
    ).function;
    const oom = renderTraceDocuments(
      invocation({ outcome: "oom", errorType: "Runtime.OutOfMemory" }),
      fn,
      ACCOUNT,
    ).function;
    expect(timeout.cause).toMatchObject({
      exceptions: [{ type: "Sandbox.Timedout", message: "Task timed out after 10.00 seconds" }],
    });
    expect(oom.cause).toMatchObject({ exceptions: [{ type: "Runtime.OutOfMemory" }] });
    for (const f of [timeout, oom]) {
      if (typeof f.cause !== "object") throw new Error("expected a cause object");
      expect(f.cause.exceptions[0]?.stack).toBeUndefined();
      expect(f.fault).toBe(true);
    }
  });

  it("is deterministic", () => {
    const inv = invocation({ initDurationMs: 200 });
    expect(JSON.stringify(renderTraceDocuments(inv, fn, ACCOUNT))).toBe(
      JSON.stringify(renderTraceDocuments(inv, fn, ACCOUNT)),
    );
    const other = invocation({ traceId: "1-6968c2bc-ffffffffffffffffffffffff" });
    expect(renderTraceDocuments(other, fn, ACCOUNT).service.id).not.toBe(
      renderTraceDocuments(inv, fn, ACCOUNT).service.id,
    );
  });
});
