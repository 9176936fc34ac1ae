/**
 * Insights' numeric functions (log, sqrt, greatest, least, and the `^` operator) in the expression compiler
 * (compile.ts), including log(0) = -Infinity and NaN; a stats group keyed by such a value must not break the
 * engine, whether it reads REPORT cursors or rendered lines.
 */
import { describe, expect, it } from "vitest";
import type { Expr } from "../../src/logs/insights/ast";
import { compileExpr, rowField } from "../../src/logs/insights/compile";
import { QueryCompileError } from "../../src/logs/insights/errors";
import { OverlayRow, type Row, type Value } from "../../src/logs/insights/fields";
import { GroupIndex } from "../../src/logs/insights/group-index";
import { parseQuery } from "../../src/logs/insights/parser";
import { canRunOnReports } from "../../src/logs/insights/lines";
import { listGroups } from "../../src/logs/groups";
import { compile, runQuery } from "../../src/logs/queries";
import { context, inv, MINUTE, NOW, simFn } from "../support/logs-fixtures";

/** The expression of `fields <src> as v`. */
function expr(src: string): Expr {
  const cmd = parseQuery(`fields ${src} as v`).commands[0]!;
  if (cmd.k !== "fields") throw new Error("not a fields command");
  return cmd.items[0]!.e;
}

function row(values: Record<string, Value>): Row {
  const r = new OverlayRow(null);
  for (const [k, v] of Object.entries(values)) r.extra.set(k, v);
  return r;
}

/** The compiled expression on one row. */
function value(src: string, r: Row = row({})): Value {
  return compileExpr(expr(src), rowField)(r);
}

describe("numeric functions", () => {
  it("log is the natural log; log(0) is -Infinity and log of a negative NaN, as JavaScript's Math.log", () => {
    expect(value("log(1)")).toBe(0);
    expect(value("log(2.718281828459045)")).toBeCloseTo(1, 15);
    expect(value("log(0)")).toBe(-Infinity);
    expect(value("log(-1)")).toBeNaN();
    expect(value("log(x)", row({ x: "100" }))).toBe(Math.log(100));
    expect(value("log(x)", row({}))).toBeUndefined();
    expect(value("log(x)", row({ x: "abc" }))).toBeUndefined();
  });

  it("sqrt, and the `^` operator (Insights' exponentiation; it has no pow() or exp())", () => {
    expect(value("sqrt(16)")).toBe(4);
    expect(value("sqrt(-1)")).toBeNaN();
    expect(value("2 ^ 3")).toBe(8);
    expect(value("2 ^ 3 ^ 2")).toBe(512); // right-associative
    expect(value("-2 ^ 2")).toBe(-4); // tighter than unary minus
    expect(value("2 ^ -1")).toBe(0.5);
    expect(value("2 * 3 ^ 2")).toBe(18);
    expect(value("x ^ 0.5", row({ x: 9 }))).toBe(3);
    expect(value("x ^ 2", row({}))).toBeUndefined();
  });

  it("greatest and least take one or more numbers and skip absent or non-numeric ones", () => {
    expect(value("greatest(1, 3, 2)")).toBe(3);
    expect(value("least(1, 3, 2)")).toBe(1);
    expect(value("greatest(5)")).toBe(5);
    expect(value("greatest(a, b, c)", row({ a: "7", c: 2 }))).toBe(7);
    expect(value("least(a, b, c)", row({ a: "7", b: "x", c: 2 }))).toBe(2);
    expect(value("least(a, b)", row({}))).toBeUndefined();
    expect(value("greatest(-1, log(0))")).toBe(-1);
  });

  it("composes: the collector's log-spaced duration bucket", () => {
    for (const d of [0, 0.01, 1, 102.25, 24_900, 900_000]) {
      const k = value("floor(log(d) / log(1.1))", row({ d }));
      expect(k).toBe(Math.floor(Math.log(d) / Math.log(1.1)));
    }
    expect(value("floor(log(d) / log(1.1))", row({ d: 0 }))).toBe(-Infinity);
  });

  it("rejects wrong arities and functions AWS does not document, as MalformedQueryException does", () => {
    for (const [q, msg] of [
      ["fields log() as v", /log takes 1 argument/],
      ["fields log(1, 2) as v", /log takes 1 argument/],
      ["fields sqrt() as v", /sqrt takes 1 argument/],
      ["fields greatest() as v", /greatest takes at least 1 argument/],
      ["fields exp(1) as v", /unsupported function 'exp'/],
      ["fields pow(2, 3) as v", /unsupported function 'pow'/],
      ["fields 2 ^ as v", /unexpected/],
    ] as const) {
      expect(() => parseQuery(q), q).toThrow(QueryCompileError);
      expect(() => parseQuery(q), q).toThrow(msg);
    }
  });
});

