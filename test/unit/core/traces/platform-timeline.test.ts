import { describe, expect, it } from "vitest";
import { platformTimeline, timelineRows } from "@/lib/core/traces/platform-timeline";
import { epochMs } from "@/lib/core/units";

const ID = "8f5e4c2a-1b3d-4e6f-8a9b-0c1d2e3f4a5b";
const OTHER = "11111111-2222-4333-8444-555555555555";
const T0 = 1_763_899_200_000;
const line = (t: number, text: string) => ({ time: epochMs(T0 + t), text });
const iso = (t: number) => new Date(T0 + t).toISOString();
const json = (t: number, type: string, record: object) =>
  line(t, JSON.stringify({ time: iso(t), type, record }));
const REPORT_TEXT = (extra: string) =>
  `REPORT RequestId: ${ID}\tDuration: 80.00 ms\tBilled Duration: 80 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t${extra}\n`;
const phases = (t: ReturnType<typeof platformTimeline>) =>
  t?.phases.map((p) => [p.phase, p.start - T0, p.duration]) ?? null;

describe("platformTimeline — Text format", () => {
  it("a cold start: INIT_START → REPORT Init Duration, then START → REPORT Duration; no overhead", () => {
    const t = platformTimeline(
      [
        line(0, "INIT_START Runtime Version: python:3.12.v20\tRuntime Version ARN: arn:x\n"),
        line(390, `START RequestId: ${ID} Version: 8\n`),
        line(400, `[INFO]\t${iso(400)}\t${ID}\thello\n`),
        line(470, `END RequestId: ${ID}\n`),
        line(470, REPORT_TEXT("Init Duration: 389.50 ms\t")),
      ],
      ID,
    );
    expect(t?.format).toBe("text");
    expect(phases(t)).toEqual([
      ["init", 0, 389.5],
      ["invocation", 390, 80],
    ]);
    expect(t?.phases[0]?.source).toBe("INIT_START → REPORT Init Duration");
    expect(t?.phases[1]?.source).toBe("START → REPORT");
    expect(t?.phases.some((p) => p.phase === "overhead")).toBe(false);
    expect(t?.notes).toEqual([]);
  });

  it("a warm start has only its invocation", () => {
    const t = platformTimeline(
      [line(10, `START RequestId: ${ID} Version: 8\n`), line(90, REPORT_TEXT(""))],
      ID,
    );
    expect(phases(t)).toEqual([["invocation", 10, 80]]);
  });

  it("a SnapStart restore: RESTORE_START → REPORT Restore Duration, and no init", () => {
    const t = platformTimeline(
      [
        line(0, "RESTORE_START Runtime Version: python:3.12.v20\tRuntime Version ARN: arn:x\n"),
        line(650, `START RequestId: ${ID} Version: 3\n`),
        line(730, REPORT_TEXT("Restore Duration: 649.00 ms\tBilled Restore Duration: 120 ms\t")),
      ],
      ID,
    );
    expect(phases(t)).toEqual([
      ["restore", 0, 649],
      ["invocation", 650, 80],
    ]);
    expect(t?.phases[0]?.label).toBe("Restore (SnapStart)");
    expect(t?.phases[0]?.source).toBe("RESTORE_START → REPORT Restore Duration");
  });

  it("RESTORE_REPORT's own duration wins over the REPORT's", () => {
    const t = platformTimeline(
      [
        line(0, "RESTORE_START Runtime Version: python:3.12.v20\n"),
        line(600, "RESTORE_REPORT Restore Duration: 600.00 ms\n"),
        line(650, `START RequestId: ${ID} Version: 3\n`),
        line(730, REPORT_TEXT("Restore Duration: 649.00 ms\t")),
      ],
      ID,
    );
    expect(t?.phases[0]?.duration).toBe(600);
    expect(t?.phases[0]?.source).toBe("RESTORE_START → RESTORE_REPORT");
  });

  it("an init without INIT_START (container image) is placed just before START", () => {
    const t = platformTimeline(
      [line(500, `START RequestId: ${ID}\n`), line(580, REPORT_TEXT("Init Duration: 300.00 ms\t"))],
      ID,
    );
    expect(phases(t)).toEqual([
      ["init", 200, 300],
      ["invocation", 500, 80],
    ]);
    expect(t?.phases[0]?.source).toContain("placed before START");
  });

  it("INIT_START and START alone give no duration: nothing to draw", () => {
    const t = platformTimeline(
      [line(0, "INIT_START Runtime Version: x\n"), line(300, `START RequestId: ${ID}\n`)],
      ID,
    );
    expect(t).toBeNull();
  });
});

