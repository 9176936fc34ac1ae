import { describe, expect, it } from "vitest";
import { listGroups } from "../../src/logs/groups";
import { parseQuery } from "../../src/logs/insights/parser";
import { QueryCompileError } from "../../src/logs/insights/errors";
import { compile, runQuery } from "../../src/logs/queries";
import { LogsError } from "../../src/logs/wire";
import { ACCOUNT, context, inv, MINUTE, NOW, simFn } from "../support/logs-fixtures";

const a = simFn({ name: "a", logGroup: "/aws/lambda/a" });
const b = simFn({ name: "b", logGroup: "/custom/b", logFormat: "JSON" });
const T0 = NOW - 60 * MINUTE;
// a: 6 invocations, one per 10 minutes, durations 10..60 ms, the first a cold start; b: 2 invocations.
const aInv = [10, 20, 30, 40, 50, 60].map((d, k) =>
  inv({
    functionName: "a",
    startMs: T0 + k * 10 * MINUTE + 1000,
    durationMs: d,
    initDurationMs: k === 0 ? 200 : null,
  }),
);
const bInv = [
  inv({
    functionName: "b",
    startMs: T0 + 5 * MINUTE,
    durationMs: 5,
    outcome: "error",
    errorType: "Boom",
    errorMessage: "boom",
  }),
  inv({ functionName: "b", startMs: T0 + 7 * MINUTE, durationMs: 7 }),
];
const ctx = context([a, b], { a: aInv, b: bInv });
const groups = listGroups(ctx, "us-east-1");
const startSec = T0 / 1000;
const endSec = NOW / 1000;

function q(query: string, limit = 10_000) {
  return runQuery(ctx, groups, compile(query), startSec, endSec, limit);
}
const rows = (query: string) =>
  q(query).results.map((r) => Object.fromEntries(r.map((f) => [f.field, f.value])));

describe("Insights evaluation", () => {
  it("filters REPORT lines and reads Lambda's discovered fields", () => {
    const r = rows(
      'filter @type = "REPORT" | fields @requestId, @duration, @memorySize, @maxMemoryUsed | sort @duration desc',
    );
    expect(r).toHaveLength(6);
    expect(r[0]).toMatchObject({
      "@requestId": aInv[5]!.requestId,
      "@duration": "60",
      "@memorySize": "128000000",
      "@maxMemoryUsed": "70000000",
    });
    expect(r[0]!["@ptr"]).toBeTruthy();
  });

  it("computes count, count(field), sum, avg, min, max and pct by a field", () => {
    const r = rows(
      'filter @type = "REPORT" | stats count(*) as n, count(@initDuration) as cold, sum(@duration) as s, avg(@duration), min(@duration), max(@duration), pct(@duration, 50) as p50 by @log',
    );
    expect(r).toEqual([
      {
        "@log": `${ACCOUNT}:/aws/lambda/a`,
        n: "6",
        cold: "1",
        s: "210",
        "avg(@duration)": "35",
        "min(@duration)": "10",
        "max(@duration)": "60",
        p50: "30",
      },
    ]);
  });

  it("groups by bin() in ascending time with timestamp-formatted buckets", () => {
    const r = rows('filter @type = "REPORT" | stats count(*) by bin(20m)');
    expect(r.map((x) => x["count(*)"])).toEqual(["2", "2", "2"]);
    expect(r[0]!["bin(20m)"]).toBe("2026-11-23 11:00:00.000");
    expect(r[2]!["bin(20m)"]).toBe("2026-11-23 11:40:00.000");
  });

  it("auto-discovers JSON fields (dotted paths) and supports and/or/not, in, like", () => {
    expect(
      rows('filter type = "platform.report" | stats count(*) as n, max(record.metrics.durationMs) as m'),
    ).toEqual([{ n: "2", m: "7" }]);
    // platform.runtimeDone and platform.report both carry the timed-out request's status.
    expect(rows('filter record.status in ["error", "timeout"] | fields record.requestId')).toEqual([
      expect.objectContaining({ "record.requestId": bInv[0]!.requestId }),
      expect.objectContaining({ "record.requestId": bInv[0]!.requestId }),
    ]);
    expect(q('filter @message like /Invoke Error/ and not (level = "INFO")').results).toHaveLength(1);
    // 6 REPORT + 6 START + the cold start's INIT_START (a substring match).
    expect(q('filter @message like "REPORT" or @message like "START"').results).toHaveLength(13);
    expect(q("filter ispresent(@initDuration)").results).toHaveLength(1);
    expect(
      rows('filter @type not in ["START", "END", "REPORT"] and ispresent(@type) | fields @type'),
    ).toEqual([expect.objectContaining({ "@type": "INIT_START" })]);
  });

  it("evaluates arithmetic with `as`, and sorts and limits", () => {
    const r = rows(
      'filter @type = "REPORT" | fields @duration * 2 as twice, @maxMemoryUsed / 1000 / 1000 as mb | sort twice desc | limit 2',
    );
    expect(r.map((x) => [x.twice, x.mb])).toEqual([
      ["120", "70"],
      ["100", "70"],
    ]);
  });

  it("parses with a glob and with a regex", () => {
    const g = rows(
      'filter @type = "REPORT" | parse @message "Billed Duration: * ms" as billed | stats sum(billed) as s',
    );
    expect(g).toEqual([{ s: String(6 * 103) }]);
    const r = rows(
      "parse @message /Duration: (?<d>[\\d.]+) ms\\tBilled/ | filter ispresent(d) | stats max(d) as m",
    );
    expect(r).toEqual([{ m: "60" }]);
  });

  it("returns newest first without a sort, honours the StartQuery limit, and counts statistics", () => {
    const out = q('filter @type = "END" | fields @timestamp', 3);
    expect(out.results).toHaveLength(3);
    const ts = out.results.map((r) => r.find((f) => f.field === "@timestamp")!.value);
    expect([...ts].sort().reverse()).toEqual(ts);
    expect(out.recordsMatched).toBe(6);
    expect(out.recordsScanned).toBeGreaterThan(20);
    expect(out.bytesScanned).toBeGreaterThan(out.recordsScanned * 20);
  });

  it("scans only the requested window (both ends inclusive, in seconds)", () => {
    const end = aInv[2]!.startMs + 30 + 1000; // after the third invocation's REPORT
    const out = runQuery(
      ctx,
      groups.slice(0, 1),
      compile('filter @type = "REPORT" | stats count(*) as n'),
      startSec,
      Math.floor(end / 1000),
      100,
    );
    expect(out.results).toEqual([[{ field: "n", value: "3" }]]);
  });
});

