/**
 * Error variety in the sandbox's logs (contract C2): function errors carry ids that differ per invocation inside a
 * message shape that stays the same per error site; payments-api's canary (version 8) fails mostly with
 * PaymentDeclinedError, which no other version produces, at the same error rate as before; Powertools-style
 * handled ERROR lines never fail their invocation; JSON-format functions write the init/restore and runtimeDone
 * platform records in order, with timestamps that never decrease, counted exactly by lineCount() and lineBytes().
 */
import { describe, expect, it } from "vitest";
import { generateAccount } from "../../src/fleet/generate";
import type { SimFunction } from "../../src/fleet/model";
import { lineBytes } from "../../src/logs/line-bytes";
import { lineCount, renderInvocation, type LineKind } from "../../src/logs/render";
import { failureStack, functionFailure } from "../../src/sim/failures";
import { Rng } from "../../src/sim/random";
import { createSimulator } from "../../src/sim/simulator";
import type { Invocation } from "../../src/sim/types";
import { renderTraceDocuments } from "../../src/xray/segments";
import { inv, simFn, version } from "../support/logs-fixtures";

const HOUR = 3_600_000;
const FLEET_NOW = Date.UTC(2026, 10, 23, 12);
const iso = (ms: number) => new Date(ms).toISOString();

/** The X-Ray `Overhead` subsegment's length in ms, as the trace of the same invocation draws it. */
function traceOverheadMs(fn: SimFunction, i: Invocation): number {
  const sub = renderTraceDocuments(i, fn, "123456789012").function.subsegments?.find(
    (s) => s.name === "Overhead",
  );
  if (sub?.end_time === undefined) throw new Error("no Overhead subsegment");
  return (sub.end_time - sub.start_time) * 1000;
}

/** What a console would group on: the message with its ids, numbers and quoted values masked. */
const shape = (m: string) =>
  m
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
    .replace(/\b(ch|cus|ord)_[A-Za-z0-9]+/g, "$1_<id>")
    .replace(/'[^']*'|"[^"]*"/g, "<q>")
    .replace(/-?\d+/g, "<n>");

function failures(runtime: string, n: number) {
  return Array.from({ length: n }, (_, k) => functionFailure(runtime, new Rng(1000 + k)));
}

describe("function error messages", () => {
  for (const runtime of ["nodejs22.x", "python3.12", "java21", "ruby3.3", "provided.al2023"]) {
    it(`${runtime}: one message shape and one stack per error type, ids that differ`, () => {
      const byType = new Map<string, string[]>();
      for (const f of failures(runtime, 400))
        byType.set(f.errorType, [...(byType.get(f.errorType) ?? []), f.errorMessage]);
      expect(byType.size).toBeGreaterThanOrEqual(2);
      let withIds = 0;
      for (const [type, messages] of byType) {
        expect(new Set(messages.map(shape)).size, type).toBe(1);
        expect(failureStack(runtime, type)?.length, type).toBeGreaterThan(0);
        if (new Set(messages).size > 1) withIds++;
      }
      expect(withIds).toBeGreaterThanOrEqual(1);
    });
  }

  it("is a function of the invocation's stream and takes exactly one number from it", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    expect(functionFailure("nodejs22.x", a)).toEqual(functionFailure("nodejs22.x", new Rng(42)));
    b.u32();
    expect(a.u32()).toBe(b.u32());
  });

  it("a dominant site takes its share of the errors; the others stay the runtime's", () => {
    const dominant = { errorType: "PaymentDeclinedError", share: 0.9 };
    const all = Array.from({ length: 2000 }, (_, k) => functionFailure("nodejs22.x", new Rng(k), dominant));
    const declined = all.filter((f) => f.errorType === "PaymentDeclinedError");
    expect(declined.length / all.length).toBeGreaterThan(0.87);
    expect(declined.length / all.length).toBeLessThan(0.93);
    expect(new Set(declined.map((f) => shape(f.errorMessage)))).toEqual(
      new Set(["Charge ch_<id> declined for customer cus_<id> (code: card_declined)"]),
    );
    expect(new Set(declined.map((f) => f.errorMessage)).size).toBe(declined.length);
    expect(failures("nodejs22.x", 2000).some((f) => f.errorType === "PaymentDeclinedError")).toBe(false);
  });
});

