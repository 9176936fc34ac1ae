import { describe, expect, it } from "vitest";
import { prettyJson, selectRequestLogs } from "@/lib/core/traces/request-logs";
import type { LogEvent } from "@/lib/core/telemetry/types";
import { epochMs } from "@/lib/core/units";

const ID = "8f5e4c2a-1b3d-4e6f-8a9b-0c1d2e3f4a5b";
const OTHER = "11111111-2222-4333-8444-555555555555";
const ev = (t: number, message: string, logStream = "2026/11/23/[8]abc"): LogEvent => ({
  timestamp: epochMs(1_763_899_200_000 + t),
  message,
  logStream,
});

const events = [
  ev(0, "START RequestId: " + OTHER + " Version: 8\n"),
  ev(
    5,
    "REPORT RequestId: " +
      OTHER +
      "\tDuration: 3.00 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t\n",
  ),
  ev(
    10,
    "INIT_START Runtime Version: python:3.12.v20\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc\n",
    "2026/11/23/[8]def",
  ),
  ev(400, `START RequestId: ${ID} Version: 8\n`, "2026/11/23/[8]def"),
  ev(401, `[INFO]\t2026-11-23T12:00:00.401Z\t${ID}\tProcessing order\n`, "2026/11/23/[8]def"),
  ev(402, "START RequestId: " + OTHER + " Version: 8\n", "2026/11/23/[8]zzz"),
  ev(450, '{"level":"WARN","message":"slow call","function_request_id":"' + ID + '"}', "2026/11/23/[8]def"),
  // A Python traceback carries no request id: it belongs to the request running in its stream.
  ev(
    480,
    "[ERROR] KeyError: 'sku'\nTraceback (most recent call last):\n  File \"/var/task/app.py\"\n",
    "2026/11/23/[8]def",
  ),
  ev(481, `END RequestId: ${ID}\n`, "2026/11/23/[8]def"),
  ev(
    481,
    `REPORT RequestId: ${ID}\tDuration: 80.00 ms\tBilled Duration: 80 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 389.50 ms\t\n`,
    "2026/11/23/[8]def",
  ),
  ev(900, `START RequestId: ${OTHER} Version: 8\n`, "2026/11/23/[8]def"),
];

describe("selectRequestLogs", () => {
  it("takes INIT_START..REPORT of the request's stream, with levels and JSON pretty-printed", () => {
    const { lines, complete } = selectRequestLogs(events, ID);
    expect(complete).toEqual({ start: true, report: true });
    expect(lines.map((l) => l.text.split(/[\t\n ]/)[0])).toEqual([
      "INIT_START",
      "START",
      "[INFO]",
      '{"level":"WARN","message":"slow',
      "[ERROR]",
      "END",
      "REPORT",
    ]);
    expect(lines.map((l) => l.level)).toEqual([null, null, "info", "warn", "error", null, null]);
    expect(lines.map((l) => l.platform)).toEqual([true, true, false, false, false, true, true]);
    expect(lines[3]!.json).toBe(JSON.stringify(JSON.parse(events[6]!.message), null, 2));
  });

  it("without START it starts at the first line naming the request, and says so", () => {
    const { lines, complete } = selectRequestLogs(events.slice(4), ID);
    expect(complete).toEqual({ start: false, report: true });
    expect(lines[0]!.text).toContain("Processing order");
  });

  it("is empty for a request the events never mention", () => {
    expect(selectRequestLogs(events, "99999999-2222-4333-8444-555555555555").lines).toEqual([]);
  });
});

describe("prettyJson", () => {
  it("pretty-prints a JSON message or a JSON tail after the last tab, and nothing else", () => {
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('2026-11-23T12:00:00Z\tid\tERROR\tInvoke Error \t{"errorType":"E"}')).toBe(
      '{\n  "errorType": "E"\n}',
    );
    expect(prettyJson("{not json}")).toBeNull();
    expect(prettyJson("plain text")).toBeNull();
  });
});

describe("selectRequestLogs — a cold start's records before START", () => {
  const S = "2026/11/23/[3]snap";
  const iso = (t: number) => new Date(1_763_899_200_000 + t).toISOString();
  const rec = (t: number, type: string, record: object) =>
    ev(t, JSON.stringify({ time: iso(t), type, record }), S);

  it("keeps a SnapStart RESTORE_START before START (Text)", () => {
    const got = selectRequestLogs(
      [
        ev(0, "RESTORE_START Runtime Version: python:3.12.v20\tRuntime Version ARN: arn:x\n", S),
        ev(650, `START RequestId: ${ID} Version: 3\n`, S),
        ev(
          700,
          `REPORT RequestId: ${ID}\tDuration: 50.00 ms\tBilled Duration: 50 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tRestore Duration: 649.00 ms\t\n`,
          S,
        ),
      ],
      ID,
    );
    expect(got.lines[0]?.text).toMatch(/^RESTORE_START/);
    expect(got.lines).toHaveLength(3);
  });

  it("keeps JSON init records and init-time log lines back to platform.initStart", () => {
    const got = selectRequestLogs(
      [
        rec(0, "platform.initStart", { initializationType: "on-demand", phase: "init" }),
        ev(5, JSON.stringify({ level: "INFO", message: "loading model" }), S),
        rec(240, "platform.initRuntimeDone", { status: "success" }),
        rec(241, "platform.initReport", { status: "success", metrics: { durationMs: 240 } }),
        rec(250, "platform.start", { requestId: ID }),
        rec(300, "platform.report", {
          requestId: ID,
          metrics: { durationMs: 50, billedDurationMs: 50, memorySizeMB: 128, maxMemoryUsedMB: 60 },
        }),
      ],
      ID,
    );
    expect(got.lines).toHaveLength(6);
    expect(got.lines[0]?.text).toContain("platform.initStart");
  });

  it("a warm start does not reach back past the previous request", () => {
    const got = selectRequestLogs(
      [
        rec(0, "platform.initStart", {}),
        rec(10, "platform.start", { requestId: OTHER }),
        rec(20, "platform.report", {
          requestId: OTHER,
          metrics: { durationMs: 5, billedDurationMs: 5, memorySizeMB: 128, maxMemoryUsedMB: 60 },
        }),
        rec(30, "platform.start", { requestId: ID }),
        rec(80, "platform.report", {
          requestId: ID,
          metrics: { durationMs: 50, billedDurationMs: 50, memorySizeMB: 128, maxMemoryUsedMB: 60 },
        }),
      ],
      ID,
    );
    expect(got.lines).toHaveLength(2);
    expect(got.lines[0]?.text).toContain(`"requestId":"${ID}"`);
  });
});
