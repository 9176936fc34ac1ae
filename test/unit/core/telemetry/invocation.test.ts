import { describe, expect, it } from "vitest";
import { assembleInvocations } from "@/lib/core/telemetry/invocation";
import type { LogEvent } from "@/lib/core/telemetry/types";
import { epochMs } from "@/lib/core/units";
import * as fx from "./fixtures";

const T0 = Date.parse("2024-05-06T10:11:12.000Z");
const events = (lines: string[], startAt: number, logStream?: string): LogEvent[] =>
  lines.map((message, i) => ({ timestamp: epochMs(startAt + i * 10), message, logStream }));

describe("assembleInvocations", () => {
  it("assembles a cold start with version, timing, memory and trace id", () => {
    const { invocations, incomplete, parseErrors } = assembleInvocations(events(fx.textColdStart, T0));
    expect(incomplete).toEqual([]);
    expect(parseErrors).toBe(0);
    expect(invocations).toEqual([
      {
        requestId: fx.ID_COLD,
        version: "7",
        start: T0 + 10,
        end: T0 + 40,
        duration: 102.25,
        billedDuration: 103,
        memorySize: 128,
        maxMemoryUsed: 70,
        initDuration: 145.12,
        restoreDuration: null,
        coldStart: true,
        traceId: fx.TRACE,
        status: "success",
        errorType: null,
      },
    ]);
  });

  it("derives each status from the platform's signals", () => {
    const all = [
      ...events(fx.textWarm, T0, "s1"),
      ...events(fx.textTimeout, T0 + 100, "s1"),
      ...events(fx.textOom, T0 + 200, "s2"),
      ...events(fx.textUnhandled, T0 + 300, "s2"),
      ...events(fx.textSnapStart, T0 + 400, "s3"),
      ...events(fx.jsonColdStart, T0 + 500, "s4"),
    ];
    const { invocations } = assembleInvocations(all);
    const byId = new Map(invocations.map((i) => [i.requestId, i]));
    expect(byId.get(fx.ID_WARM)).toMatchObject({ status: "success", coldStart: false, version: "$LATEST" });
    expect(byId.get(fx.ID_TIMEOUT)?.status).toBe("timeout");
    expect(byId.get(fx.ID_OOM)?.status).toBe("oom");
    expect(byId.get(fx.ID_UNHANDLED)).toMatchObject({
      status: "error",
      errorType: "Runtime.UnhandledPromiseRejection",
    });
    expect(byId.get(fx.ID_SNAP)).toMatchObject({
      coldStart: true,
      restoreDuration: 571.67,
      initDuration: null,
    });
    expect(byId.get(fx.ID_JSON)).toMatchObject({
      status: "timeout",
      version: "5",
      coldStart: true,
      traceId: fx.TRACE,
    });
    expect(invocations.map((i) => i.end)).toEqual([...invocations.map((i) => i.end)].sort((a, b) => a - b));
  });

  it("attributes an id-less OOM line to the request running in its own stream only", () => {
    // Stream s1 runs the OOM request; stream s2 runs a healthy request whose lines interleave in time.
    const oom = events(fx.textOom, T0, "s1");
    const warm = events(fx.textWarm, T0 + 5, "s2");
    const { invocations } = assembleInvocations([...warm, ...oom]);
    expect(invocations.find((i) => i.requestId === fx.ID_OOM)?.status).toBe("oom");
    expect(invocations.find((i) => i.requestId === fx.ID_WARM)?.status).toBe("success");
  });

  it("lists requests without a REPORT as incomplete and counts malformed platform lines", () => {
    const lines = [fx.textColdStart[1]!, fx.textColdStart[2]!, "REPORT RequestId: broken", ...fx.textWarm];
    const { invocations, incomplete, parseErrors } = assembleInvocations(events(lines, T0));
    expect(invocations.map((i) => i.requestId)).toEqual([fx.ID_WARM]);
    expect(incomplete).toEqual([fx.ID_COLD]);
    expect(parseErrors).toBe(1);
  });

  it("orders by timestamp, not by input order", () => {
    const shuffled = events(fx.textTimeout, T0).reverse();
    expect(assembleInvocations(shuffled).invocations[0]).toMatchObject({
      status: "timeout",
      version: "7",
      start: T0,
    });
  });
});