describe("the @type planner", () => {
  it("skips rendering lines that cannot match without changing results or record counts", () => {
    const planned = q('filter @type = "REPORT" | stats count(*) as n, avg(@duration) as d');
    const unplanned = q("filter @message like /^REPORT/ | stats count(*) as n, avg(@duration) as d");
    expect(planned.results).toEqual(unplanned.results);
    expect(planned.recordsScanned).toBe(unplanned.recordsScanned);
    expect(planned.recordsMatched).toBe(6);
    const either = q('filter @type in ["START", "END"] or @type = "INIT_START" | stats count(*) as n');
    expect(either.results).toEqual([[{ field: "n", value: "13" }]]);
  });
});

describe("Insights rejections", () => {
  const bad: [string, RegExp][] = [
    ["fields @message | dedup @logStream", /unsupported command 'dedup'/],
    ["stats median(@duration)", /unsupported aggregation 'median'/],
    ["filter levenshtein(@message, 'x') = 1", /unsupported function/],
    ["filter @duration", /needs a condition/],
    ["fields @message |", /expected a command/],
    ["stats count(*) by bin(5parsecs)", /bin needs a period/],
    ['parse @message "no wildcards" as a', /at least one '\*'/],
    ['parse @message "* and *" as a', /2 '\*' but 1 names/],
    ["parse @message /no groups/", /named groups/],
    ["limit 0", /limit needs/],
    ['filter @message = "unterminated', /unterminated string/],
    ["fields @message ; drop", /unexpected character ';'/],
    ["filter avg(@duration) > 3", /only allowed in stats/],
    ["filter x = 1 y", /expected '\|'/],
  ];
  it.each(bad)("rejects %s", (query, message) => {
    expect(() => parseQuery(query)).toThrow(QueryCompileError);
    expect(() => parseQuery(query)).toThrow(message);
  });

  it("reports the location of the error", () => {
    try {
      parseQuery("fields @message | bogus 1");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(QueryCompileError);
      expect([(e as QueryCompileError).start, (e as QueryCompileError).end]).toEqual([18, 23]);
    }
    const err = (() => {
      try {
        compile("bogus");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LogsError);
    expect((err as LogsError).code).toBe("MalformedQueryException");
    expect((err as LogsError).extra).toEqual({
      queryCompileError: { location: { startCharOffset: 0, endCharOffset: 5 }, message: expect.any(String) },
    });
  });
});
