/**
 * The error query: a constant whose filter keeps every line the classifier turns into an event (a superset, so
 * no error is lost to the filter) and drops the ordinary lines; its rows read back into ErrorLines, and a row
 * without its message, group or a readable time makes the answer unreadable.
 */
import { describe, expect, it } from "vitest";
import { classifyLine } from "@/lib/core/error-groups/classify";
import { ERROR_LINE, ERROR_QUERY, readErrorRows } from "@/lib/core/query/error-lines";

const RID = "8b2c4f1e-3d5a-4e6b-9c7d-0a1b2c3d4e5f";
const TS = "2026-11-23T11:30:12.345Z";
// The Insights engine (AWS and the sandbox) evaluates `like /…/` as a regular expression over @message.
const filter = new RegExp(ERROR_LINE);
// A platform.report always carries its metrics (the telemetry parser rejects one without them).
const metrics = { durationMs: 3000, billedDurationMs: 3000, memorySizeMB: 128, maxMemoryUsedMB: 70 };

const ERROR_LINES = [
  `REPORT RequestId: ${RID}\tDuration: 10000.00 ms\tBilled Duration: 10000 ms\tMemory Size: 256 MB\tMax Memory Used: 88 MB\tStatus: timeout\t\n`,
  `REPORT RequestId: ${RID}\tDuration: 900.00 ms\tBilled Duration: 900 ms\tMemory Size: 512 MB\tMax Memory Used: 512 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t\n`,
  `${TS} ${RID} Task timed out after 10.00 seconds\n`,
  `RequestId: ${RID} Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n`,
  `${TS}\t${RID}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"x","stack":[]}\n`,
  `${TS}\t${RID}\tERROR\tcache refresh failed\n`,
  "[ERROR] KeyError: 'customer_id'\nTraceback (most recent call last):\n",
  `[ERROR]\t${TS}\t${RID}\tFailed to refresh token\n`,
  '{"errorMessage":"boom","errorType":"java.lang.RuntimeException","stackTrace":[]}',
  'Error raised from handler method\n{"errorMessage":"x","errorType":"Function<NoMethodError>","stackTrace":[]}',
  JSON.stringify({
    time: TS,
    type: "platform.report",
    record: { requestId: RID, metrics, status: "timeout" },
  }),
  JSON.stringify({ time: TS, type: "platform.runtimeDone", record: { requestId: RID, status: "error" } }),
  JSON.stringify({
    timestamp: TS,
    level: "ERROR",
    requestId: RID,
    message: "Invoke Error",
    errorType: "E",
    errorMessage: "m",
  }),
  JSON.stringify({
    level: "ERROR",
    location: "handler:42",
    message: "x",
    function_request_id: RID,
    exception_name: "E",
  }),
  JSON.stringify({ timestamp: TS, log_level: "ERROR", requestId: RID, errorType: "E", errorMessage: "m" }),
];

const ORDINARY = [
  `START RequestId: ${RID} Version: 8\n`,
  `END RequestId: ${RID}\n`,
  `REPORT RequestId: ${RID}\tDuration: 12.00 ms\tBilled Duration: 12 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t\n`,
  `${TS}\t${RID}\tINFO\tReceived event from API Gateway\n`,
  JSON.stringify({ level: "INFO", message: "DynamoDB PutItem ok", function_request_id: RID }),
  JSON.stringify({
    time: TS,
    type: "platform.report",
    record: { requestId: RID, metrics, status: "success" },
  }),
];

describe("the error query", () => {
  it("is one constant: fields and a regex filter, nothing interpolated", () => {
    expect(ERROR_QUERY).toBe(
      `fields @timestamp, @requestId, @logStream, @log, @message\n| filter @message like /${ERROR_LINE}/`,
    );
    // The regex literal cannot be closed early by its own text.
    expect(ERROR_LINE).not.toMatch(/(^|[^\\])\//);
  });

  it("keeps every line the classifier reads as an error", () => {
    for (const m of ERROR_LINES) {
      expect(
        classifyLine({ atMs: 0, requestId: null, logStream: null, logGroup: "g", message: m }),
        m,
      ).not.toBeNull();
      expect(filter.test(m), m).toBe(true);
    }
  });

  it("drops ordinary lines", () => {
    for (const m of ORDINARY) expect(filter.test(m), m).toBe(false);
  });
});

describe("readErrorRows", () => {
  it("reads Insights rows; @requestId and @logStream may be absent", () => {
    const read = readErrorRows([
      {
        "@timestamp": "2026-11-23 11:30:12.345",
        "@requestId": RID,
        "@logStream": "2026/11/23/[8]abc",
        "@log": "123456789012:/aws/lambda/payments-api",
        "@message": "boom",
      },
      {
        "@timestamp": "2026-11-23 11:30:13.000",
        "@log": "123456789012:/custom/audit-trail",
        "@message": "x",
      },
    ]);
    expect(read.problem).toBeNull();
    expect(read.lines).toEqual([
      {
        atMs: Date.UTC(2026, 10, 23, 11, 30, 12, 345),
        requestId: RID,
        logStream: "2026/11/23/[8]abc",
        logGroup: "/aws/lambda/payments-api",
        message: "boom",
      },
      {
        atMs: Date.UTC(2026, 10, 23, 11, 30, 13),
        requestId: null,
        logStream: null,
        logGroup: "/custom/audit-trail",
        message: "x",
      },
    ]);
  });

  it("a row without its message or time is unreadable, with a reason", () => {
    const read = readErrorRows([
      { "@timestamp": "2026-11-23 11:30:12.345", "@log": "g" },
      { "@timestamp": "yesterday", "@log": "g", "@message": "x" },
    ]);
    expect(read.lines).toEqual([]);
    expect(read.unreadable).toBe(2);
    expect(read.problem).toMatch(/@message/);
  });
});
