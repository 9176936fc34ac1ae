/**
 * The engine's fast strategy (REPORT cursors read from the invocations, insights/report-cursor.ts) against the
 * same engine fed rendered lines (render every line, parse it back): same results and statistics on the
 * simulated fleet, for the console's own queries and for queries built to hit the corners (parse, computed
 * fields, straddling invocations, the clock, JSON groups). The checks that need no simulated fleet:
 * test/unit/logs-report-path.test.ts.
 */
import { describe, expect, it } from "vitest";
import { generateAccount } from "../../src/fleet/generate";
import type { SandboxContext } from "../../src/http/types";
import { readEvents, readEventsMentioning } from "../../src/logs/events";
import { listGroups } from "../../src/logs/groups";
import { compileExpr, rowField } from "../../src/logs/insights/compile";
import { EventRow } from "../../src/logs/insights/fields";
import { canRunOnReports, lineSelection } from "../../src/logs/insights/lines";
import { ReportCursor, reportField } from "../../src/logs/insights/report-cursor";
import { parseQuery } from "../../src/logs/insights/parser";
import { compile, runQuery } from "../../src/logs/queries";
import { filterLogEvents } from "../../src/logs/read";
import { renderInvocation, textReport, textReportLength } from "../../src/logs/render";
import { createSimulator } from "../../src/sim/simulator";
import type { Invocation } from "../../src/sim/types";
import { inv, simFn } from "../support/logs-fixtures";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
// The clock sits mid-minute, so the newest invocations straddle it.
const CLOCK = NOW - 17_345;
const account = generateAccount({ seed: 7, functionsPerRegion: 20, regions: ["us-east-1"], nowMs: NOW });
const ctx: SandboxContext = {
  account,
  now: () => CLOCK,
  sim: createSimulator(account, { now: () => CLOCK }),
};
// Planted functions with timeouts, OOM kills, cold starts, a JSON group, a canary; not the 200/min ones.
const PICKED = new Set([
  "legacy-sync",
  "pdf-renderer",
  "notify-sms",
  "audit-trail",
  "report-generator",
  "payments-api",
  "image-resizer",
]);
const groups = listGroups(ctx, "us-east-1").filter((g) => g.functions.some((f) => PICKED.has(f.name)));
// 70 minutes: one slice boundary inside the window, invocations straddling it and both ends.
const END_SEC = Math.floor(CLOCK / 1000);
const START_SEC = END_SEC - 70 * 60 - 7;

const functions = [...account.regions.get("us-east-1")!.functions.values()];
// Up to 150 invocations per function from 40 minutes: every format and outcome, in a few thousand records.
const sample: { fn: (typeof functions)[number]; inv: Invocation }[] = functions.flatMap((fn) =>
  ctx.sim
    .minutes(fn, NOW - 60 * 60_000, NOW - 20 * 60_000)
    .flatMap((m) => m.invocations.map((i) => ({ fn, inv: i })))
    .filter((x, k) => k < 100 || x.inv.outcome !== "success" || x.inv.initDurationMs !== null)
    .slice(0, 150),
);
// Hand-built ones with values the simulator never produces (more than two decimals, fractional MB).
const odd = [0.005, 1.005, 9.995, 2.675, 102.25, 70.5].flatMap((d) =>
  [simFn(), simFn({ logFormat: "JSON" })].map((fn) => ({
    fn,
    inv: inv({
      durationMs: d,
      initDurationMs: d * 3,
      maxMemoryUsedMb: d,
      outcome: d > 5 ? "oom" : "timeout",
    }),
  })),
);

const FIELDS = [
  "@type",
  "@requestId",
  "@duration",
  "@billedDuration",
  "@memorySize",
  "@maxMemoryUsed",
  "@initDuration",
  "@xrayTraceId",
  "@xraySegmentId",
  "@timestamp",
  "@ingestionTime",
  "@log",
  "@logStream",
  "@message",
  "@ptr",
  "type",
  "time",
  "record.requestId",
  "record.status",
  "record.errorType",
  "record.metrics.durationMs",
  "record.metrics.initDurationMs",
  "record.metrics.maxMemoryUsedMB",
  "record.tracing.value",
  "level",
  "nope",
];

