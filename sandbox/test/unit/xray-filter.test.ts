import { describe, expect, it } from "vitest";
import { traceFacts, type TraceFacts } from "../../src/xray/facts";
import { compileFilter, FilterError, parseFilter } from "../../src/xray/filter";
import { renderTraceDocuments } from "../../src/xray/segments";
import type { Invocation } from "../../src/sim/types";
import { ACCOUNT, invocation, simFunction } from "./xray-fixtures";

const payments = simFunction("payments-api");
const orders = simFunction("orders-api");

function facts(inv: Partial<Invocation>, fn = payments, partial = false): TraceFacts {
  return traceFacts(
    renderTraceDocuments(invocation(inv), fn, ACCOUNT),
    ACCOUNT,
    partial ? "invalid-json" : null,
  );
}

const slowFault = facts({
  durationMs: 1500,
  outcome: "error",
  errorType: "TypeError",
  errorMessage: "x is undefined",
});
const fastOk = facts({ durationMs: 50 }, orders);
const cold = facts({ durationMs: 80, initDurationMs: 900, alias: null, version: "$LATEST" }, orders);
const withCalls = facts({
  durationMs: 400,
  downstream: [
    {
      kind: "dynamodb",
      resource: "orders",
      operation: "GetItem",
      offsetMs: 5,
      durationMs: 20,
      outcome: "throttle",
      httpStatus: 400,
    },
    {
      kind: "http",
      resource: "api.stripe.com",
      operation: "POST",
      offsetMs: 40,
      durationMs: 300,
      outcome: "fault",
      httpStatus: 502,
    },
  ],
});
const partialTrace = facts({ durationMs: 10 }, payments, true);
const all = { slowFault, fastOk, cold, withCalls, partialTrace };

function matching(expression: string): string[] {
  const predicate = compileFilter(expression);
  return Object.entries(all)
    .filter(([, t]) => predicate(t))
    .map(([name]) => name)
    .sort();
}

