import { describe, expect, it } from "vitest";
import {
  allTermsPattern,
  anyTermPattern,
  filterPatternTerm,
  requestIdPattern,
} from "@/lib/core/query/filter-pattern";
import { buildTraceFilter, xrayString } from "@/lib/core/query/xray-filter";

/** Reads a quoted filter-pattern term back (backslash escapes the next character). */
function readTerm(s: string): { text: string; rest: string } {
  let text = "";
  let i = 1;
  while (i < s.length && s[i] !== '"') {
    if (s[i] === "\\") i++;
    text += s[i++] ?? "";
  }
  return { text, rest: s.slice(i + 1) };
}

const invalid = expect.objectContaining({ code: "InvalidInput" });

describe("filterPatternTerm", () => {
  it("quotes a request id as an exact phrase", () => {
    expect(requestIdPattern("8f507cfc-1111-4697-b07a-ac58fc914c95")).toBe(
      '"8f507cfc-1111-4697-b07a-ac58fc914c95"',
    );
  });

  it("keeps operators and quotes literal", () => {
    for (const v of [
      "-ERROR",
      "?WARN",
      "{ $.a = 1 }",
      "%.*%",
      'say "hi"',
      "back\\slash\\",
      '" or true',
      "日本語 ✓",
      "a | b",
    ]) {
      const t = filterPatternTerm(v);
      expect(t.startsWith('"')).toBe(true);
      expect(readTerm(t)).toEqual({ text: v, rest: "" });
    }
  });

  it("rejects empty values, line breaks and control characters", () => {
    for (const bad of ["", "a\nb", "a\tb", "a\rb", "\u0000"])
      expect(() => filterPatternTerm(bad)).toThrow(invalid);
  });

  it("combines terms with AND and OR syntax", () => {
    expect(allTermsPattern(["ERROR", "Task timed out"])).toBe('"ERROR" "Task timed out"');
    expect(anyTermPattern(["ERROR", "WARN"])).toBe('?"ERROR" ?"WARN"');
    expect(() => allTermsPattern([])).toThrow(invalid);
  });
});

describe("xrayString and buildTraceFilter", () => {
  it("builds the documented example", () => {
    expect(
      buildTraceFilter({ service: "orders-api", faults: true, minDurationS: 1.5, coldStart: true }),
    ).toBe('service("orders-api") AND fault AND responsetime > 1.5 AND annotation.coldStart = true');
  });

  it("ORs status flags, sorts annotations and types their values", () => {
    expect(
      buildTraceFilter({
        errors: true,
        throttles: true,
        annotations: { version: 7, alias: "live", canary: false },
      }),
    ).toBe(
      '(error OR throttle) AND annotation.alias = "live" AND annotation.canary = false AND annotation.version = 7',
    );
    expect(buildTraceFilter({})).toBe("");
    expect(buildTraceFilter({ coldStart: false })).toBe("annotation.coldStart = false");
  });

  it("rejects values that could leave their quotes and keys that are not identifiers", () => {
    for (const bad of ['orders" OR ok OR service("x', "a\\", "a\nb", "\u0007"]) {
      expect(() => xrayString(bad)).toThrow(invalid);
      expect(() => buildTraceFilter({ service: bad })).toThrow(invalid);
    }
    for (const key of ["a b", "a.b", "a=1 OR ok", "", "ключ"]) {
      expect(() => buildTraceFilter({ annotations: { [key]: 1 } })).toThrow(invalid);
    }
    expect(() => buildTraceFilter({ minDurationS: -1 })).toThrow(invalid);
    expect(() => buildTraceFilter({ annotations: { n: Number.NaN } })).toThrow(invalid);
  });

  it("accepts harmless punctuation and unicode inside quotes", () => {
    expect(xrayString("orders (v2) | AND ✓")).toBe('"orders (v2) | AND ✓"');
  });
});
