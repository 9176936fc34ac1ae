import { describe, expect, it } from "vitest";
import { compileFilterPattern, InvalidFilterPatternError } from "../../src/logs/filter-pattern";

const m = (pattern: string, message: string) => compileFilterPattern(pattern)(message);

describe("term patterns", () => {
  it("matches everything with an empty pattern", () => {
    expect(m("", "anything")).toBe(true);
    expect(m("   ", "anything")).toBe(true);
  });

  it("requires all terms, case-sensitively", () => {
    expect(m("ERROR timeout", "ERROR: upstream timeout")).toBe(true);
    expect(m("ERROR timeout", "ERROR: upstream failure")).toBe(false);
    expect(m("ERROR", "error: lower case")).toBe(false);
  });

  it("matches quoted phrases with spaces and special characters", () => {
    expect(m('"Task timed out"', "2026-01-01T00:00:00.000Z abc Task timed out after 3.00 seconds")).toBe(
      true,
    );
    expect(m('"Task timed  out"', "Task timed out")).toBe(false);
    expect(m('"Init Duration:" REPORT', "REPORT RequestId: x\tInit Duration: 1 ms")).toBe(true);
    expect(m('"say \\"hi\\""', 'they say "hi"')).toBe(true);
  });

  it("matches any of ?term alternatives", () => {
    expect(m("?ERROR ?WARN", "WARN slow")).toBe(true);
    expect(m("?ERROR ?WARN", "ERROR bad")).toBe(true);
    expect(m("?ERROR ?WARN", "INFO ok")).toBe(false);
    expect(m('?"Task timed out" ?Runtime.OutOfMemory', "Error Type: Runtime.OutOfMemory")).toBe(true);
  });

  it("excludes -terms", () => {
    expect(m("ERROR -Exiting", "ERROR retrying")).toBe(true);
    expect(m("ERROR -Exiting", "ERROR Exiting now")).toBe(false);
    expect(m("-DEBUG", "INFO x")).toBe(true);
  });

  it("accepts request ids and dotted names unquoted", () => {
    expect(
      m("8fc6f963-411b-48b5-8483-a32130c0f45d", "START RequestId: 8fc6f963-411b-48b5-8483-a32130c0f45d"),
    ).toBe(true);
  });
});

describe("JSON patterns", () => {
  const line = JSON.stringify({
    level: "WARN",
    downstream: { kind: "s3", durationMs: 42.5, httpStatus: 503 },
    tags: ["a", "b"],
    n: null,
    ok: true,
  });

  it("compares strings with = and !=, with * wildcards", () => {
    expect(m('{ $.level = "WARN" }', line)).toBe(true);
    expect(m("{ $.level = WARN }", line)).toBe(true);
    expect(m('{ $.level != "WARN" }', line)).toBe(false);
    expect(m('{ $.downstream.kind = "s*" }', line)).toBe(true);
    expect(m('{ $.downstream.kind = "d*" }', line)).toBe(false);
    expect(m('{ $.tags[1] = "b" }', line)).toBe(true);
  });

  it("compares numbers with < > <= >= = !=", () => {
    expect(m("{ $.downstream.durationMs > 40 }", line)).toBe(true);
    expect(m("{ $.downstream.durationMs >= 42.5 }", line)).toBe(true);
    expect(m("{ $.downstream.durationMs < 42.5 }", line)).toBe(false);
    expect(m("{ $.downstream.httpStatus = 503 }", line)).toBe(true);
    expect(m("{ $.downstream.httpStatus != 503 }", line)).toBe(false);
    expect(m("{ $.level > 3 }", line)).toBe(false); // a string never satisfies a numeric comparison
  });

  it("combines with && and || and parentheses", () => {
    expect(m('{ $.level = "WARN" && $.downstream.httpStatus > 500 }', line)).toBe(true);
    expect(m('{ $.level = "INFO" && $.downstream.httpStatus > 500 }', line)).toBe(false);
    expect(m('{ $.level = "INFO" || ($.downstream.kind = "s3" && $.ok IS TRUE) }', line)).toBe(true);
  });

  it("supports IS NULL, IS TRUE/FALSE and NOT EXISTS", () => {
    expect(m("{ $.n IS NULL }", line)).toBe(true);
    expect(m("{ $.ok IS FALSE }", line)).toBe(false);
    expect(m("{ $.missing NOT EXISTS }", line)).toBe(true);
    expect(m("{ $.level NOT EXISTS }", line)).toBe(false);
  });

  it("never matches non-JSON messages or missing fields", () => {
    expect(m('{ $.level = "WARN" }', `2026-01-01T00:00:00Z\tid\tWARN\t{"level":"WARN"}`)).toBe(false);
    expect(m('{ $.nope = "x" }', line)).toBe(false);
    expect(m('{ $.nope != "x" }', line)).toBe(false);
  });
});

describe("rejections", () => {
  const bad = [
    "[ip, user, ts]",
    "%ERROR.*%",
    "foo=bar",
    "ERROR*",
    '"unterminated',
    "?ERROR WARN",
    "?ERROR -WARN",
    "{ $.a = }",
    "{ $.a ~ 3 }",
    '{ $.a > "x" }',
    "{ level = 3 }",
    '{ $.a = "x" ',
    '{ $.a = "x" } trailing',
    "{ $ = 1 }",
    "- ERROR",
  ];
  it.each(bad)("rejects %s", (p) => {
    expect(() => compileFilterPattern(p)).toThrow(InvalidFilterPatternError);
    expect(() => compileFilterPattern(p)).toThrow(/^Invalid filter pattern/);
  });
});
