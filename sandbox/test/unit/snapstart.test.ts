/**
 * SnapStart in the sandbox: ml-inference (python3.12, SnapStart on published versions) restores a snapshot on its
 * cold starts instead of running INIT, and every signal says so the way AWS writes it: REPORT `Restore Duration` /
 * `Billed Restore Duration` (JSON `restoreDurationMs` / `billedRestoreDurationMs`), `RESTORE_START` before START,
 * an X-Ray `Restore` subsegment; no Logs Insights field is discovered for them (a query parses @message).
 */
import { describe, expect, it } from "vitest";
import { generateAccount } from "../../src/fleet/generate";
import type { SimFunction } from "../../src/fleet/model";
import { listGroups } from "../../src/logs/groups";
import { discoverFields } from "../../src/logs/insights/fields";
import { lineBytes } from "../../src/logs/line-bytes";
import { compile, runQuery } from "../../src/logs/queries";
import {
  lineCount,
  renderInvocation,
  textReport,
  textReportLength,
  type LineKind,
} from "../../src/logs/render";
import { createSimulator } from "../../src/sim/simulator";
import type { Invocation } from "../../src/sim/types";
import { renderTraceDocuments } from "../../src/xray/segments";
import { context, inv, NOW, simFn, version } from "../support/logs-fixtures";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FLEET_NOW = Date.UTC(2026, 0, 15, 12);

function fleetHour() {
  const account = generateAccount({ seed: 7, functionsPerRegion: 20, nowMs: FLEET_NOW });
  const sim = createSimulator(account, { now: () => FLEET_NOW });
  const fns = [...account.regions.get("us-east-1")!.functions.values()];
  const invocations = (fn: SimFunction, span = HOUR) =>
    sim.minutes(fn, FLEET_NOW - span, FLEET_NOW).flatMap((m) => m.invocations);
  return { fns, invocations };
}

describe("the simulated fleet", () => {
  const { fns, invocations } = fleetHour();
  const ml = fns.find((f) => f.name === "ml-inference")!;

  it("ml-inference restores on its cold starts: no INIT, billed restore apart from the billed duration", () => {
    expect([ml.snapStart, ml.latest.runtime, ml.latest.ephemeralStorage]).toEqual([true, "python3.12", 512]);
    const all = invocations(ml);
    const restores = all.filter((i) => i.restoreDurationMs != null);
    expect(restores.length).toBeGreaterThan(0);
    expect(all.some((i) => i.initDurationMs !== null)).toBe(false); // traffic goes through `live`: published
    for (const i of restores) {
      expect(i.version).not.toBe("$LATEST");
      expect(i.billedDurationMs).toBe(Math.ceil(i.durationMs - 1e-9));
      expect(i.billedRestoreDurationMs).toBeGreaterThan(0);
      expect(i.billedRestoreDurationMs!).toBeLessThanOrEqual(Math.ceil(i.restoreDurationMs!));
    }
  });

  it("no other function restores", () => {
    let seen = 0;
    for (const fn of fns.filter((f) => f !== ml)) {
      expect(fn.snapStart).toBe(false);
      // Ten minutes each: the hour of every function is the integration project's (sim-*.test.ts) scale.
      const some = invocations(fn, 10 * MINUTE);
      seen += some.length;
      expect(some.some((i) => "restoreDurationMs" in i)).toBe(false);
    }
    expect(seen).toBeGreaterThan(0);
  });
});

const snapFn = (logFormat: "Text" | "JSON") =>
  simFn({
    name: "ml",
    logGroup: "/aws/lambda/ml",
    logFormat,
    snapStart: true,
    versions: [version("3", { runtime: "python3.12", memorySize: 3008 })],
    latest: version("$LATEST", { runtime: "python3.12", memorySize: 3008 }),
  });
const restored = (over: Partial<Invocation> = {}) =>
  inv({
    functionName: "ml",
    memorySizeMb: 3008,
    restoreDurationMs: 514.08,
    billedRestoreDurationMs: 309,
    durationMs: 2596.28,
    billedDurationMs: 2597,
    ...over,
  });

