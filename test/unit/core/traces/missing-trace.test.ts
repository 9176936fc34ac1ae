/** Why a request with a trace id has no trace (lib/core/traces/missing-trace.ts): each reason and its order. */
import { describe, expect, it } from "vitest";
import { explainMissingTrace, sampledFromLogs, XRAY_RETENTION_MS } from "@/lib/core/traces/missing-trace";

const NOW = Date.UTC(2026, 10, 23, 12);
const idAt = (ms: number) => `1-${Math.floor(ms / 1000).toString(16)}-0123456789abcdef01234567`;
const RECENT = idAt(NOW - 3_600_000);
const base = {
  traceId: RECENT,
  sampled: true,
  tracing: "Active" as const,
  transactionSearch: false,
  now: NOW,
};

describe("explainMissingTrace", () => {
  it("names X-Ray's 30-day retention first", () => {
    const old = idAt(NOW - XRAY_RETENTION_MS - 60_000);
    expect(explainMissingTrace({ ...base, traceId: old, sampled: false }).reason).toBe("expired");
    expect(explainMissingTrace({ ...base, traceId: idAt(NOW - XRAY_RETENTION_MS + 60_000) }).reason).not.toBe(
      "expired",
    );
  });

  it("PassThrough tracing, then not sampled, then Transaction Search, else unknown", () => {
    expect(explainMissingTrace({ ...base, tracing: "PassThrough", sampled: false }).reason).toBe(
      "pass-through",
    );
    expect(explainMissingTrace({ ...base, sampled: false }).reason).toBe("not-sampled");
    expect(explainMissingTrace({ ...base, transactionSearch: true }).reason).toBe("transaction-search");
    expect(explainMissingTrace(base).reason).toBe("unknown");
    // A sampled request under PassThrough (the caller sampled it) is not explained by the mode.
    expect(explainMissingTrace({ ...base, tracing: "PassThrough" }).reason).toBe("unknown");
    // Unknown sampling is never "not sampled"; under PassThrough it is said as the likely reason, with the doubt.
    expect(explainMissingTrace({ ...base, sampled: null }).reason).toBe("unknown");
    const passThroughUnknown = explainMissingTrace({ ...base, tracing: "PassThrough", sampled: null });
    expect(passThroughUnknown.reason).toBe("pass-through");
    expect(passThroughUnknown.message).toMatch(/does not say whether it was sampled/);
  });

  it("says the trace id in every message", () => {
    for (const f of [base, { ...base, sampled: false }, { ...base, transactionSearch: true }]) {
      expect(explainMissingTrace(f).message).toContain(RECENT);
    }
  });
});

describe("sampledFromLogs", () => {
  const id = "0f1e2d3c-4b5a-4697-8877-665544332211";
  const report = (tail: string) =>
    `REPORT RequestId: ${id}\tDuration: 10.00 ms\tBilled Duration: 10 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t${tail}`;

  it("reads Sampled from the text REPORT line and the JSON platform.report", () => {
    expect(
      sampledFromLogs(
        [
          { text: "START" },
          { text: report(`\nXRAY TraceId: ${RECENT}\tSegmentId: a1b2c3d4e5f60718\tSampled: true\t`) },
        ],
        id,
      ),
    ).toBe(true);
    expect(
      sampledFromLogs(
        [{ text: report(`\nXRAY TraceId: ${RECENT}\tSegmentId: a1b2c3d4e5f60718\tSampled: false\t`) }],
        id,
      ),
    ).toBe(false);
    // A REPORT line that does not say (no XRAY fields) is unknown, not "not sampled": the trace is looked up.
    expect(sampledFromLogs([{ text: report("") }], id)).toBeNull();
    const json = (sampled: 0 | 1) =>
      JSON.stringify({
        time: "2026-11-23T11:00:00.000Z",
        type: "platform.report",
        record: {
          requestId: id,
          metrics: { durationMs: 10, billedDurationMs: 10, memorySizeMB: 128, maxMemoryUsedMB: 60 },
          tracing: {
            type: "X-Amzn-Trace-Id",
            value: `Root=${RECENT};Parent=a1b2c3d4e5f60718;Sampled=${sampled}`,
          },
          status: "success",
        },
      });
    expect(sampledFromLogs([{ text: json(1) }], id)).toBe(true);
    expect(sampledFromLogs([{ text: json(0) }], id)).toBe(false);
  });

  it("is null without the request's REPORT", () => {
    expect(
      sampledFromLogs([{ text: report("").replace(id, "00000000-0000-4000-8000-000000000000") }], id),
    ).toBeNull();
    expect(sampledFromLogs([], id)).toBeNull();
  });
});
