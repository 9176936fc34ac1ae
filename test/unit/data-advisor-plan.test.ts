import { describe, expect, it } from "vitest";
import type { MetricSeries } from "@/lib/aws/cloudwatch";
import { epochMs } from "@/lib/core/units";
import { advisorWindow } from "@/lib/data/advisor";
import {
  dayPeriod,
  FUNCTION_METRICS,
  fnKey,
  needsReservedConcurrency,
  planRoundOne,
  planRoundTwo,
  readEventSources,
  readFunctionTotals,
  readPerVersion,
  readProvisioned,
  readRegionTotals,
  regionKey,
  REGION_METRICS,
  routedAliasesFrom,
  type RoutedAlias,
} from "@/lib/data/advisor/plan";
import { parseDailyTimeouts, parseReportAggregate } from "@/lib/core/query/advisor-report";

const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 23);
const week = { start: epochMs(END - 7 * DAY), end: epochMs(END) };
const series = (pairs: [number, number][]): MetricSeries => ({
  timestamps: pairs.map(([t]) => epochMs(t)),
  values: pairs.map(([, v]) => v),
});

describe("round 1", () => {
  it("asks a fixed number of queries per function plus a few per region, at a daily period", () => {
    const names = Array.from({ length: 1000 }, (_, i) => `f${i}`);
    const qs = planRoundOne(names, week);
    expect(qs).toHaveLength(1000 * FUNCTION_METRICS.length + REGION_METRICS.length);
    expect(new Set(qs.map((q) => q.key)).size).toBe(qs.length);
    expect(qs.filter((q) => q.dimensions.kind === "function").every((q) => q.period === 86_400)).toBe(true);
    // 1,000 functions fit in ceil(5,004 / 500) = 11 GetMetricData requests.
    expect(Math.ceil(qs.length / 500)).toBe(11);
  });

  it("uses the whole window as the period when it is shorter than a day (a multiple of 60 s)", () => {
    expect(dayPeriod({ start: epochMs(0), end: epochMs(3_600_000) })).toBe(3600);
    expect(dayPeriod({ start: epochMs(0), end: epochMs(90_500) })).toBe(60);
    expect(dayPeriod(week)).toBe(86_400);
  });

  it("sums counts per day and keeps gauges null when CloudWatch returned no point", () => {
    const results = new Map<string, MetricSeries>([
      [
        fnKey("a", "inv"),
        series([
          [END - 2 * DAY, 100],
          [END - DAY, 50],
        ]),
      ],
      [fnKey("a", "err"), series([[END - DAY, 5]])],
      [
        fnKey("a", "conc"),
        series([
          [END - 2 * DAY, 3],
          [END - DAY, 7],
        ]),
      ],
    ]);
    const t = readFunctionTotals(results, "a");
    expect(t).toMatchObject({
      invocations: 150,
      errors: 5,
      throttles: 0,
      concurrencyMax: 7,
      provisionedExecutionsMax: null,
    });
    expect(t.perDay).toEqual([
      { day: END - 2 * DAY, invocations: 100, errors: 0, throttles: 0, timeouts: 0 },
      { day: END - DAY, invocations: 50, errors: 5, throttles: 0, timeouts: 0 },
    ]);
    expect(readRegionTotals(new Map([[regionKey("asyncDropped"), series([[END, 2]])]]))).toEqual({
      unreservedMax: null,
      iteratorAgeMax: null,
      asyncEventsDropped: 2,
      recursiveInvocationsDropped: 0,
      destinationDeliveryFailures: 0,
      deadLetterErrors: 0,
    });
  });

  it("asks reserved concurrency only where it can matter", () => {
    expect(needsReservedConcurrency({ throttles: 0, concurrencyMax: 3 })).toBe(false);
    expect(needsReservedConcurrency({ throttles: 1, concurrencyMax: 1 })).toBe(true);
    expect(needsReservedConcurrency({ throttles: 0, concurrencyMax: 10 })).toBe(true);
    expect(needsReservedConcurrency({ throttles: 0, concurrencyMax: null })).toBe(false);
  });
});