describe("stats groups keyed by -Infinity and NaN", () => {
  it("groups by canonical text, in first-seen order, allocating keys only for new raw values", () => {
    const index = new GroupIndex<{ by: Value[] }>();
    const make = (by: Value[]) => ({ by });
    const a = index.get(["g", 1], make);
    expect(index.get(["g", "1"], make)).toBe(a); // 1 and "1" print alike
    const inf = index.get(["g", -Infinity], make);
    const nan = index.get(["g", NaN], make);
    expect(index.get(["g", NaN], make)).toBe(nan);
    expect(index.get(["g", -Infinity], make)).toBe(inf);
    expect(index.get(["g", undefined], make)).not.toBe(a);
    expect([...index.values()].map((g) => g.by)).toEqual([
      ["g", 1],
      ["g", -Infinity],
      ["g", NaN],
      ["g", undefined],
    ]);
    const none = new GroupIndex<{ by: Value[] }>();
    expect(none.get([], make)).toBe(none.get([], make));
  });

  // Durations of 0 (log → -Infinity) and of an OOM-killed run; one JSON group.
  const a = simFn({ name: "a", logGroup: "/aws/lambda/a" });
  const b = simFn({ name: "b", logGroup: "/aws/lambda/b", logFormat: "JSON" });
  const T0 = NOW - 30 * MINUTE;
  const invs = (fn: string) =>
    [0, 0, 0.01, 5, 5.5, 102.25, 0, 3000].map((d, k) =>
      inv({
        functionName: fn,
        startMs: T0 + k * 20_000,
        durationMs: d,
        initDurationMs: k % 3 === 0 ? 150.5 : null,
        outcome: k === 7 ? "timeout" : k === 5 ? "oom" : "success",
      }),
    );
  const ctx = context([a, b], { a: invs("a"), b: invs("b") });
  const groups = listGroups(ctx, "us-east-1");
  const TEXT = [
    'filter @type = "REPORT"',
    "parse @message /(?<timedOut>Status: timeout)/",
    "parse @message /(?<oomKilled>Runtime\\.OutOfMemory)/",
    "stats count(*) as n, count(@initDuration) as cold, sum(@duration) as durSum, count(timedOut) as timeouts, " +
      "count(oomKilled) as ooms by @log, bin(1m) as t, floor(log(@duration) / log(1.1)) as dk",
  ].join("\n| ");
  const JSON_TWIN = [
    'filter type = "platform.report"',
    'parse @message /(?<timedOut>"status":"timeout")/',
    "parse @message /(?<oomKilled>Runtime\\.OutOfMemory)/",
    "stats count(*) as n, count(record.metrics.initDurationMs) as cold, sum(record.metrics.durationMs) as durSum, " +
      "count(timedOut) as timeouts, count(oomKilled) as ooms by @log, bin(1m) as t, " +
      "floor(log(record.metrics.durationMs) / log(1.1)) as dk",
  ].join("\n| ");

  it.each([
    ["Text", TEXT],
    ["JSON", JSON_TWIN],
  ])(
    "%s: REPORT cursors and rendered lines give the same answer, and log(0) groups under -Infinity",
    (format, query) => {
      const q = compile(query);
      // parse before stats and a computed by-key keep the query on REPORT cursors.
      expect(canRunOnReports(q)).toBe(true);
      const fast = runQuery(ctx, groups, q, T0 / 1000, NOW / 1000, 10_000, "auto");
      const slow = runQuery(ctx, groups, q, T0 / 1000, NOW / 1000, 10_000, "rendered");
      expect(fast).toEqual(slow);
      const rows = fast.results.map((r) => Object.fromEntries(r.map((f) => [f.field, f.value])));
      const group = format === "Text" ? "/aws/lambda/a" : "/aws/lambda/b";
      const mine = rows.filter((r) => r["@log"]!.endsWith(group));
      expect(mine.filter((r) => r.dk === "-Infinity").map((r) => Number(r.n))).toEqual([2, 1]);
      expect(mine.reduce((s, r) => s + Number(r.n), 0)).toBe(8);
      expect(mine.reduce((s, r) => s + Number(r.timeouts), 0)).toBe(1);
      expect(mine.reduce((s, r) => s + Number(r.ooms), 0)).toBe(1);
      expect(mine.find((r) => r.dk === String(Math.floor(Math.log(102.25) / Math.log(1.1))))).toBeDefined();
    },
  );

  it("sorts and limits rows keyed by NaN without failing", () => {
    const out = runQuery(
      ctx,
      groups,
      compile(
        'filter @type = "REPORT" | stats count(*) as n by sqrt(0 - @duration) as s | sort s desc | limit 3',
      ),
      T0 / 1000,
      NOW / 1000,
      100,
    );
    expect(
      out.results
        .flat()
        .filter((f) => f.field === "s")
        .map((f) => f.value),
    ).toContain("NaN");
  });
});
