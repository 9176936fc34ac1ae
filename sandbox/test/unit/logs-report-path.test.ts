/**
 * The engine's fast strategy (REPORT cursors read from the invocations, insights/report-cursor.ts) against the
 * same engine fed rendered lines (render every line, parse it back), on hand-built invocations: the text REPORT
 * length, the line planner, which queries read REPORT cursors. The same against the simulated fleet:
 * test/integration/sim-logs-report-path.test.ts.
 */
import { describe, expect, it } from "vitest";
import { listGroups } from "../../src/logs/groups";
import { canRunOnReports, lineSelection } from "../../src/logs/insights/lines";
import { parseQuery } from "../../src/logs/insights/parser";
import { compile, runQuery } from "../../src/logs/queries";
import { textReport, textReportLength } from "../../src/logs/render";
import { context, inv, NOW, simFn } from "../support/logs-fixtures";

describe("the REPORT cursor", () => {
  it("computes the text REPORT length without rendering, rounding included", () => {
    const odd = [0, 0.005, 1.005, 9.995, 99.999, 102.25, 1234.5, 1e15 + 0.5, 2.675];
    for (const d of odd) {
      for (const init of [null, d]) {
        for (const outcome of ["success", "timeout", "oom"] as const) {
          for (const sampled of [true, false]) {
            const x = inv({ durationMs: d, initDurationMs: init, outcome, sampled, maxMemoryUsedMb: d });
            expect(textReportLength(x)).toBe(textReport(x).length);
          }
        }
      }
    }
  });
});

describe("the line planner", () => {
  const kinds = (q: string) => {
    const s = lineSelection(parseQuery(q));
    const list = (k: ReadonlySet<string> | null) => (k === null ? null : [...k].sort());
    return { text: list(s.text), json: list(s.json) };
  };
  it("narrows by @type, type, and fields only REPORT lines carry", () => {
    expect(kinds('filter @type = "REPORT"')).toEqual({ text: ["REPORT"], json: [] });
    expect(kinds('filter @type = "REPORT" or type = "platform.report"')).toEqual({
      text: ["REPORT"],
      json: ["REPORT"],
    });
    expect(kinds("filter ispresent(@initDuration)")).toEqual({ text: ["REPORT"], json: [] });
    expect(kinds('filter @duration > 100 and @logStream like "x"')).toEqual({ text: ["REPORT"], json: [] });
    expect(kinds('filter @type in ["START", "END"] or @type = "INIT_REPORT"')).toEqual({
      text: ["END", "START"],
      json: [],
    });
    expect(kinds('filter @type = "REPORT" or @message like /x/')).toEqual({ text: null, json: null });
    expect(kinds("stats count(*)")).toEqual({ text: null, json: null });
  });
});

describe("REPORT cursors against rendered lines", () => {
  it("matches the rendered path on the reference test's fixtures too (a single slice, the edge of the window)", () => {
    const a = simFn({ name: "a", logGroup: "/aws/lambda/a" });
    const cold = inv({ functionName: "a", startMs: NOW - 90_000, initDurationMs: 210.5, durationMs: 33.333 });
    const late = inv({ functionName: "a", startMs: NOW - 2_000, durationMs: 2_500 });
    const ctx = context([a], { a: [cold, late] });
    const gs = listGroups(ctx, "us-east-1");
    const q = compile(
      'filter @type = "REPORT" | stats count(*) as n, sum(@duration) as d, max(@initDuration)',
    );
    const fast = runQuery(ctx, gs, q, (NOW - 3_600_000) / 1000, NOW / 1000, 100, "auto");
    const slow = runQuery(ctx, gs, q, (NOW - 3_600_000) / 1000, NOW / 1000, 100, "rendered");
    expect(fast).toEqual(slow);
    // The late invocation's REPORT lies after the clock: only the cold one is counted.
    expect(fast.results).toEqual([
      [
        { field: "n", value: "1" },
        { field: "d", value: "33.33" },
        { field: "max(@initDuration)", value: "210.5" },
      ],
    ]);
  });

  it("reads rendered lines for every other query", () => {
    for (const query of [
      'filter @type = "REPORT" | fields @duration',
      'filter @type = "START" | stats count(*)',
      "filter @message like /REPORT/ | stats count(*)",
      'stats count(*) by @type | filter @type = "REPORT"',
      'parse @message "Duration: * ms" as d | filter @type = "REPORT" | stats max(d)',
    ]) {
      expect([query, canRunOnReports(compile(query))]).toEqual([query, false]);
    }
  });
});
