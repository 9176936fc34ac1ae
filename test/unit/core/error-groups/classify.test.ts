/**
 * classifyLine against real-looking lines of every shape Lambda and its runtimes write (Text and JSON log
 * formats, sandbox/src/logs/render.ts and AWS's documented samples), and against hostile lines: huge, binary,
 * JSON that lies about its types or claims to be a platform record it is not, injection-looking text.
 */
import { describe, expect, it } from "vitest";
import { classifyLine, versionOfStream } from "@/lib/core/error-groups/classify";
import type { ErrorLine } from "@/lib/core/error-groups/types";

const RID = "8b2c4f1e-3d5a-4e6b-9c7d-0a1b2c3d4e5f";
const TRACE = "1-6745a1b2-0f1e2d3c4b5a69788796a5b4";
const STREAM = "2026/11/23/[8]0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const AT = Date.UTC(2026, 10, 23, 11, 30, 12, 345);

const line = (message: string, over: Partial<ErrorLine> = {}): ErrorLine => ({
  atMs: AT,
  requestId: null,
  logStream: STREAM,
  logGroup: "/aws/lambda/payments-api",
  message,
  ...over,
});

describe("classifyLine: platform lines", () => {
  it("a text REPORT with Status: timeout is a timeout with its request and trace", () => {
    const e = classifyLine(
      line(
        `REPORT RequestId: ${RID}\tDuration: 10000.00 ms\tBilled Duration: 10000 ms\tMemory Size: 256 MB\t` +
          `Max Memory Used: 88 MB\tStatus: timeout\t\nXRAY TraceId: ${TRACE}\tSegmentId: 0a1b2c3d4e5f6071\tSampled: true\t\n`,
      ),
    );
    expect(e).toMatchObject({
      kind: "timeout",
      detail: "status",
      requestId: RID,
      traceId: TRACE,
      version: "8",
      errorType: "Sandbox.Timedout",
    });
  });

  it("a text REPORT with Error Type Runtime.OutOfMemory is an OOM kill", () => {
    const e = classifyLine(
      line(
        `REPORT RequestId: ${RID}\tDuration: 2711.31 ms\tBilled Duration: 2712 ms\tMemory Size: 512 MB\t` +
          `Max Memory Used: 512 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t\n`,
      ),
    );
    expect(e).toMatchObject({
      kind: "oom",
      detail: "status",
      errorType: "Runtime.OutOfMemory",
      requestId: RID,
    });
  });

  it("a successful REPORT is not an error", () => {
    expect(
      classifyLine(
        line(
          `REPORT RequestId: ${RID}\tDuration: 12.00 ms\tBilled Duration: 12 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t\n`,
        ),
      ),
    ).toBeNull();
  });

  it("the runtime's timeout line", () => {
    const e = classifyLine(line(`2026-11-23T11:30:12.345Z ${RID} Task timed out after 10.00 seconds\n`));
    expect(e).toMatchObject({
      kind: "timeout",
      detail: "line",
      requestId: RID,
      message: "Task timed out after 10.00 seconds",
    });
  });

  it("Runtime exited with error: signal: killed is an OOM kill; another exit is an unhandled crash", () => {
    expect(
      classifyLine(
        line(`RequestId: ${RID} Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n`),
      ),
    ).toMatchObject({ kind: "oom", detail: "line", requestId: RID, errorType: "Runtime.OutOfMemory" });
    expect(
      classifyLine(
        line(`RequestId: ${RID} Error: Runtime exited with error: exit status 1\nRuntime.ExitError\n`),
      ),
    ).toMatchObject({
      kind: "unhandled",
      errorType: "Runtime.ExitError",
      message: "Runtime exited with error: exit status 1",
    });
  });

  it("JSON platform.report with a failed status, and platform.runtimeDone", () => {
    const report = (record: object) =>
      JSON.stringify({ time: "2026-11-23T11:30:12.345Z", type: "platform.report", record });
    const metrics = { durationMs: 2711, billedDurationMs: 2712, memorySizeMB: 512, maxMemoryUsedMB: 512 };
    expect(
      classifyLine(
        line(
          report({
            requestId: RID,
            metrics: { durationMs: 3000, billedDurationMs: 3000, memorySizeMB: 128, maxMemoryUsedMB: 70 },
            tracing: {
              spanId: "0a1b2c3d4e5f6071",
              type: "X-Amzn-Trace-Id",
              value: `Root=${TRACE};Parent=0a1b2c3d4e5f6071;Sampled=1`,
            },
            status: "timeout",
          }),
        ),
      ),
    ).toMatchObject({ kind: "timeout", detail: "status", requestId: RID, traceId: TRACE });
    expect(
      classifyLine(
        line(report({ requestId: RID, metrics, status: "error", errorType: "Runtime.OutOfMemory" })),
      ),
    ).toMatchObject({ kind: "oom" });
    expect(
      classifyLine(line(report({ requestId: RID, metrics, status: "error", errorType: "TypeError" }))),
    ).toMatchObject({ kind: "unhandled", detail: "status", errorType: "TypeError" });
    expect(classifyLine(line(report({ requestId: RID, metrics, status: "success" })))).toBeNull();
    // A record the telemetry parser calls malformed (no metrics) is no event either: one reading per record.
    expect(
      classifyLine(line(report({ requestId: RID, metrics: {}, status: "error", errorType: "TypeError" }))),
    ).toBeNull();
    expect(
      classifyLine(
        line(
          JSON.stringify({
            time: "2026-11-23T11:30:12.345Z",
            type: "platform.runtimeDone",
            record: {
              requestId: RID,
              status: "failure",
              metrics: { durationMs: 20, producedBytes: 0 },
              tracing: { type: "X-Amzn-Trace-Id", value: `Root=${TRACE};Parent=0a1b2c3d4e5f6071;Sampled=1` },
            },
          }),
        ),
      ),
    ).toMatchObject({ kind: "unhandled", detail: "status", requestId: RID, traceId: TRACE });
    // Other platform records never are errors, whatever they carry.
    expect(
      classifyLine(
        line(JSON.stringify({ type: "platform.initReport", record: { status: "error", phase: "init" } })),
      ),
    ).toBeNull();
  });
});