describe("log lines of a restore", () => {
  it("text: RESTORE_START, then a REPORT with Restore Duration and Billed Restore Duration, no Init Duration", () => {
    const fn = snapFn("Text");
    const i = restored({ sampled: false });
    const lines = renderInvocation(fn, i).map((e) => e.message);
    expect(lines[0]).toMatch(/^RESTORE_START Runtime Version: python:3\.12\.v\d+\tRuntime Version ARN: /);
    expect(lines[1]).toBe(`START RequestId: ${i.requestId} Version: 3\n`);
    expect(lines.at(-1)).toBe(
      `REPORT RequestId: ${i.requestId}\tDuration: 2596.28 ms\tBilled Duration: 2597 ms\tMemory Size: 3008 MB\t` +
        "Max Memory Used: 70 MB\tRestore Duration: 514.08 ms\tBilled Restore Duration: 309 ms\t\n",
    );
    // START and the handler follow the restore, as they follow INIT.
    const events = renderInvocation(fn, i);
    expect(events[1]!.timestamp - events[0]!.timestamp).toBe(514);
  });

  it("JSON: platform.restoreStart and the report's restore metrics", () => {
    const fn = snapFn("JSON");
    const lines = renderInvocation(fn, restored()).map(
      (e) => JSON.parse(e.message) as Record<string, unknown>,
    );
    expect(lines[0]?.type).toBe("platform.restoreStart");
    const report = lines.at(-1) as { type: string; record: { metrics: Record<string, number> } };
    expect(report.type).toBe("platform.report");
    expect(report.record.metrics).toMatchObject({ restoreDurationMs: 514.08, billedRestoreDurationMs: 309 });
    expect(report.record.metrics).not.toHaveProperty("initDurationMs");
  });

  it("counts bytes and lines of a restore as it renders them", () => {
    const kinds: LineKind[] = [
      "INIT_START",
      "INIT_REPORT",
      "START",
      "APP",
      "TIMEOUT",
      "OOM",
      "END",
      "RUNTIME_DONE",
      "REPORT",
    ];
    for (const format of ["Text", "JSON"] as const) {
      const fn = snapFn(format);
      for (const i of [
        restored(),
        restored({ sampled: false, outcome: "timeout", restoreDurationMs: 0.005 }),
      ]) {
        expect(textReportLength(i)).toBe(textReport(i).length);
        expect(lineCount(fn, i)).toBe(renderInvocation(fn, i).length);
        for (const k of kinds) {
          const except = new Set([k]);
          const only = new Set(kinds.filter((x) => x !== k));
          const want = renderInvocation(fn, i, only).reduce((n, e) => n + e.message.length, 0);
          expect(lineBytes(fn, i, except)).toBe(want);
        }
      }
    }
  });

  it("X-Ray: a Restore subsegment where Initialization would be, and the invocation still a cold start", () => {
    const fn = snapFn("Text");
    const docs = renderTraceDocuments(restored(), fn, "123456789012");
    const subs = docs.function.subsegments ?? [];
    expect(subs.map((s) => s.name)).toEqual(["Restore", "Invocation", "Overhead"]);
    const r = subs[0]!;
    expect(Math.round((r.end_time! - r.start_time) * 100_000) / 100).toBe(514.08);
    expect(subs[1]?.annotations?.coldStart).toBe(true);
  });
});

describe("Logs Insights over restores", () => {
  it("discovers no restore field: a query parses the REPORT line", () => {
    const report = textReport(restored());
    const f = discoverFields(report);
    expect(f.get("@type")).toBe("REPORT");
    expect([...f.keys()].filter((k) => /restore/i.test(k))).toEqual([]);
  });

  it("REPORT cursors and rendered lines give the same answer on parsed restores, in both formats", () => {
    const text = snapFn("Text");
    const json = { ...snapFn("JSON"), name: "mlj", logGroup: "/aws/lambda/mlj" };
    const at = (m: number) => NOW - m * 60_000;
    const list = (name: string) => [
      restored({ functionName: name, startMs: at(30) }),
      restored({
        functionName: name,
        startMs: at(20),
        restoreDurationMs: 700.5,
        billedRestoreDurationMs: 421,
      }),
      inv({ functionName: name, startMs: at(10) }),
    ];
    const ctx = context([text, json], { ml: list("ml"), mlj: list("mlj") });
    const gs = listGroups(ctx, "us-east-1");
    const queries = [
      'filter @type = "REPORT" | parse @message /Billed Restore Duration: (?<b>\\d+) ms/ ' +
        "| stats count(*) as n, count(b) as restores, sum(b) as billed by @log",
      'filter type = "platform.report" | stats count(*) as n, count(record.metrics.billedRestoreDurationMs) as ' +
        "restores, sum(record.metrics.billedRestoreDurationMs) as billed by @log",
    ];
    const rows = queries.flatMap((q) => {
      const c = compile(q);
      const fast = runQuery(ctx, gs, c, (NOW - HOUR) / 1000, NOW / 1000, 100, "auto");
      const slow = runQuery(ctx, gs, c, (NOW - HOUR) / 1000, NOW / 1000, 100, "rendered");
      expect(fast).toEqual(slow);
      return fast.results;
    });
    const values = rows.map((r) => Object.fromEntries(r.map((f) => [f.field, f.value])));
    expect(values).toEqual([
      { "@log": "123456789012:/aws/lambda/ml", n: "3", restores: "2", billed: "730" },
      { "@log": "123456789012:/aws/lambda/mlj", n: "3", restores: "2", billed: "730" },
    ]);
  });
});