describe("the fleet: payments-api's canary and audit-trail's handled errors", () => {
  const account = generateAccount({ seed: 7, functionsPerRegion: 40, nowMs: FLEET_NOW });
  const sim = createSimulator(account, { now: () => FLEET_NOW });
  const fns = account.regions.get("us-east-1")!.functions;
  const window = (fn: SimFunction, hours: number) =>
    sim.minutes(fn, FLEET_NOW - hours * HOUR, FLEET_NOW).flatMap((m) => m.invocations);

  it("version 8 fails mostly with PaymentDeclinedError, version 7 never, at the planted error rates", () => {
    const payments = fns.get("payments-api")!;
    // Half an hour: ~500 canary invocations, enough for the rates (the fleet at scale: test/integration).
    const all = window(payments, 0.5);
    const v7 = all.filter((i) => i.version === "7");
    const v8 = all.filter((i) => i.version === "8");
    const errors = (xs: Invocation[]) => xs.filter((i) => i.outcome === "error");
    expect(errors(v7).every((i) => i.errorType !== "PaymentDeclinedError")).toBe(true);
    const declined = errors(v8).filter((i) => i.errorType === "PaymentDeclinedError");
    expect(declined.length / errors(v8).length).toBeGreaterThan(0.8);
    expect(errors(v8).length / v8.length).toBeGreaterThan(0.12);
    expect(errors(v8).length / v8.length).toBeLessThan(0.18);
    expect(errors(v7).length / v7.length).toBeLessThan(0.01);
    // Rendered as Node's Invoke Error, with the site's stack.
    const line = renderInvocation(payments, declined[0]!).find((e) =>
      e.message.includes("\tERROR\tInvoke Error"),
    )!;
    const payload = JSON.parse(line.message.split("Invoke Error \t")[1]!);
    expect(payload.errorType).toBe("PaymentDeclinedError");
    expect(payload.stack[1]).toContain("chargeCard");
  });

  it("only the error kind changed: without the dominant site the invocations are the same but for messages", () => {
    const payments = fns.get("payments-api")!;
    const plain: SimFunction = {
      ...payments,
      versions: payments.versions.map((v) =>
        v.version === "8" ? { ...v, behaviour: { ...v.behaviour, dominantFailure: undefined } } : v,
      ),
    };
    const from = FLEET_NOW - 30 * 60_000;
    const strip = (i: Invocation) => ({ ...i, errorType: null, errorMessage: null });
    const a = sim.minutes(payments, from, FLEET_NOW).flatMap((m) => m.invocations);
    const b = createSimulator(account, { now: () => FLEET_NOW })
      .minutes(plain, from, FLEET_NOW)
      .flatMap((m) => m.invocations);
    expect(a.map(strip)).toEqual(b.map(strip));
    expect(a.some((i, k) => i.errorType !== b[k]!.errorType)).toBe(true);
  });

  it("audit-trail logs Powertools ERROR lines only in invocations that succeed", () => {
    const audit = fns.get("audit-trail")!;
    expect(audit.logFormat).toBe("JSON");
    const all = window(audit, 0.5);
    let handled = 0;
    for (const i of all) {
      const events = renderInvocation(audit, i);
      for (const e of events) {
        const d = JSON.parse(e.message) as Record<string, unknown>;
        if (d.level !== "ERROR" || d.exception_name === undefined) continue;
        handled++;
        expect(i.outcome).toBe("success");
        expect(Object.keys(d)).toEqual([
          "level",
          "location",
          "message",
          "timestamp",
          "service",
          "xray_trace_id",
          "function_request_id",
          "exception",
          "exception_name",
        ]);
        // Powertools (Python)'s timestamp: `2021-05-03 11:47:12,494+0000`, the event's own time.
        const pythonTime = iso(e.timestamp).replace("T", " ").replace(".", ",").replace("Z", "+0000");
        expect(d).toMatchObject({
          service: "audit-trail",
          function_request_id: i.requestId,
          timestamp: pythonTime,
        });
        expect(String(d.timestamp)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\+0000$/);
        expect(String(d.exception)).toMatch(/^Traceback \(most recent call last\):\n/);
        expect(e.timestamp).toBeGreaterThanOrEqual(
          events.find((x) => x.message.includes('"platform.start"'))!.timestamp,
        );
      }
      expect(lineCount(audit, i)).toBe(events.length);
      expect(lineBytes(audit, i, new Set())).toBe(events.reduce((n, e) => n + e.message.length, 0));
    }
    expect(handled).toBeGreaterThan(0);
    expect(handled / all.length).toBeLessThan(0.1);
  });
});

