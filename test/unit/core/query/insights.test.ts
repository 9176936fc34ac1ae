import { describe, expect, it } from "vitest";
import {
  insightsBin,
  insightsString,
  logGroupFromLogField,
  validateLogGroupName,
} from "@/lib/core/query/insights";
import { seconds } from "@/lib/core/units";

/**
 * Reads back a double-quoted Insights literal the way a lexer does (backslash escapes, \n and \t), returning the
 * decoded text and everything after the closing quote. A safe literal decodes to the input with nothing left over.
 */
function readLiteral(s: string): { text: string; rest: string } {
  if (!s.startsWith('"')) throw new Error("not a literal");
  let text = "";
  let i = 1;
  while (i < s.length && s[i] !== '"') {
    if (s[i] === "\\") {
      const n = s[i + 1];
      text += n === "n" ? "\n" : n === "t" ? "\t" : (n ?? "");
      i += 2;
    } else text += s[i++];
  }
  return { text, rest: s.slice(i + 1) };
}

const HOSTILE = [
  'abc" or true',
  '" | filter 1 = 1 | limit 10000 | "',
  "back\\slash\\",
  'trailing backslash \\"',
  "new\nline | stats count(*)",
  "tab\there",
  "unicode ✓ 日本語 🚀 \u2028",
  "",
];

describe("insightsString", () => {
  it("keeps every hostile value inside one literal, decoding to exactly the input", () => {
    for (const v of HOSTILE) {
      const lit = insightsString(v);
      expect(readLiteral(lit)).toEqual({ text: v, rest: "" });
      expect(lit).not.toMatch(/[\n\t]/);
    }
  });

  it("escapes quotes and backslashes visibly", () => {
    expect(insightsString('say "hi"')).toBe('"say \\"hi\\""');
    expect(insightsString("a\\b")).toBe('"a\\\\b"');
    expect(insightsString("a\nb")).toBe('"a\\nb"');
  });

  it("rejects control characters, lone surrogates and huge values with InvalidInput", () => {
    for (const bad of [
      "nul\u0000",
      "bell\u0007",
      "cr\r",
      "esc\u001b[2J",
      "del\u007f",
      "\ud800 lone",
      "x".repeat(2000),
    ]) {
      expect(() => insightsString(bad)).toThrow(expect.objectContaining({ code: "InvalidInput" }));
    }
  });
});

describe("names and bins", () => {
  it("validates log group names and strips the account from @log", () => {
    expect(validateLogGroupName("/aws/lambda/orders-api")).toBe("/aws/lambda/orders-api");
    expect(() => validateLogGroupName("/aws/lambda/x y")).toThrow();
    expect(() => validateLogGroupName('"; drop')).toThrow();
    expect(logGroupFromLogField("123456789012:/aws/lambda/orders-api")).toBe("/aws/lambda/orders-api");
    expect(logGroupFromLogField("/custom/group")).toBe("/custom/group");
  });

  it("writes bin periods in the largest whole unit", () => {
    expect(insightsBin(seconds(60))).toBe("1m");
    expect(insightsBin(seconds(300))).toBe("5m");
    expect(insightsBin(seconds(3600))).toBe("1h");
    expect(insightsBin(seconds(90))).toBe("90s");
    expect(() => insightsBin(seconds(0))).toThrow();
    expect(() => insightsBin(seconds(1.5))).toThrow();
  });
});