describe("platformTimeline — JSON format", () => {
  const cold = [
    json(0, "platform.initStart", { initializationType: "on-demand", phase: "init" }),
    line(5, JSON.stringify({ level: "INFO", message: "loading model" })),
    json(240, "platform.initRuntimeDone", {
      initializationType: "on-demand",
      phase: "init",
      status: "success",
    }),
    json(241, "platform.initReport", {
      initializationType: "on-demand",
      phase: "init",
      status: "success",
      metrics: { durationMs: 240.5 },
    }),
    json(250, "platform.start", { requestId: ID, version: "$LATEST" }),
    line(260, JSON.stringify({ timestamp: iso(260), level: "INFO", requestId: ID, message: "hi" })),
    json(300, "platform.runtimeDone", {
      requestId: ID,
      status: "success",
      metrics: { durationMs: 50, producedBytes: 12 },
      spans: [
        { name: "responseLatency", start: iso(251), durationMs: 45 },
        { name: "responseDuration", start: iso(296), durationMs: 2 },
      ],
    }),
    json(306, "platform.report", {
      requestId: ID,
      metrics: {
        durationMs: 56,
        billedDurationMs: 57,
        memorySizeMB: 128,
        maxMemoryUsedMB: 60,
        initDurationMs: 240.5,
      },
      status: "success",
    }),
  ];

  it("a cold start: init from initStart/initReport, invocation from runtimeDone, overhead = report − runtimeDone", () => {
    const t = platformTimeline(cold, ID);
    expect(t?.format).toBe("json");
    expect(phases(t)).toEqual([
      ["init", 0, 240.5],
      ["invocation", 250, 50],
      ["overhead", 300, 6],
    ]);
    expect(t?.phases[0]?.source).toBe("platform.initStart → platform.initReport");
    expect(t?.phases[0]?.status).toBe("success");
    expect(t?.phases[1]?.source).toBe("platform.start → platform.runtimeDone");
    expect(t?.phases[1]?.spans.map((s) => [s.name, s.start - T0, s.duration])).toEqual([
      ["responseLatency", 251, 45],
      ["responseDuration", 296, 2],
    ]);
    expect(t?.phases[2]?.source).toBe("platform.report duration − platform.runtimeDone duration");
    expect(t?.end).toBe(T0 + 306);
  });

  it("rows: fractions of the axis, spans one level deeper", () => {
    const rows = timelineRows(platformTimeline(cold, ID)!);
    expect(rows.map((r) => [r.key, r.depth])).toEqual([
      ["init", 0],
      ["invocation", 0],
      ["invocation/0", 1],
      ["invocation/1", 1],
      ["overhead", 0],
    ]);
    expect(rows.every((r) => r.drawn)).toBe(true);
    const inv = rows.find((r) => r.key === "invocation")!;
    expect(inv.offset).toBeCloseTo(250 / 306);
    expect(inv.width).toBeCloseTo(50 / 306);
    for (const r of rows) {
      expect(r.offset).toBeGreaterThanOrEqual(0);
      expect(r.offset + r.width).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it("a warm start without runtimeDone (today's sandbox): invocation from the report, no overhead", () => {
    const t = platformTimeline(
      cold.slice(4).filter((l) => !l.text.includes("runtimeDone")),
      ID,
    );
    expect(phases(t)).toEqual([
      ["init", 250 - 240.5, 240.5],
      ["invocation", 250, 56],
    ]);
    expect(t?.phases[0]?.source).toBe("platform.report Init Duration (placed before START)");
  });

  // The same request, warm: no initDurationMs in its report.
  const warm = cold.slice(4).map((l) => ({ ...l, text: l.text.replace(/,"initDurationMs":240\.5/, "") }));

  it("a SnapStart restore in JSON: restoreStart → restoreReport", () => {
    const t = platformTimeline(
      [
        json(0, "platform.restoreStart", { runtimeVersion: "x" }),
        json(500, "platform.restoreRuntimeDone", { status: "success" }),
        json(501, "platform.restoreReport", { status: "success", metrics: { durationMs: 500 } }),
        ...warm,
      ],
      ID,
    );
    expect(phases(t)).toEqual([
      ["restore", 0, 500],
      ["invocation", 250, 50],
      ["overhead", 300, 6],
    ]);
    expect(t?.phases[0]?.source).toBe("platform.restoreStart → platform.restoreReport");
  });

  it("restore without a report: from restoreStart to restoreRuntimeDone", () => {
    const t = platformTimeline(
      [
        json(0, "platform.restoreStart", {}),
        json(420, "platform.restoreRuntimeDone", { status: "error" }),
        ...warm.slice(0, 1),
        ...warm.slice(2),
      ],
      ID,
    );
    expect(t?.phases[0]).toMatchObject({ phase: "restore", duration: 420, status: "error" });
    expect(t?.phases[0]?.source).toBe("platform.restoreStart → platform.restoreRuntimeDone");
  });
});

describe("platformTimeline — hostile and partial records", () => {
  it("ignores other requests' records and init records before them", () => {
    const t = platformTimeline(
      [
        line(0, "INIT_START Runtime Version: x\n"),
        line(10, `START RequestId: ${OTHER}\n`),
        line(20, REPORT_TEXT("Init Duration: 9.00 ms\t").replace(ID, OTHER)),
        line(30, `START RequestId: ${ID}\n`),
        line(110, REPORT_TEXT("")),
      ],
      ID,
    );
    expect(phases(t)).toEqual([["invocation", 30, 80]]);
  });

  it("drops malformed JSON, negative, huge and non-numeric durations and bad span times", () => {
    const t = platformTimeline(
      [
        line(0, '{"type":"platform.initStart","record":'),
        json(1, "platform.initReport", { metrics: { durationMs: -5 } }),
        json(2, "platform.start", { requestId: ID }),
        json(50, "platform.runtimeDone", {
          requestId: ID,
          status: "success",
          metrics: { durationMs: "48" },
          spans: [
            { name: "responseLatency", start: "yesterday", durationMs: 3 },
            { name: "responseDuration", start: iso(40), durationMs: 1e12 },
            { name: 7, start: iso(40), durationMs: 1 },
            "not a span",
          ],
        }),
        json(52, "platform.report", {
          requestId: ID,
          metrics: {
            durationMs: 50,
            billedDurationMs: 50,
            memorySizeMB: 128,
            maxMemoryUsedMB: 1,
            initDurationMs: 1e15,
          },
        }),
      ],
      ID,
    );
    expect(phases(t)).toEqual([["invocation", 2, 50]]);
    expect(t?.phases[0]?.spans).toEqual([]);
    expect(t?.phases[0]?.source).toBe("platform.start → platform.report");
  });

  it("a zero-length overhead (REPORT = runtimeDone) is stated as 0 ms, never drawn as a bar", () => {
    const t = platformTimeline(
      [
        json(0, "platform.start", { requestId: ID }),
        json(80, "platform.runtimeDone", { requestId: ID, status: "success", metrics: { durationMs: 80 } }),
        json(80, "platform.report", {
          requestId: ID,
          metrics: { durationMs: 80, billedDurationMs: 80, memorySizeMB: 128, maxMemoryUsedMB: 1 },
        }),
      ],
      ID,
    );
    expect(phases(t)).toEqual([
      ["invocation", 0, 80],
      ["overhead", 80, 0],
    ]);
    const rows = timelineRows(t!);
    expect(rows.map((r) => [r.key, r.drawn])).toEqual([
      ["invocation", true],
      ["overhead", false],
    ]);
  });

  it("a runtimeDone longer than the REPORT gives no overhead, and says so", () => {
    const t = platformTimeline(
      [
        json(0, "platform.start", { requestId: ID }),
        json(90, "platform.runtimeDone", { requestId: ID, status: "success", metrics: { durationMs: 90 } }),
        json(91, "platform.report", {
          requestId: ID,
          metrics: { durationMs: 80, billedDurationMs: 80, memorySizeMB: 128, maxMemoryUsedMB: 1 },
        }),
      ],
      ID,
    );
    expect(t?.phases.map((p) => p.phase)).toEqual(["invocation"]);
    expect(t?.notes.join(" ")).toMatch(/overhead cannot be derived/);
  });

  it("without START, the invocation is placed from its end; without any own record, null", () => {
    const t = platformTimeline([line(500, REPORT_TEXT(""))], ID);
    expect(phases(t)).toEqual([["invocation", 420, 80]]);
    expect(platformTimeline([line(500, REPORT_TEXT("").replace(ID, OTHER))], ID)).toBeNull();
    expect(platformTimeline([line(0, "garbage"), line(1, "{}"), line(2, "[1,2]")], ID)).toBeNull();
  });

  it("a runtimeDone without REPORT: the invocation, and a note that the REPORT is missing", () => {
    const t = platformTimeline(
      [
        json(0, "platform.start", { requestId: ID }),
        json(40, "platform.runtimeDone", { requestId: ID, status: "timeout", metrics: { durationMs: 40 } }),
      ],
      ID,
    );
    expect(t?.phases[0]).toMatchObject({ phase: "invocation", duration: 40, status: "timeout" });
    expect(t?.notes.join(" ")).toMatch(/No REPORT/);
  });
});
