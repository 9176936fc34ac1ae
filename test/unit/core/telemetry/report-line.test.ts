import { describe, expect, it } from "vitest";
import { parseLogLine } from "@/lib/core/telemetry/report-line";
import { parseTraceHeader } from "@/lib/core/telemetry/trace-header";
import * as fx from "./fixtures";

const report = (message: string) => {
  const line = parseLogLine(message);
  if (line.kind !== "report") throw new Error(`expected report, got ${line.kind}`);
  return line;
};

describe("parseLogLine: text REPORT", () => {
  it("reads every field of a cold-start REPORT with the X-Ray part on its own line", () => {
    const r = report(fx.textColdStart[4]!);
    expect(r).toMatchObject({
      requestId: fx.ID_COLD,
      duration: 102.25,
      billedDuration: 103,
      memorySize: 128,
      maxMemoryUsed: 70,
      initDuration: 145.12,
      restoreDuration: null,
      traceId: fx.TRACE,
      segmentId: "6c9c0b6b2a1e4f3d",
      sampled: true,
      status: null,
      errorType: null,
    });
  });

  it("leaves init and X-Ray null on a warm REPORT with a trailing tab", () => {
    const r = report(fx.textWarm[3]!);
    expect(r.duration).toBe(3.71);
    expect(r.initDuration).toBeNull();
    expect(r.traceId).toBeNull();
    expect(r.sampled).toBeNull();
  });

  it("reads SnapStart restore fields without confusing them with Duration or Billed Duration", () => {
    const r = report(fx.textSnapStart[4]!);
    expect(r.duration).toBe(20.34);
    expect(r.billedDuration).toBe(187);
    expect(r.restoreDuration).toBe(571.67);
    expect(r.billedRestoreDuration).toBe(166);
    expect(r.initDuration).toBeNull();
  });

  it("reads Status and Error Type from newer runtimes", () => {
    const r = report(fx.textUnhandled[3]!);
    expect(r.status).toBe("error");
    expect(r.errorType).toBe("Runtime.UnhandledPromiseRejection");
  });

  it("parses by label: reordered fields, unknown labels and space separators", () => {
    const shuffled = `REPORT Max Memory Used: 70 MB\tFuture Field: 9 widgets\tMemory Size: 128 MB\tBilled Duration: 103 ms\tRequestId: ${fx.ID_COLD}\tDuration: 102.25 ms`;
    expect(report(shuffled)).toMatchObject({
      duration: 102.25,
      billedDuration: 103,
      memorySize: 128,
      maxMemoryUsed: 70,
    });
    const spaced = `REPORT RequestId: ${fx.ID_COLD} Duration: 1.5 ms Billed Duration: 2 ms Memory Size: 128 MB Max Memory Used: 64 MB Init Duration: 9.75 ms`;
    expect(report(spaced)).toMatchObject({
      duration: 1.5,
      billedDuration: 2,
      maxMemoryUsed: 64,
      initDuration: 9.75,
    });
  });

  it("returns ParseError, never throws, for a REPORT missing required fields or with garbage values", () => {
    expect(parseLogLine(`REPORT RequestId: ${fx.ID_COLD}\tDuration: fast\tBilled Duration: 1 ms`).kind).toBe(
      "parseError",
    );
    expect(
      parseLogLine("REPORT Duration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 1 MB\tMax Memory Used: 1 MB"),
    ).toMatchObject({
      kind: "parseError",
      reason: "REPORT without RequestId",
    });
    expect(parseLogLine("REPORT").kind).toBe("parseError");
    expect(parseLogLine("").kind).toBe("parseError");
    expect(parseLogLine("   \t\n").kind).toBe("parseError");
  });

  it("rejects a malformed X-Ray trace id instead of passing it on", () => {
    const r = report(`${fx.textWarm[3]!.trim()}\tXRAY TraceId: "><script>\tSampled: maybe`);
    expect(r.traceId).toBeNull();
    expect(r.sampled).toBeNull();
  });
});

describe("parseLogLine: other text lines", () => {
  it("reads START with its version, END and INIT_START", () => {
    expect(parseLogLine(fx.textColdStart[1]!)).toEqual({
      kind: "start",
      requestId: fx.ID_COLD,
      version: "7",
      time: null,
    });
    expect(parseLogLine(fx.textWarm[0]!)).toMatchObject({ kind: "start", version: "$LATEST" });
    expect(parseLogLine(fx.textColdStart[3]!)).toEqual({ kind: "end", requestId: fx.ID_COLD, time: null });
    expect(parseLogLine(fx.textColdStart[0]!)).toMatchObject({
      kind: "initStart",
      runtimeVersion: "nodejs:20.v13",
      runtimeVersionArn: "arn:aws:lambda:us-east-1::runtime:0f1a2b3c4d5e6f70",
    });
    expect(parseLogLine("START Version: 3").kind).toBe("parseError");
  });

  it("reads a timeout marker with its request id, time and limit", () => {
    expect(parseLogLine(fx.textTimeout[1]!)).toEqual({
      kind: "timeout",
      requestId: fx.ID_TIMEOUT,
      after: 3,
      time: Date.parse("2024-05-06T10:11:15.456Z"),
    });
  });

  it("reads OOM markers with and without a request id", () => {
    expect(parseLogLine(fx.textOom[2]!)).toMatchObject({ kind: "oom", requestId: null });
    expect(
      parseLogLine(`RequestId: ${fx.ID_OOM} Error: Runtime exited with error: signal: killed`),
    ).toMatchObject({
      kind: "oom",
      requestId: fx.ID_OOM,
    });
    expect(parseLogLine(`{"errorType":"Runtime.OutOfMemory","requestId":"${fx.ID_OOM}"}`)).toMatchObject({
      kind: "oom",
      requestId: fx.ID_OOM,
    });
  });

  it("reads Node and Python runtime-prefixed app lines and Node's unhandled-error line", () => {
    expect(parseLogLine(fx.textColdStart[2]!)).toMatchObject({
      kind: "app",
      requestId: fx.ID_COLD,
      level: "INFO",
    });
    expect(parseLogLine(fx.textWarm[1]!)).toMatchObject({
      kind: "app",
      requestId: fx.ID_WARM,
      level: "INFO",
    });
    expect(parseLogLine(fx.textUnhandled[1]!)).toMatchObject({
      kind: "app",
      level: "ERROR",
      unhandledError: { errorType: "TypeError" },
    });
    expect(parseLogLine("just some print()")).toMatchObject({
      kind: "app",
      requestId: null,
      unhandledError: null,
    });
  });

  it("tells Python's unhandled-error output from a handler's own logger.exception()", () => {
    const runtime = `[ERROR] KeyError: 'customer_id'\nTraceback (most recent call last):\n  File "/var/task/app.py", line 42, in handler\n`;
    expect(parseLogLine(runtime)).toMatchObject({
      kind: "app",
      level: "ERROR",
      unhandledError: { errorType: "KeyError" },
    });
    const handled = `[ERROR]\t2024-05-06T10:11:13.001Z\t${fx.ID_WARM}\tretrying: boom\nTraceback (most recent call last):\n`;
    expect(parseLogLine(handled)).toMatchObject({
      kind: "app",
      requestId: fx.ID_WARM,
      level: "ERROR",
      unhandledError: null,
    });
  });

  it("treats a line that merely starts with { as text", () => {
    expect(parseLogLine("{not json at all").kind).toBe("app");
    expect(parseLogLine("[1,2,3]").kind).toBe("app");
  });
});

