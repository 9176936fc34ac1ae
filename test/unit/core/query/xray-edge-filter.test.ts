import { describe, expect, it } from "vitest";
import { buildEdgeFilter, buildTraceFilter, xrayServiceId } from "@/lib/core/query/xray-filter";

const invalid = expect.objectContaining({ code: "InvalidInput" });
const fn = (name: string) => ({ name, type: "AWS::Lambda::Function" });
const svc = (name: string) => ({ name, type: "AWS::Lambda" });

/** The expression with every double-quoted literal replaced by `_`: what X-Ray parses as syntax. */
const skeleton = (expr: string) => expr.replace(/"[^"]*"/g, "_");
/** The literals, in order. */
const literals = (expr: string) => [...expr.matchAll(/"([^"]*)"/g)].map((m) => m[1]);

describe("edge filter", () => {
  it("names both ends by name and type", () => {
    expect(buildEdgeFilter(svc("payments-api"), fn("payments-api"))).toBe(
      'edge(id(name: "payments-api", type: "AWS::Lambda"), id(name: "payments-api", type: "AWS::Lambda::Function"))',
    );
  });

  it("keeps braces, parentheses, commas and keywords in a name as data", () => {
    const hostile = ["a) { fault } OR edge(x", "}{", "a, b", "x) OR service(y", "AND OR NOT !", "日本 ✓"];
    for (const name of hostile) {
      const expr = buildEdgeFilter(fn(name), { name: "DynamoDB", type: "AWS::DynamoDB::Table" });
      expect(skeleton(expr)).toBe("edge(id(name: _, type: _), id(name: _, type: _))");
      expect(literals(expr)).toEqual([name, "AWS::Lambda::Function", "DynamoDB", "AWS::DynamoDB::Table"]);
    }
  });

  it("refuses quotes, backslashes and line breaks in either end, name or type", () => {
    for (const bad of [
      'a"b',
      'x") OR ("',
      "back\\slash",
      "trailing\\",
      "line\nbreak",
      "tab\there",
      "nul\u0000",
    ]) {
      expect(() => buildEdgeFilter(fn(bad), fn("b"))).toThrow(invalid);
      expect(() => buildEdgeFilter(fn("a"), fn(bad))).toThrow(invalid);
      expect(() => xrayServiceId({ name: "a", type: bad })).toThrow(invalid);
    }
  });

  it("joins an edge or a node with the other clauses of a trace filter", () => {
    expect(buildTraceFilter({ edge: { from: svc("a"), to: fn("a") }, faults: true })).toBe(
      'edge(id(name: "a", type: "AWS::Lambda"), id(name: "a", type: "AWS::Lambda::Function")) AND fault',
    );
    expect(buildTraceFilter({ node: { name: "{x}", type: "remote" } })).toBe(
      'service(id(name: "{x}", type: "remote"))',
    );
  });
});