describe("round 2", () => {
  const live: RoutedAlias = { resource: "canary:live", versions: ["7", "8"] };

  it("finds aliases serving several versions in ListMetrics' ExecutedVersion series", () => {
    const routed = routedAliasesFrom([
      { FunctionName: "canary", Resource: "canary:live", ExecutedVersion: "8" },
      { FunctionName: "canary", Resource: "canary:live", ExecutedVersion: "7" },
      { FunctionName: "steady", Resource: "steady:live", ExecutedVersion: "3" },
      { FunctionName: "broken", Resource: "broken:live" },
    ]);
    expect([...routed.entries()]).toEqual([["canary", [live]]]);
  });

  it("asks only for the targets: provisioned qualifiers, routed aliases' versions, event sources", () => {
    const qs = planRoundTwo(
      [
        { name: "pc", provisionedQualifiers: ["live"], routedAliases: [], eventSources: false },
        { name: "canary", provisionedQualifiers: [], routedAliases: [live], eventSources: false },
        { name: "stream", provisionedQualifiers: [], routedAliases: [], eventSources: true },
      ],
      week,
    );
    // Event sources: IteratorAge, AsyncEventsDropped, RecursiveInvocationsDropped, DestinationDeliveryFailures,
    // DeadLetterErrors over the window.
    expect(qs).toHaveLength(4 + 4 + 5);
    expect(qs.find((q) => q.key === "v|canary:live|8|err")?.dimensions).toEqual({
      kind: "executedVersion",
      functionName: "canary",
      resource: "canary:live",
      executedVersion: "8",
    });
    expect(qs.every((q) => q.period === 7 * 86_400)).toBe(true);
  });

  it("asks a stream consumer's IteratorAge hour by hour, and reads its gaps as gaps", () => {
    const qs = planRoundTwo(
      [
        {
          name: "stream",
          provisionedQualifiers: [],
          routedAliases: [],
          eventSources: true,
          iteratorAgeHourly: true,
        },
      ],
      week,
    );
    const hourly = qs.find((q) => q.key === "e|stream|iterAgeHourly");
    expect(hourly).toMatchObject({ metricName: "IteratorAge", stat: "Maximum", period: 3600 });
    const results = new Map<string, MetricSeries>([
      [
        "e|stream|iterAgeHourly",
        series([
          [END - 3_600_000, 2_000],
          [END - 3 * 3_600_000, 1_000],
        ]),
      ],
      ["e|stream|dlqErrors", series([[END, 3]])],
    ]);
    const read = readEventSources(results, "stream");
    // Sorted oldest first; the hour CloudWatch omitted stays out (never an age of 0).
    expect(read.iteratorAgeHourly).toEqual([
      { t: END - 3 * 3_600_000, maxMs: 1_000 },
      { t: END - 3_600_000, maxMs: 2_000 },
    ]);
    expect(read.deadLetterErrors).toBe(3);
    expect(readEventSources(new Map(), "other").iteratorAgeHourly).toBeNull();
  });

  it("reads per-version errors and provisioned utilisation, missing utilisation staying null", () => {
    const results = new Map<string, MetricSeries>([
      ["v|canary:live|7|inv", series([[END, 700]])],
      ["v|canary:live|7|err", series([[END, 1]])],
      ["v|canary:live|8|inv", series([[END, 300]])],
      ["v|canary:live|8|err", series([[END, 45]])],
      ["p|pc|live|spill", series([[END, 12]])],
    ]);
    expect(readPerVersion(results, [live])).toEqual([
      { version: "7", invocations: 700, errors: 1 },
      { version: "8", invocations: 300, errors: 45 },
    ]);
    expect(readProvisioned(results, "pc", "live")).toEqual({
      qualifier: "live",
      utilisationMax: null,
      utilisationAvg: null,
      spilloverInvocations: 12,
      concurrencyMax: null,
    });
  });
});