const KINDS: LineKind[] = [
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

function checkCounts(fn: SimFunction, i: Invocation) {
  const all = renderInvocation(fn, i);
  expect(lineCount(fn, i)).toBe(all.length);
  expect(all.map((e) => e.seq)).toEqual(all.map((_, k) => k));
  for (let k = 1; k < all.length; k++)
    expect(all[k]!.timestamp).toBeGreaterThanOrEqual(all[k - 1]!.timestamp);
  for (const kind of KINDS) {
    const only = new Set(KINDS.filter((x) => x !== kind));
    const some = renderInvocation(fn, i, only);
    // A line keeps its place (seq) and its bytes whether or not the others are rendered.
    for (const e of some) expect(all[e.seq]!.message).toBe(e.message);
    expect(lineBytes(fn, i, new Set([kind]))).toBe(some.reduce((n, e) => n + e.message.length, 0));
  }
}

describe("JSON platform records", () => {
  const json = simFn({ logFormat: "JSON" });

  it("a cold start: initStart, initRuntimeDone, initReport, start, …, runtimeDone, report", () => {
    const i = inv({ initDurationMs: 145.12, durationMs: 102.25 });
    const events = renderInvocation(json, i);
    const docs = events.map((e) => JSON.parse(e.message));
    expect(docs.map((d) => d.type).filter(Boolean)).toEqual([
      "platform.initStart",
      "platform.initRuntimeDone",
      "platform.initReport",
      "platform.start",
      "platform.runtimeDone",
      "platform.report",
    ]);
    const handlerStart = Math.round(i.startMs + 145.12);
    const end = Math.round(i.startMs + 145.12 + 102.25);
    expect(docs[1]).toEqual({
      time: iso(handlerStart),
      type: "platform.initRuntimeDone",
      record: { initializationType: "on-demand", phase: "init", status: "success" },
    });
    expect(docs[2]).toEqual({
      time: iso(handlerStart),
      type: "platform.initReport",
      record: {
        initializationType: "on-demand",
        phase: "init",
        status: "success",
        metrics: { durationMs: 145.12 },
      },
    });
    const done = docs.at(-2)!;
    const report = docs.at(-1)!;
    // REPORT's Duration is the whole invoke phase; runtimeDone the runtime's part, the trace's Overhead less.
    expect(report.time).toBe(iso(end));
    expect(report.record.metrics.durationMs).toBe(102.25);
    const overhead = traceOverheadMs(json, i);
    expect(overhead).toBeGreaterThan(0.25);
    expect(report.record.metrics.durationMs - done.record.metrics.durationMs).toBeCloseTo(overhead, 3);
    expect(done.time).toBe(iso(Math.round(i.startMs + 145.12 + done.record.metrics.durationMs)));
    expect(done.record).toMatchObject({ requestId: i.requestId, status: "success" });
    expect(done.record.tracing.value).toBe(`Root=${i.traceId};Parent=${i.segmentId};Sampled=1`);
    const [latency, duration] = done.record.spans;
    expect([latency.name, duration.name]).toEqual(["responseLatency", "responseDuration"]);
    expect(latency.start).toBe(iso(handlerStart));
    expect(latency.durationMs + duration.durationMs).toBeLessThanOrEqual(
      done.record.metrics.durationMs + 1e-9,
    );
    expect(done.record.metrics.producedBytes).toBeGreaterThan(0);
    for (const [k, e] of events.entries()) if (docs[k]!.time) expect(docs[k]!.time).toBe(iso(e.timestamp));
    checkCounts(json, i);
  });

  it("a warm start has no init records; a timeout's runtimeDone has no response", () => {
    const warm = renderInvocation(json, inv()).map((e) => JSON.parse(e.message).type);
    expect(warm.filter(Boolean)).toEqual(["platform.start", "platform.runtimeDone", "platform.report"]);
    const t = inv({
      outcome: "timeout",
      durationMs: 10_000,
      errorType: "Sandbox.Timedout",
      errorMessage: "x",
    });
    const timedOut = renderInvocation(json, t).map((e) => JSON.parse(e.message));
    const done = timedOut.find((d) => d.type === "platform.runtimeDone");
    const report = timedOut.find((d) => d.type === "platform.report");
    expect(done.record.status).toBe("timeout");
    expect(done.record.spans).toBeUndefined();
    expect(Object.keys(done.record.metrics)).toEqual(["durationMs"]);
    expect(report.record.metrics.durationMs).toBe(10_000);
    expect(10_000 - done.record.metrics.durationMs).toBeCloseTo(traceOverheadMs(json, t), 3);
    for (const outcome of ["error", "timeout", "oom"] as const)
      checkCounts(json, inv({ outcome, errorType: "TypeError", errorMessage: 'bad "x"' }));
  });

  it("a SnapStart restore: restoreStart, restoreRuntimeDone, restoreReport before start", () => {
    const snap = simFn({
      logFormat: "JSON",
      snapStart: true,
      versions: [version("3", { runtime: "java21" })],
    });
    const i = inv({ restoreDurationMs: 514.08, billedRestoreDurationMs: 309 });
    const docs = renderInvocation(snap, i).map((e) => JSON.parse(e.message));
    expect(docs.slice(0, 4).map((d) => d.type)).toEqual([
      "platform.restoreStart",
      "platform.restoreRuntimeDone",
      "platform.restoreReport",
      "platform.start",
    ]);
    expect(docs[2].record).toEqual({ status: "success", metrics: { durationMs: 514.08 } });
    checkCounts(snap, i);
  });

  it("Text format writes none of them", () => {
    const text = renderInvocation(simFn(), inv({ initDurationMs: 145.12 })).map((e) => e.message);
    expect(text.some((m) => m.includes("platform."))).toBe(false);
    checkCounts(simFn(), inv({ initDurationMs: 145.12 }));
  });

  it("counts handled-error lines exactly, in both formats and both Powertools flavours", () => {
    // Node.js: Powertools (TypeScript), the error under `error` and an ISO timestamp; Python: `exception_name`.
    const flavours = [
      { runtime: "nodejs22.x", marker: '"error":{"name"' },
      { runtime: "python3.12", marker: '"exception_name"' },
    ];
    for (const { runtime, marker } of flavours)
      for (const logFormat of ["JSON", "Text"] as const) {
        const base = version("3", { runtime });
        const v = version("3", { runtime, behaviour: { ...base.behaviour, loggedErrorRate: 1 } });
        const f = simFn({ logFormat, versions: [v] });
        const i = inv({ initDurationMs: 10 });
        const events = renderInvocation(f, i);
        const lines = events.filter((e) => e.message.includes('"level":"ERROR"'));
        expect(lines).toHaveLength(1);
        expect(lines[0]!.message).toContain(marker);
        const d = JSON.parse(lines[0]!.message) as { timestamp: string; error?: Record<string, string> };
        if (runtime.startsWith("nodejs")) {
          expect(d.timestamp).toBe(iso(lines[0]!.timestamp));
          expect(Object.keys(d.error!)).toEqual(["name", "location", "message", "stack"]);
          expect(d.error!.stack!.startsWith(`${d.error!.name}: ${d.error!.message}\n    at `)).toBe(true);
        } else {
          expect(d.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\+0000$/);
        }
        checkCounts(f, i);
        // A failed invocation logs none: its error is the unhandled one.
        const failed = inv({ outcome: "error", errorType: "TypeError", errorMessage: "boom" });
        expect(renderInvocation(f, failed).some((e) => e.message.includes(marker))).toBe(false);
      }
  });
});