describe("X-Ray filter expressions", () => {
  it("matches boolean keywords and their negation", () => {
    expect(matching("fault")).toEqual(["slowFault", "withCalls"]);
    expect(matching("error")).toEqual(["withCalls"]); // the DynamoDB throttle is also an error
    expect(matching("throttle")).toEqual(["withCalls"]);
    expect(matching("!error")).toEqual(["cold", "fastOk", "partialTrace", "slowFault"]);
    expect(matching("ok")).toEqual(["cold", "fastOk", "partialTrace"]);
    expect(matching("partial")).toEqual(["partialTrace"]);
    expect(matching("FAULT")).toEqual(matching("fault"));
  });

  it("compares response time, duration and http.status in seconds", () => {
    expect(matching("responsetime > 1")).toEqual(["slowFault"]);
    expect(matching("duration >= 0.4")).toEqual(["cold", "slowFault", "withCalls"]);
    expect(matching("duration < 0.06")).toEqual(["fastOk", "partialTrace"]);
    expect(matching("http.status = 200")).toEqual(Object.keys(all).sort());
    expect(matching("http.status != 200")).toEqual([]);
  });

  it("combines with AND / OR / NOT / ! and parentheses, NOT binding tighter than AND tighter than OR", () => {
    expect(matching('service("payments-api") AND responsetime > 1')).toEqual(["slowFault"]);
    expect(matching('service("payments-api") and not fault')).toEqual(["partialTrace"]);
    expect(matching("fault OR partial AND ok")).toEqual(["partialTrace", "slowFault", "withCalls"]);
    expect(matching("(fault or partial) and !throttle")).toEqual(["partialTrace", "slowFault"]);
    expect(matching("!(fault or partial)")).toEqual(["cold", "fastOk"]);
    expect(matching("NOT NOT fault")).toEqual(matching("fault"));
  });

  it("finds services by name, id(), and scopes a body to the node", () => {
    expect(matching('service("orders-api")')).toEqual(["cold", "fastOk"]);
    expect(matching('service("DynamoDB")')).toEqual(["withCalls"]);
    expect(matching('service(id(name: "payments-api", type: "AWS::Lambda::Function")) { fault }')).toEqual([
      "slowFault",
    ]);
    expect(matching('service(id(type: "AWS::DynamoDB::Table")) { throttle }')).toEqual(["withCalls"]);
    // The payments-api function itself did not fail in withCalls: its downstream did.
    expect(matching('service("payments-api") { fault }')).toEqual(["slowFault"]);
    expect(
      matching('service("api.stripe.com") { fault AND http.url CONTAINS "stripe" AND http.status = 502 }'),
    ).toEqual(["withCalls"]);
    expect(matching('service("api.stripe.com") { http.method = "GET" }')).toEqual([]);
    expect(matching("service() { throttle }")).toEqual(["withCalls"]);
    expect(matching('service("nope")')).toEqual([]);
  });

  it("matches edges on the callee", () => {
    expect(matching('edge("payments-api", "api.stripe.com") { fault }')).toEqual(["withCalls"]);
    expect(matching('edge("payments-api", "DynamoDB") { fault }')).toEqual([]);
    expect(matching('edge(id(name: "orders-api", type: "AWS::Lambda"), "orders-api")')).toEqual([
      "cold",
      "fastOk",
    ]);
  });

  it("compares typed annotations", () => {
    expect(matching("annotation.coldStart = true")).toEqual(["cold"]);
    expect(matching("annotation.coldStart != true")).toEqual([
      "fastOk",
      "partialTrace",
      "slowFault",
      "withCalls",
    ]);
    expect(matching('annotation.alias = "live"')).toEqual([
      "fastOk",
      "partialTrace",
      "slowFault",
      "withCalls",
    ]);
    expect(matching('annotation.version = "$LATEST"')).toEqual(["cold"]);
    expect(matching("annotation.version = 7")).toEqual([]); // "7" is a string annotation
    expect(matching('annotation.version BEGINSWITH "$"')).toEqual(["cold"]);
    expect(matching('annotation.alias != "live"')).toEqual([]); // absent on cold: no comparison holds
  });

  it("unescapes strings as X-Ray does", () => {
    const expr = parseFilter('service("a\\"b\\\\c")');
    expect(expr).toEqual({ kind: "service", selector: { name: 'a"b\\c', type: null }, body: null });
  });

  it.each([
    ["", "empty expression"],
    ["   ", "empty expression"],
    ["error = maybe", "compares with true or false"],
    ["error > true", "compares with = or != only"],
    ["root", "unsupported keyword 'root'"],
    ["responsetime > ", "expected a comparison operator|compares with a number"],
    ['responsetime > "1"', "compares with a number"],
    ["http.status = 5xx", "invalid number"],
    ["http.url CONTAINS 5", "compares with a string"],
    ['http.url LIKE "x"', "unexpected 'LIKE'"],
    ['user = "bob"', "unsupported keyword 'user'"],
    ['rootcause.fault.service.name = "x"', "unsupported keyword"],
    ["json", "unsupported keyword"],
    ['service("a"', "expected '\\)'"],
    ['service("a") { service("b") }', "cannot be nested"],
    ["fault AND", "unexpected end of expression"],
    ["fault fault", "unexpected 'fault'"],
    ["fault && error", "unexpected character '&'"],
    ['"unterminated', "unterminated string"],
    ['service("a\\n")', "invalid escape"],
    ["annotation.a-b = 1", "unexpected character|invalid annotation key|unexpected"],
    ['annotation.x > "a"', "cannot compare strings"],
    ["annotation.x < true", "cannot compare booleans"],
    ["annotation.x = nope", "expected a string, number or boolean"],
    ["(fault", "expected '\\)'"],
    ['edge("a")', "expected ','"],
    ['service(id(nam: "x"))', "id\\(\\) takes name: and type:"],
  ])("rejects %j", (expression, message) => {
    expect(() => compileFilter(expression)).toThrow(FilterError);
    expect(() => compileFilter(expression)).toThrow(new RegExp(message));
  });

  it("reports the position of the error", () => {
    try {
      compileFilter("fault AND bogus");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FilterError);
      expect((e as FilterError).position).toBe(10);
      expect((e as FilterError).message).toBe(
        "Invalid filter expression: unsupported keyword 'bogus' at position 10",
      );
    }
  });

  it("rejects expressions longer than 2000 characters", () => {
    expect(() => compileFilter(Array(500).fill("fault").join(" OR "))).toThrow(/longer than 2000/);
  });
});
