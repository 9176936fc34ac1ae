/**
 * readPlatformRecords: platform.runtimeDone is read through the line parser's schema (telemetry/platform-json.ts);
 * the timeline keeps what it can of a record and drops only what does not read.
 */
import { describe, expect, it } from "vitest";
import { readPlatformRecords } from "@/lib/core/traces/platform-records";
import { epochMs } from "@/lib/core/units";

const ID = "8f5e4c2a-1b3d-4e6f-8a9b-0c1d2e3f4a5b";
const T0 = Date.parse("2026-11-23T11:30:00Z");
const done = (record: unknown) => ({
  time: epochMs(T0),
  text: JSON.stringify({ time: "2026-11-23T11:30:01.000Z", type: "platform.runtimeDone", record }),
});

describe("readPlatformRecords: platform.runtimeDone", () => {
  it("reads status, duration and its spans, at the record's own time", () => {
    const [r] = readPlatformRecords([
      done({
        requestId: ID,
        status: "success",
        metrics: { durationMs: 50, producedBytes: 12 },
        spans: [
          { name: "responseLatency", start: "2026-11-23T11:30:00.950Z", durationMs: 40 },
          { name: "responseDuration", start: "2026-11-23T11:30:00.990Z", durationMs: 5 },
        ],
      }),
    ]);
    expect(r).toEqual({
      type: "runtimeDone",
      at: T0 + 1_000,
      source: "platform.runtimeDone",
      requestId: ID,
      status: "success",
      duration: 50,
      spans: [
        { name: "responseLatency", start: T0 + 950, duration: 40 },
        { name: "responseDuration", start: T0 + 990, duration: 5 },
      ],
    });
  });

  it("keeps the record when only a part of it is malformed; drops it without a request id", () => {
    const [r] = readPlatformRecords([
      done({
        requestId: ID,
        status: 42,
        metrics: { durationMs: -3 },
        spans: [
          { name: "responseLatency", start: "not a time", durationMs: 4 },
          { name: "x", start: "2026-11-23T11:30:00.990Z", durationMs: 1e12 },
          "junk",
          { name: "ok", start: "2026-11-23T11:30:00.990Z", durationMs: 2 },
        ],
      }),
    ]);
    expect(r).toMatchObject({
      type: "runtimeDone",
      requestId: ID,
      status: null,
      duration: null,
      spans: [{ name: "ok", start: T0 + 990, duration: 2 }],
    });
    expect(
      readPlatformRecords([done({ status: "success" }), done({ requestId: "", status: "error" })]),
    ).toEqual([]);
    const many = readPlatformRecords([
      done({
        requestId: ID,
        spans: Array.from({ length: 21 }, () => ({ name: "s", start: "x", durationMs: 1 })),
      }),
    ]);
    expect(many).toMatchObject([{ type: "runtimeDone", status: null, spans: [] }]);
  });
});