describe("the Insights aggregation rows", () => {
  const text = {
    "@log": "123456789012:/aws/lambda/image-resizer",
    reports: "1225",
    timeouts: "0",
    ooms: "2",
    tReports: "1225",
    tCold: "5",
    tAvgInit: "215.128",
    tP99Init: "300.5",
    tMaxMem: "432000000",
    tP99Mem: "417000000",
    tP50: "903.35",
    tP99: "1724.81",
    tP999: "1956.99",
    tMax: "1981.11",
    tAvg: "929.68",
    jReports: "0",
    jCold: "0",
  };
  const json = {
    "@log": "123456789012:/custom/audit-trail",
    reports: "3240",
    timeouts: "1",
    ooms: "0",
    tReports: "0",
    tCold: "0",
    jReports: "3240",
    jCold: "9",
    jAvgInit: "180",
    jP99Init: "250",
    jMaxMem: "91",
    jP99Mem: "88",
    jP50: "905.27",
    jP99: "1500",
    jP999: "1700",
    jMax: "1800",
    jAvg: "910",
  };

  it("reads a text-format group: memory from Insights bytes (10^6 per MB), counts, percentiles", () => {
    const r = parseReportAggregate(text);
    expect(r.ok && r.value).toMatchObject({
      logGroup: "/aws/lambda/image-resizer",
      reports: 1225,
      outOfMemory: 2,
      coldStarts: 5,
      avgInit: 215.128,
      p99Init: 300.5,
      maxMemoryUsed: 432,
      p99MemoryUsed: 417,
      duration: { p50: 903.35, p99: 1724.81, p999: 1956.99, max: 1981.11, avg: 929.68 },
    });
  });

  it("reads a JSON-format group from its j-columns (MB already)", () => {
    const r = parseReportAggregate(json);
    expect(r.ok && r.value).toMatchObject({
      coldStarts: 9,
      maxMemoryUsed: 91,
      timeouts: 1,
      duration: { p50: 905.27, p99: 1500 },
    });
  });

  it("reads no cold start as 0 with no init, and a group that switched format from both sides", () => {
    const none = parseReportAggregate({ ...text, tCold: "0", tAvgInit: undefined, tP99Init: undefined });
    expect(none.ok && none.value).toMatchObject({ coldStarts: 0, avgInit: null, p99Init: null });
    const mixed = parseReportAggregate({
      ...text,
      ...Object.fromEntries(Object.entries(json).filter(([k]) => k.startsWith("j"))),
      reports: String(1225 + 3240),
      timeouts: "1",
    });
    expect(mixed.ok && mixed.value).toMatchObject({
      reports: 4465,
      coldStarts: 14,
      avgInit: (215.128 * 5 + 180 * 9) / 14,
      maxMemoryUsed: 432,
      // Percentiles of two populations do not combine: unknown, never one side's.
      p99MemoryUsed: null,
      duration: { p50: null, p99: null, max: 1981.11, avg: (929.68 * 1225 + 910 * 3240) / 4465 },
    });
  });

  it("refuses a row without its shape instead of reading zeros, and says why", () => {
    const why = (row: Record<string, string | undefined>) => {
      const r = parseReportAggregate(row);
      return r.ok ? "read" : r.reason;
    };
    // Counts missing (an implementation without parse or count(field)): not "0 timeouts".
    expect(why({ ...text, timeouts: undefined, ooms: undefined })).toBe(
      "Logs Insights returned rows without the fields `timeouts`, `ooms`",
    );
    expect(why({ ...text, tCold: undefined })).toBe("Logs Insights returned rows without the field `tCold`");
    // Cold starts counted but no init: the aggregate tied to them is missing.
    expect(why({ ...text, tAvgInit: undefined })).toBe(
      "Logs Insights returned rows without the field `tAvgInit` although `tCold` is 5",
    );
    expect(why({ ...text, reports: "n/a" })).toBe(
      "Logs Insights returned the field `reports` with a value that is not a number",
    );
    expect(why({ ...text, ooms: "2000" })).toBe(
      "Logs Insights returned `ooms` = 2000, more than `reports` = 1225",
    );
    // REPORT records whose fields are not discovered: their cold starts would read as 0.
    const undiscovered = Object.fromEntries(Object.entries(text).filter(([k]) => !/^t[A-Z]/.test(k)));
    expect(why({ ...undiscovered, tReports: "0", tCold: "0" })).toMatch(
      /^Logs Insights counted 1225 REPORT records but read the duration of 0/,
    );
    expect(why({ ...text, "count(*)": "3" })).toBe(
      "Logs Insights returned the field `count(*)`, which the query does not produce",
    );
    expect(why({ reports: "3" })).toMatch(/^Logs Insights returned rows without the fields `@log`/);
  });

  it("reads hourly timeout bins as UTC hours (the caller adds them up into the window's days)", () => {
    const row = { "@log": "123456789012:/aws/lambda/x", hour: "2026-11-20 13:00:00.000", timeouts: "12" };
    expect(parseDailyTimeouts(row)).toEqual({
      ok: true,
      value: { logGroup: "/aws/lambda/x", hour: Date.UTC(2026, 10, 20, 13), timeouts: 12 },
    });
    expect(parseDailyTimeouts({ ...row, hour: "soon" })).toEqual({
      ok: false,
      reason: "Logs Insights returned the field `hour` with a value that is not a time",
    });
    expect(parseDailyTimeouts({ ...row, timeouts: undefined })).toEqual({
      ok: false,
      reason: "Logs Insights returned rows without the field `timeouts`",
    });
  });
});

describe("advisorWindow", () => {
  it("ends on the quarter hour for whole days and spans exactly the look-back asked", () => {
    const now = Date.UTC(2026, 10, 23, 12, 7, 31);
    expect(advisorWindow(now, 7)).toEqual({
      start: Date.UTC(2026, 10, 16, 12),
      end: Date.UTC(2026, 10, 23, 12),
    });
    expect(advisorWindow(now, 1)).toEqual({
      start: Date.UTC(2026, 10, 22, 12),
      end: Date.UTC(2026, 10, 23, 12),
    });
    // Shorter look-backs end on the minute and span exactly what was asked.
    expect(advisorWindow(now, 0.25)).toEqual({
      start: Date.UTC(2026, 10, 23, 6, 7),
      end: Date.UTC(2026, 10, 23, 12, 7),
    });
  });
});