describe("the REPORT cursor", () => {
  it("covers text and JSON groups, cold starts, timeouts, OOM kills and unsampled requests", () => {
    const invs = sample.map((s) => s.inv);
    expect(sample.some((s) => s.fn.logFormat === "JSON")).toBe(true);
    expect(invs.some((i) => i.initDurationMs !== null)).toBe(true);
    expect(invs.some((i) => i.outcome === "timeout")).toBe(true);
    expect(invs.some((i) => i.outcome === "oom")).toBe(true);
    expect(invs.some((i) => !i.sampled)).toBe(true);
  });

  it("reads every field as the rendered REPORT line parses", () => {
    const cursor = new ReportCursor();
    const accessors = FIELDS.map((name) => [name, reportField(name)] as const);
    const diffs: unknown[][] = [];
    for (const { fn, inv: i } of [...sample, ...odd]) {
      const events = renderInvocation(fn, i);
      const report = new EventRow(events.at(-1)!, "acct:/g");
      cursor.set(fn, i, "acct:/g", report.ev.timestamp);
      for (const [name, get] of accessors) {
        if (!Object.is(get(cursor), report.get(name))) diffs.push([name, get(cursor), report.get(name)]);
      }
      if (cursor.messageLength() !== report.ev.message.length) diffs.push(["length", i.requestId, fn.name]);
    }
    expect(diffs).toEqual([]);
  });

  it("computes the text REPORT length of the simulated invocations without rendering", () => {
    for (const { inv: i } of sample) expect(textReportLength(i)).toBe(textReport(i).length);
  });
});

describe("the line planner", () => {
  it("never leaves out a line that passes the filter", () => {
    const filters = [
      'filter @type = "REPORT" or type = "platform.report"',
      'filter @type in ["START", "END"]',
      'filter type = "platform.start"',
      "filter ispresent(@initDuration) or @duration > 50",
    ];
    for (const f of filters) {
      const q = parseQuery(f);
      const sel = lineSelection(q);
      const cmd = q.commands[0]!;
      if (cmd.k !== "filter") throw new Error("not a filter");
      const pass = compileExpr(cmd.e, rowField);
      let passed = 0;
      for (const { fn, inv: i } of sample) {
        const kinds = fn.logFormat === "JSON" ? sel.json : sel.text;
        const all = renderInvocation(fn, i);
        for (const ev of all) {
          if (pass(new EventRow(ev, "a:/g")) !== true) continue;
          passed++;
          const kind = renderInvocation(fn, i, new Set(kinds ?? [])).find((x) => x.seq === ev.seq);
          expect(kinds === null || kind !== undefined).toBe(true);
        }
      }
      expect(passed).toBeGreaterThan(0);
    }
  });
});

describe("REPORT cursors against rendered lines", () => {
  const text = (i: number) => `t${i}`;
  const queries = [
    // The console's queries (lib/core/query, lib/data/advisor), text format.
    'filter @type = "REPORT"\n| stats count(*) as invocations, sum(ispresent(@initDuration)) as coldStarts, avg(@initDuration) as avgInitMs, pct(@initDuration, 99) as p99InitMs, max(@initDuration) as maxInitMs, max(@maxMemoryUsed) as maxMemoryUsedBytes, max(@memorySize) as memorySizeBytes, pct(@duration, 99) as p99DurationMs, sum(@billedDuration) as billedDurationMs by @log',
    'filter @type = "REPORT"\n| stats count(*) as invocations, sum(ispresent(@initDuration)) as coldStarts, avg(@initDuration) as avgInitMs by bin(5m)',
    'filter @type = "REPORT"\n| stats count(*) as invocations, count(@initDuration) as coldStarts, sum(@initDuration) as initSumMs, max(@initDuration) as maxInitMs, max(@maxMemoryUsed) as maxMemoryUsed, max(@memorySize) as memorySize, sum(@billedDuration) as billedSumMs by @log, bin(1m) as t',
    'filter @type = "REPORT" or type = "platform.report"\n| parse @message /(?<timedOut>Status: timeout|"status":"timeout")/\n| parse @message /(?<oomKilled>Runtime\\.OutOfMemory)/\n| stats count(*) as reports, count(timedOut) as timeouts, count(oomKilled) as ooms, pct(@duration, 99.9) as tP999, pct(record.metrics.durationMs, 50) as jP50, max(record.metrics.maxMemoryUsedMB) as jMaxMem by @log',
    'filter @type = "REPORT" or type = "platform.report"\n| parse @message /(?<timedOut>Status: timeout|"status":"timeout")/\n| filter ispresent(timedOut)\n| stats count(*) as timeouts by @log, bin(1d) as day',
    'filter type = "platform.report" | stats count(*) as n, avg(record.metrics.durationMs) as d, count_distinct(record.status) as s by @logStream',
    // Corners: computed fields, glob parse, sort/limit after stats, no by, nothing matching.
    'filter @type = "REPORT" | fields @maxMemoryUsed / 1000 / 1000 as mb, @duration * 2 as twice | filter twice > 100 | stats max(mb) as m, min(twice), avg(twice), count_distinct(@logStream) as streams by @log | sort m desc | limit 5',
    'filter @type = "REPORT" | parse @message "Billed Duration: * ms" as billed | stats sum(billed) as b, pct(billed, 50) as p, count(@xrayTraceId) as traced',
    "filter ispresent(@initDuration) | stats count(), avg(@initDuration), pct(@initDuration, 99) by bin(10m)",
    'filter @duration > 5000 and @type = "REPORT" | stats count(*) as slow, max(@duration) as worst by @log, @memorySize',
    'filter @type = "REPORT" and @requestId like /^0/ | stats count(*) as n, sum(strlen(@xraySegmentId)) as segChars by tolower(@log)',
    'filter @type = "REPORT" | stats count(*) as n by bin(20m) | sort n desc',
    'filter @type = "REPORT" and @duration < 0 | stats count(*) as none',
  ];

  it.each(queries.map((q, i) => [text(i), q]))("%s: identical output", (_, query) => {
    const q = compile(query);
    expect(canRunOnReports(q)).toBe(true);
    const fast = runQuery(ctx, groups, q, START_SEC, END_SEC, 10_000, "auto");
    const slow = runQuery(ctx, groups, q, START_SEC, END_SEC, 10_000, "rendered");
    expect(fast).toEqual(slow);
    expect(slow.recordsScanned).toBeGreaterThan(10_000);
  });
});