describe("parseLogLine: JSON format", () => {
  const [initStart, start, app, runtimeDone, rep] = fx.jsonColdStart as [
    string,
    string,
    string,
    string,
    string,
  ];

  it("reads platform.report metrics, tracing and status", () => {
    expect(parseLogLine(rep)).toEqual({
      kind: "report",
      time: Date.parse("2024-05-06T10:11:12.300Z"),
      requestId: fx.ID_JSON,
      duration: 41,
      billedDuration: 42,
      memorySize: 256,
      maxMemoryUsed: 90,
      initDuration: 310.2,
      restoreDuration: null,
      billedRestoreDuration: null,
      traceId: fx.TRACE,
      segmentId: "54565fb41ac79632",
      sampled: true,
      status: "timeout",
      errorType: "Sandbox.Timedout",
    });
  });

  it("reads platform.start, platform.runtimeDone, platform.initStart and structured app lines", () => {
    expect(parseLogLine(start)).toMatchObject({ kind: "start", requestId: fx.ID_JSON, version: "5" });
    expect(parseLogLine(runtimeDone)).toMatchObject({
      kind: "runtimeDone",
      requestId: fx.ID_JSON,
      status: "timeout",
      traceId: fx.TRACE,
    });
    expect(parseLogLine(initStart)).toMatchObject({ kind: "initStart", functionVersion: "5" });
    expect(parseLogLine(app)).toMatchObject({
      kind: "app",
      requestId: fx.ID_JSON,
      level: "INFO",
      message: "processing",
    });
  });

  it("keeps unknown platform events and returns ParseError for malformed platform records", () => {
    expect(parseLogLine('{"time":"x","type":"platform.restoreStart","record":{}}')).toMatchObject({
      kind: "platformOther",
      type: "platform.restoreStart",
      time: null,
    });
    const broken = rep.replace('"durationMs":41.0', '"durationMs":"41"');
    expect(parseLogLine(broken).kind).toBe("parseError");
    expect(parseLogLine('{"type":"platform.report","record":null}').kind).toBe("parseError");
    expect(
      parseLogLine('{"type":"platform.runtimeDone","record":{"requestId":"x","status":"weird"}}').kind,
    ).toBe("parseError");
    expect(parseLogLine('{"type":"platform.runtimeDone","record":{"requestId":"x"}}').kind).toBe(
      "parseError",
    );
    // runtimeDone's optional parts (metrics, spans, tracing) that do not read are absent, not a ParseError.
    expect(
      parseLogLine(
        '{"type":"platform.runtimeDone","record":{"requestId":"x","status":"failure","metrics":"?","spans":7,"tracing":[1]}}',
      ),
    ).toMatchObject({ kind: "runtimeDone", status: "error", traceId: null });
    expect(
      parseLogLine(
        '{"type":"platform.report","record":{"requestId":"x","metrics":{"durationMs":-1,"billedDurationMs":1,"memorySizeMB":1,"maxMemoryUsedMB":1}}}',
      ).kind,
    ).toBe("parseError");
  });

  it("never throws on hostile input", () => {
    const hostile = [
      "\u0000\u0001REPORT",
      "REPORT RequestId: \t\t\t",
      '{"type":"platform.report","record":{"__proto__":{"x":1}}}',
      "{".repeat(10_000),
      "REPORT RequestId: x Duration: 1e400 ms",
      "\uFEFFSTART RequestId: 💥 Version: 🚀",
    ];
    for (const h of hostile) expect(() => parseLogLine(h)).not.toThrow();
  });
});

describe("parseTraceHeader", () => {
  it("reads Root, Parent and Sampled in any order", () => {
    expect(parseTraceHeader(`Sampled=0;Parent=abc;Root=${fx.TRACE};Lineage=1:2`)).toEqual({
      root: fx.TRACE,
      parent: "abc",
      sampled: false,
    });
    expect(parseTraceHeader("Root=nonsense")).toEqual({ root: null, parent: null, sampled: null });
  });
});
