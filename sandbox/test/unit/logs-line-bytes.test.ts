/**
 * bytesScanned without rendering (logs/line-bytes.ts): lineBytes() must equal the length of what
 * renderInvocation() writes, for every line kind a scan may leave unrendered, on hand-built invocations that hit
 * every branch (formats, runtimes, outcomes, spans, strings JSON must escape, five-digit years) and on a sample of
 * the simulated fleet.
 */
import { describe, expect, it } from "vitest";
import type { SimFunction } from "../../src/fleet/model";
import { generateAccount } from "../../src/fleet/generate";
import { jsonNumber, lineBytes } from "../../src/logs/line-bytes";
import { renderInvocation, type LineKind } from "../../src/logs/render";
import { createSimulator } from "../../src/sim/simulator";
import type { DownstreamSpan, Invocation } from "../../src/sim/types";
import { inv, MINUTE, NOW, simFn, version } from "../support/logs-fixtures";

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
const EXCEPTS: ReadonlySet<LineKind>[] = [
  new Set(),
  new Set(["REPORT"]),
  new Set(KINDS),
  ...KINDS.map((k) => new Set([k])),
  ...KINDS.map((k) => new Set(KINDS.filter((x) => x !== k))),
];

function rendered(fn: SimFunction, i: Invocation, except: ReadonlySet<LineKind>): number {
  const only = new Set(KINDS.filter((k) => !except.has(k)));
  return renderInvocation(fn, i, only).reduce((n, e) => n + e.message.length, 0);
}

function mismatches(cases: { fn: SimFunction; inv: Invocation }[]): unknown[] {
  const out: unknown[] = [];
  for (const { fn, inv: i } of cases) {
    for (const except of EXCEPTS) {
      const want = rendered(fn, i, except);
      const got = lineBytes(fn, i, except);
      if (got !== want)
        out.push({ fn: fn.name, format: fn.logFormat, id: i.requestId, except: [...except], got, want });
    }
  }
  return out;
}

const span = (over: Partial<DownstreamSpan> = {}): DownstreamSpan => ({
  kind: "dynamodb",
  resource: "orders-table",
  operation: "GetItem",
  offsetMs: 3.5,
  durationMs: 12.34,
  outcome: "ok",
  httpStatus: 200,
  ...over,
});

describe("lineBytes", () => {
  it("equals the rendered length on hand-built invocations covering every branch", () => {
    const fns = [
      simFn(),
      simFn({
        name: "py",
        latest: version("$LATEST", { runtime: "python3.12" }),
        versions: [version("3", { runtime: "python3.12" })],
      }),
      simFn({
        name: "image",
        packageType: "Image",
        latest: version("$LATEST", { runtime: null }),
        versions: [version("3", { runtime: null })],
      }),
      simFn({ name: "json", logFormat: "JSON" }),
      simFn({ name: "json-py", logFormat: "JSON", versions: [version("3", { runtime: "python3.12" })] }),
    ];
    const spans = [
      [],
      [span()],
      [
        span({ durationMs: 0.1, outcome: "error", httpStatus: 400 }),
        span({ durationMs: 100, kind: "s3" }),
        span(),
      ],
      [
        span({ durationMs: 12.345678, resource: 'quote"and\\slash' }),
        span({ resource: "tab\tnew\nline\u0001", operation: "Put\u00e9\u{1F600}" }),
        span({ resource: "lone\ud800surrogate", durationMs: -0.5 }),
        span({ durationMs: 1e21 }),
      ],
    ];
    const cases: { fn: SimFunction; inv: Invocation }[] = [];
    let k = 0;
    for (const fn of fns) {
      for (const outcome of ["success", "error", "timeout", "oom"] as const) {
        for (const ds of spans) {
          for (const cold of [false, true]) {
            // Request ids vary the hash that picks the message and the optional "Completed in" line; the
            // durations (every rounding branch) cycle with k.
            for (let r = 0; r < 2; r++) {
              k++;
              cases.push({
                fn,
                inv: inv({
                  functionName: fn.name,
                  version: k % 7 === 0 ? "$LATEST" : k % 11 === 0 ? "99" : "3",
                  startMs: k % 13 === 0 ? Date.UTC(10_000, 0, 1) - 500 : NOW - 30 * MINUTE + k * 997,
                  durationMs: [102.25, 0, 9.995, 24_900.5, 1.005][k % 5]!,
                  initDurationMs: cold ? 210.5 : null,
                  outcome,
                  errorType: outcome === "error" ? (r % 2 ? "TypeError" : 'Bad"Type') : null,
                  errorMessage: outcome === "error" ? (r % 2 ? "boom" : "line\nbreak \u2028 é") : null,
                  sampled: r % 2 === 0,
                  downstream: ds,
                }),
              });
            }
          }
        }
      }
    }
    expect(cases.length).toBeGreaterThan(300);
    expect(mismatches(cases)).toEqual([]);
  });

  it("equals the rendered length on the simulated fleet", () => {
    const account = generateAccount({ seed: 7, functionsPerRegion: 20, regions: ["us-east-1"], nowMs: NOW });
    const sim = createSimulator(account, { now: () => NOW });
    const fns = [...account.regions.get("us-east-1")!.functions.values()];
    const sample = fns.flatMap((fn) =>
      sim
        .minutes(fn, NOW - 4 * MINUTE, NOW - 2 * MINUTE)
        .flatMap((m) => m.invocations)
        .slice(0, 20)
        .map((i) => ({ fn, inv: i })),
    );
    expect(sample.length).toBeGreaterThan(150);
    expect(sample.some((s) => s.fn.logFormat === "JSON")).toBe(true);
    expect(mismatches(sample)).toEqual([]);
  });

  it("measures numbers as JSON.stringify prints them", () => {
    const values = [
      0,
      -0,
      1,
      -1,
      7,
      10,
      99.99,
      0.01,
      0.1,
      0.5,
      12.3,
      12.34,
      -12.34,
      1e12 + 0.25,
      999_999_999_999.99,
    ];
    values.push(1e15, 1e21, 2 ** 53 + 2, 1e-7, 1 / 3, Math.PI, 123.456, NaN, Infinity, -Infinity);
    for (let k = 0; k < 400; k++) {
      const x = (k * 7919.37) % 100_000;
      values.push(x, Math.round(x * 100) / 100, Math.round(x * 10) / 10, Math.round(x));
    }
    for (const x of values) expect([x, jsonNumber(x)]).toEqual([x, JSON.stringify(x).length]);
  });
});