describe("FilterLogEvents by request id", () => {
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

  it("writes no UUID-shaped text but the invocation's own request id and the ids in its error message", () => {
    // readEventsMentioning relies on it: it looks for a request id only there.
    for (const { fn, inv: i } of sample) {
      for (const ev of renderInvocation(fn, i)) {
        for (const m of ev.message.matchAll(UUID)) {
          if (m[0] !== i.requestId) expect(i.errorMessage ?? "").toContain(m[0]);
        }
      }
    }
  });

  it("reads the events readEvents would, and counts the rest without rendering them", () => {
    const g = groups.find((x) => x.functions.some((f) => f.name === "legacy-sync"))!;
    const fn = g.functions[0]!;
    const minutes = ctx.sim.minutes(fn, CLOCK - 50 * 60_000, CLOCK);
    const picks = [minutes[0]!, minutes[20]!, minutes.at(-1)!].map((m) => m.invocations[0]!);
    for (const target of picks) {
      // Windows that cut through invocations at both ends, and one that ends at the clock.
      for (const [fromMs, toMs] of [
        [target.startMs - 600_000 + 123, target.startMs + 1_500],
        [target.startMs + 5, CLOCK + 60_000],
        [CLOCK - 3_600_000, CLOCK + 1],
      ] as const) {
        const q = { fromMs, toMs };
        const all = readEvents(ctx, g, q);
        const found = readEventsMentioning(ctx, g, q, target.requestId);
        expect(found.examined).toBe(all.length);
        expect(found.events).toEqual(all.filter((e) => e.message.includes(target.requestId)));
      }
      const streams = new Set([target.logStreamName]);
      const q = { fromMs: CLOCK - 3_600_000, toMs: CLOCK + 1, streams };
      expect(readEventsMentioning(ctx, g, q, target.requestId).examined).toBe(readEvents(ctx, g, q).length);
    }
  });

  it("answers FilterLogEvents with the request's lines", () => {
    const g = groups.find((x) => x.functions.some((f) => f.name === "pdf-renderer"))!;
    const target = ctx.sim.minutes(g.functions[0]!, CLOCK - 30 * 60_000, CLOCK - 29 * 60_000)[0]!
      .invocations[0]!;
    const out = filterLogEvents(ctx, "us-east-1", {
      logGroupName: g.name,
      startTime: target.startMs - 60_000,
      endTime: target.startMs + 60_000,
      filterPattern: `"${target.requestId}"`,
    });
    const expected = renderInvocation(g.functions[0]!, target).filter((e) =>
      e.message.includes(target.requestId),
    );
    expect(out.events.map((e) => e.message)).toEqual(expected.map((e) => e.message));
    expect(out.events.some((e) => e.message.startsWith("REPORT"))).toBe(true);
  });
});
