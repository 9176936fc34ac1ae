import { describe, expect, it } from "vitest";
import { lineCount, renderInvocation, runtimeVersion } from "../../src/logs/render";
import { discoverFields } from "../../src/logs/insights/fields";
import { inv, simFn, version } from "../support/logs-fixtures";

const iso = (ms: number) => new Date(ms).toISOString();

describe("text format rendering", () => {
  it("writes INIT_START, START, app lines, END and a REPORT with Init Duration and the XRAY line on a cold start", () => {
    const i = inv({ initDurationMs: 145.12, durationMs: 102.25, billedDurationMs: 103 });
    const ev = renderInvocation(simFn(), i);
    const msgs = ev.map((e) => e.message);
    expect(msgs[0]).toMatch(
      /^INIT_START Runtime Version: nodejs:22\.v\d+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}\n$/,
    );
    expect(msgs[1]).toBe(`START RequestId: ${i.requestId} Version: 3\n`);
    expect(msgs.at(-2)).toBe(`END RequestId: ${i.requestId}\n`);
    expect(msgs.at(-1)).toBe(
      `REPORT RequestId: ${i.requestId}\tDuration: 102.25 ms\tBilled Duration: 103 ms\tMemory Size: 128 MB\t` +
        `Max Memory Used: 70 MB\tInit Duration: 145.12 ms\t\nXRAY TraceId: ${i.traceId}\tSegmentId: ${i.segmentId}\tSampled: true\t\n`,
    );
    // Timing: INIT_START at arrival, START after init, END/REPORT at handler end.
    expect(ev[0]!.timestamp).toBe(i.startMs);
    expect(ev[1]!.timestamp).toBe(Math.round(i.startMs + 145.12));
    expect(ev.at(-1)!.timestamp).toBe(Math.round(i.startMs + 145.12 + 102.25));
    for (let k = 1; k < ev.length; k++) expect(ev[k]!.timestamp).toBeGreaterThanOrEqual(ev[k - 1]!.timestamp);
    for (const e of ev) {
      expect(e.logStreamName).toBe(i.logStreamName);
      expect(e.ingestionTime).toBeGreaterThan(e.timestamp);
    }
  });

  it("omits INIT_START, Init Duration and the XRAY line on a warm, unsampled invocation", () => {
    const i = inv({ sampled: false });
    const msgs = renderInvocation(simFn(), i).map((e) => e.message);
    expect(msgs.some((m) => m.startsWith("INIT_START"))).toBe(false);
    const report = msgs.at(-1)!;
    expect(report).not.toContain("Init Duration");
    expect(report).not.toContain("XRAY");
    expect(report.endsWith("Max Memory Used: 70 MB\t\n")).toBe(true);
  });

  it("prints application lines as the Node runtime does: timestamp, request id, level, message", () => {
    const i = inv();
    const lines = renderInvocation(simFn(), i).map((e) => e.message);
    const app = lines.filter((m) => m.includes(`\t${i.requestId}\tINFO\t`));
    expect(app.length).toBeGreaterThan(0);
    expect(app[0]).toMatch(
      new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z\\t${i.requestId}\\tINFO\\t.+\\n$`),
    );
  });

  it("logs downstream calls as structured JSON lines inside the handler window", () => {
    const i = inv({
      downstream: [
        {
          kind: "dynamodb",
          resource: "orders",
          operation: "GetItem",
          offsetMs: 10,
          durationMs: 20,
          outcome: "ok",
          httpStatus: 200,
        },
        {
          kind: "s3",
          resource: "bucket",
          operation: "PutObject",
          offsetMs: 40,
          durationMs: 30,
          outcome: "throttle",
          httpStatus: 503,
        },
      ],
    });
    const ev = renderInvocation(simFn(), i);
    const json = ev
      .filter((e) => e.message.startsWith("{"))
      .map((e) => ({ t: e.timestamp, d: JSON.parse(e.message) }));
    expect(json.map((j) => j.d.downstream.operation)).toEqual(["GetItem", "PutObject"]);
    expect(json[1]!.d.level).toBe("WARN");
    expect(json[0]!.d.function_request_id).toBe(i.requestId);
    expect(json[0]!.t).toBe(Math.round(i.startMs + 30));
  });

  it("writes the Invoke Error line with a stack for function errors", () => {
    const i = inv({
      outcome: "error",
      errorType: "TypeError",
      errorMessage: "Cannot read properties of undefined",
    });
    const err = renderInvocation(simFn(), i).find((e) => e.message.includes("\tERROR\t"))!;
    expect(err.message).toContain(`\t${i.requestId}\tERROR\tInvoke Error \t{"errorType":"TypeError"`);
    const payload = JSON.parse(err.message.split("Invoke Error \t")[1]!);
    expect(payload.errorMessage).toBe("Cannot read properties of undefined");
    expect(payload.stack[0]).toBe("TypeError: Cannot read properties of undefined");
  });

  it("writes Lambda's timeout line and Status: timeout", () => {
    const f = simFn({ versions: [version("3", { timeout: 10 })] });
    const i = inv({ outcome: "timeout", durationMs: 10000.0, billedDurationMs: 10000 });
    const ev = renderInvocation(f, i);
    const end = Math.round(i.startMs + 10000);
    expect(ev.map((e) => e.message)).toContain(
      `${iso(end)} ${i.requestId} Task timed out after 10.00 seconds\n`,
    );
    expect(ev.at(-1)!.message).toContain("\tStatus: timeout\t");
  });

  it("writes the OOM kill and Runtime.OutOfMemory", () => {
    const i = inv({ outcome: "oom", maxMemoryUsedMb: 128 });
    const msgs = renderInvocation(simFn(), i).map((e) => e.message);
    expect(msgs).toContain(
      `RequestId: ${i.requestId} Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n`,
    );
    expect(msgs.at(-1)).toContain(
      "Max Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t",
    );
  });

  it("prints Python application lines with the level first", () => {
    const f = simFn({ versions: [version("3", { runtime: "python3.12" })] });
    const i = inv();
    const line = renderInvocation(f, i).find((e) => e.message.startsWith("[INFO]"))!;
    expect(line.message).toMatch(new RegExp(`^\\[INFO\\]\\t\\S+Z\\t${i.requestId}\\t`));
    expect(runtimeVersion("python3.12")).toMatch(/^python:3\.12\.v\d+$/);
  });

  it("is deterministic", () => {
    const i = inv({ initDurationMs: 200 });
    expect(renderInvocation(simFn(), i)).toEqual(renderInvocation(simFn(), i));
  });
});

describe("JSON format rendering", () => {
  const f = simFn({ logFormat: "JSON" });

  it("writes platform.initStart, platform.start, JSON app logs and platform.report", () => {
    const i = inv({ initDurationMs: 145.12 });
    const docs = renderInvocation(f, i).map((e) => JSON.parse(e.message));
    expect(docs[0].type).toBe("platform.initStart");
    expect(docs[0].record.runtimeVersion).toMatch(/^nodejs:22\.v\d+$/);
    // The init's end (platform.initRuntimeDone, platform.initReport) comes between initStart and start.
    expect(docs[3]).toMatchObject({
      type: "platform.start",
      record: { requestId: i.requestId, version: "3" },
    });
    expect(docs[4]).toMatchObject({ level: "INFO", requestId: i.requestId });
    const report = docs.at(-1);
    expect(report).toEqual({
      time: iso(Math.round(i.startMs + 145.12 + 102.25)),
      type: "platform.report",
      record: {
        requestId: i.requestId,
        metrics: {
          durationMs: 102.25,
          billedDurationMs: 103,
          memorySizeMB: 128,
          maxMemoryUsedMB: 70,
          initDurationMs: 145.12,
        },
        tracing: {
          spanId: i.segmentId,
          type: "X-Amzn-Trace-Id",
          value: `Root=${i.traceId};Parent=${i.segmentId};Sampled=1`,
        },
        status: "success",
      },
    });
    expect(docs.some((d) => d.type === undefined && String(d.message).startsWith("START"))).toBe(false);
  });

  it("reports timeouts and OOM in the record status", () => {
    const t = JSON.parse(renderInvocation(f, inv({ outcome: "timeout" })).at(-1)!.message);
    expect(t.record.status).toBe("timeout");
    const o = JSON.parse(renderInvocation(f, inv({ outcome: "oom" })).at(-1)!.message);
    expect(o.record).toMatchObject({ status: "error", errorType: "Runtime.OutOfMemory" });
  });
});

describe("discovered fields read back what the line says", () => {
  it("parses the rendered REPORT line by label, memory in bytes", () => {
    const i = inv({
      initDurationMs: 145.12,
      durationMs: 87.5,
      billedDurationMs: 88,
      memorySizeMb: 1024,
      maxMemoryUsedMb: 301,
    });
    const fields = discoverFields(renderInvocation(simFn(), i).at(-1)!.message);
    expect(Object.fromEntries(fields)).toEqual({
      "@type": "REPORT",
      "@requestId": i.requestId,
      "@duration": 87.5,
      "@billedDuration": 88,
      "@memorySize": 1024 * 1_000_000,
      "@maxMemoryUsed": 301 * 1_000_000,
      "@initDuration": 145.12,
      "@xrayTraceId": i.traceId,
      "@xraySegmentId": i.segmentId,
    });
  });

  it("gives START and END their @type and @requestId, and flattens JSON lines", () => {
    const i = inv();
    const ev = renderInvocation(simFn(), i);
    expect(Object.fromEntries(discoverFields(ev[0]!.message))).toEqual({
      "@type": "START",
      "@requestId": i.requestId,
    });
    const json = discoverFields('{"a":{"b":[1,{"c":"x"}]},"n":null,"ok":true}');
    expect(Object.fromEntries(json)).toEqual({ "a.b.0": 1, "a.b.1.c": "x", ok: true });
  });
});

describe("selective rendering", () => {
  const cases = [
    inv({ initDurationMs: 300 }),
    inv({ outcome: "timeout" }),
    inv({ outcome: "oom" }),
    inv({ outcome: "error", errorType: "E", errorMessage: "m" }),
    inv({
      downstream: Array.from({ length: 5 }, (_, k) => ({
        kind: "sqs" as const,
        resource: "q",
        operation: "SendMessage",
        offsetMs: k,
        durationMs: 1,
        outcome: "ok" as const,
        httpStatus: 200,
      })),
    }),
  ];
  it.each(["Text", "JSON"] as const)(
    "counts lines without rendering and keeps each line's place (%s)",
    (logFormat) => {
      const f = simFn({ logFormat });
      for (const i of cases) {
        const full = renderInvocation(f, i);
        expect(lineCount(f, i)).toBe(full.length);
        const only = renderInvocation(f, i, new Set(["REPORT", "START"]));
        expect(only).toEqual(full.filter((e) => only.some((o) => o.seq === e.seq)));
        expect(only).toHaveLength(2);
      }
    },
  );
});