describe("classifyLine: runtime error lines", () => {
  it("Node text Invoke Error: type, first line of the message, top in-app frame", () => {
    const body = {
      errorType: "TypeError",
      errorMessage: "Cannot read properties of undefined (reading 'customerId')",
      stack: [
        "TypeError: Cannot read properties of undefined (reading 'customerId')",
        "    at toOrder (file:///var/task/src/orders/map.mjs:12:31)",
        "    at Runtime.handler (file:///var/task/index.mjs:42:11)",
        "    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)",
      ],
    };
    const e = classifyLine(
      line(`2026-11-23T11:30:12.345Z\t${RID}\tERROR\tInvoke Error \t${JSON.stringify(body)}\n`),
    );
    expect(e).toMatchObject({
      kind: "unhandled",
      detail: "line",
      requestId: RID,
      errorType: "TypeError",
      message: "Cannot read properties of undefined (reading 'customerId')",
      frame: "toOrder (/var/task/src/orders/map.mjs)",
    });
  });

  it("Node console.error is a logged error, typed when the message names it", () => {
    const e = classifyLine(
      line(
        `2026-11-23T11:30:12.345Z\t${RID}\tERROR\tDynamoDBServiceException: throttled on table orders-7\n`,
      ),
    );
    expect(e).toMatchObject({ kind: "logged", requestId: RID, errorType: "DynamoDBServiceException" });
    expect(
      classifyLine(line(`2026-11-23T11:30:12.345Z\t${RID}\tERROR\tsomething odd happened\n`)),
    ).toMatchObject({
      kind: "logged",
      errorType: "Error",
    });
    // INFO and WARN lines are not errors.
    expect(classifyLine(line(`2026-11-23T11:30:12.345Z\t${RID}\tINFO\tError budget is fine\n`))).toBeNull();
  });

  it("Python unhandled error with its traceback: the innermost in-app frame", () => {
    const e = classifyLine(
      line(
        "[ERROR] KeyError: 'customer_id'\nTraceback (most recent call last):\n" +
          '  File "/var/task/app.py", line 42, in handler\n    order = parse(event)\n' +
          '  File "/var/task/app/orders.py", line 17, in parse\n    return body["customer_id"]\n',
      ),
    );
    expect(e).toMatchObject({
      kind: "unhandled",
      errorType: "KeyError",
      message: "'customer_id'",
      frame: "parse (/var/task/app/orders.py)",
      requestId: null,
    });
    // With @requestId from Insights, the event carries it.
    expect(classifyLine(line("[ERROR] KeyError: 'x'\n", { requestId: RID }))?.requestId).toBe(RID);
  });

  it("Python logger.error is a logged error", () => {
    const e = classifyLine(
      line(`[ERROR]\t2026-11-23T11:30:12.345Z\t${RID}\tFailed to refresh token for tenant 42\n`),
    );
    expect(e).toMatchObject({ kind: "logged", requestId: RID, errorType: "Error" });
  });

  it("Java's runtime JSON and Ruby's, after its prefix line", () => {
    const java = {
      errorMessage: 'Cannot invoke "String.length()" because "name" is null',
      errorType: "java.lang.NullPointerException",
      stackTrace: [
        "com.acme.users.NameNormalizer.normalize(NameNormalizer.java:31)",
        "com.acme.users.Handler.handleRequest(Handler.java:18)",
        "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(Unknown Source)",
      ],
    };
    expect(classifyLine(line(JSON.stringify(java)))).toMatchObject({
      kind: "unhandled",
      errorType: "java.lang.NullPointerException",
      frame: "com.acme.users.NameNormalizer.normalize(NameNormalizer.java)",
    });
    const ruby = {
      errorMessage: "undefined method `[]' for nil:NilClass",
      errorType: "Function<NoMethodError>",
      stackTrace: ["/var/task/lib/invoice.rb:14:in `total'", "/var/task/handler.rb:9:in `handler'"],
    };
    expect(classifyLine(line(`Error raised from handler method\n${JSON.stringify(ruby)}\n`))).toMatchObject({
      kind: "unhandled",
      errorType: "Function<NoMethodError>",
      frame: "total (/var/task/lib/invoice.rb)",
    });
  });

  it("JSON log format: the runtime's unhandled error, console.error, Powertools", () => {
    const unhandled = {
      timestamp: "2026-11-23T11:30:12.345Z",
      level: "ERROR",
      requestId: RID,
      message: "Invoke Error",
      errorType: "PaymentDeclinedError",
      errorMessage:
        "Charge ch_3Q8x2LkA9fT0cP1mZ7 declined for customer cus_Nf8aK2pQ0xY4 (code: card_declined)",
      stackTrace: [
        "PaymentDeclinedError: Charge …",
        "    at chargeCard (file:///var/task/src/payments/charge.mjs:31:11)",
      ],
    };
    expect(classifyLine(line(JSON.stringify(unhandled)))).toMatchObject({
      kind: "unhandled",
      requestId: RID,
      errorType: "PaymentDeclinedError",
      frame: "chargeCard (/var/task/src/payments/charge.mjs)",
    });
    expect(
      classifyLine(
        line(JSON.stringify({ timestamp: "x", level: "ERROR", requestId: RID, message: "cache miss storm" })),
      ),
    ).toMatchObject({ kind: "logged", errorType: "Error" });
    const powertools = {
      level: "ERROR",
      location: "handler:42",
      message:
        "Archiving audit event 2b1f0c9e-6a4d-4f7e-8c3b-1d2e3f4a5b6c throttled, will retry (attempt 2 of 3)",
      timestamp: "2026-11-23 11:30:12,345+0000",
      service: "audit-trail",
      xray_trace_id: TRACE,
      function_request_id: RID,
      exception:
        'Traceback (most recent call last):\n  File "/var/task/app.py", line 42, in handler\n    archive.put(record)\n' +
        '  File "/var/task/audit/archive.py", line 27, in put\n    self.stream.put_record(**request)\n' +
        "botocore.errorfactory.ProvisionedThroughputExceededException: An error occurred",
      exception_name: "ProvisionedThroughputExceededException",
    };
    expect(classifyLine(line(JSON.stringify(powertools)))).toMatchObject({
      kind: "logged",
      requestId: RID,
      traceId: TRACE,
      errorType: "ProvisionedThroughputExceededException",
      frame: "put (/var/task/audit/archive.py)",
    });
    // INFO / WARN structured lines are not errors.
    expect(
      classifyLine(line(JSON.stringify({ level: "WARN", message: "DynamoDB PutItem error" }))),
    ).toBeNull();
  });

  it("non-error lines are null", () => {
    for (const m of [
      `START RequestId: ${RID} Version: 8\n`,
      `END RequestId: ${RID}\n`,
      "INIT_START Runtime Version: nodejs:22.v33\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc\n",
      `2026-11-23T11:30:12.345Z\t${RID}\tINFO\tReceived event from API Gateway\n`,
      JSON.stringify({
        time: "2026-11-23T11:30:12.345Z",
        type: "platform.start",
        record: { requestId: RID, version: "8" },
      }),
      "",
    ])
      expect(classifyLine(line(m)), m).toBeNull();
  });
});

describe("classifyLine: hostile lines", () => {
  it("application JSON cannot claim a timeout or an OOM kill: only platform records can", () => {
    const e = classifyLine(
      line(
        JSON.stringify({
          level: "ERROR",
          message: "Task timed out",
          errorType: "Sandbox.Timedout",
          errorMessage: "x",
        }),
      ),
    );
    expect(e?.kind).toBe("unhandled");
  });

  it("JSON that lies about its types: numbers, objects and arrays where strings belong", () => {
    const e = classifyLine(
      line(
        JSON.stringify({
          level: "ERROR",
          requestId: { $gt: "" },
          message: ["not", "a", "string"],
          errorType: 42,
          exception_name: { toString: "x" },
          stack: 7,
          xray_trace_id: 1,
        }),
      ),
    );
    expect(e).toMatchObject({
      kind: "logged",
      requestId: null,
      traceId: null,
      errorType: "Error",
      frame: null,
    });
    expect(
      classifyLine(line(JSON.stringify({ type: "platform.report", record: "status: timeout" }))),
    ).toBeNull();
    expect(
      classifyLine(line(JSON.stringify({ type: "platform.report", record: { status: ["timeout"] } }))),
    ).toBeNull();
    expect(classifyLine(line('{"level":"ERROR","message":'))).toBeNull();
  });

  it("a request id or version that is not one is dropped", () => {
    const e = classifyLine(
      line(`2026-11-23T11:30:12.345Z\t'; DROP TABLE error_groups; --\tERROR\tboom\n`, {
        logStream: "2026/11/23/[$(rm -rf /)]abc",
        requestId: "<script>alert(1)</script>",
      }),
    );
    expect(e).toMatchObject({ kind: "logged", requestId: null, version: null });
  });

  it("huge and binary lines are bounded and sanitized, never thrown on", () => {
    const huge = `2026-11-23T11:30:12.345Z\t${RID}\tERROR\t${"A".repeat(5_000_000)}\n`;
    const e = classifyLine(line(huge));
    expect(e?.kind).toBe("logged");
    expect(e!.message.length).toBeLessThanOrEqual(1_000);
    const binary = `2026-11-23T11:30:12.345Z\t${RID}\tERROR\tbad \u0000\u0007\u001b[31mred\u001b[0m \ud800 bytes\n`;
    const b = classifyLine(line(binary))!;
    expect(b.message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(b.message).not.toMatch(/\ud800(?![\udc00-\udfff])/);
    const hugeJson = JSON.stringify({ level: "ERROR", message: "x".repeat(400_000) });
    expect(() => classifyLine(line(hugeJson))).not.toThrow();
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(classifyLine(line(deep))).toBeNull();
    expect(classifyLine(line(`{${'"a":'.repeat(10_000)}`))).toBeNull();
  });

  it("a non-string message or a non-finite time is null", () => {
    expect(classifyLine({ ...line("x"), message: 42 as unknown as string })).toBeNull();
    expect(
      classifyLine(line(`2026-11-23T11:30:12.345Z\t${RID}\tERROR\tboom\n`, { atMs: Number.NaN })),
    ).toBeNull();
  });
});

describe("versionOfStream", () => {
  it("reads the version from the log stream name", () => {
    expect(versionOfStream("2026/11/23/[8]0a1b2c")).toBe("8");
    expect(versionOfStream("2026/11/23/[$LATEST]0a1b2c")).toBe("$LATEST");
    expect(versionOfStream("2026/11/23/my-stream")).toBeNull();
    expect(versionOfStream(null)).toBeNull();
  });
});
