import { describe, expect, it } from "vitest";
import { parseSegments } from "@/lib/core/traces/parse";
import { readTrace } from "@/lib/core/traces/tree";
import { lambdaTrace, raw, syntheticTrace, TRACE_ID } from "./fixtures";

describe("readTrace", () => {
  it("nests the function segment under the service segment and its phases and calls under it", () => {
    const { service, fn } = lambdaTrace();
    // Documents arrive in any order; the tree follows parent_id, not document order.
    const tree = readTrace(TRACE_ID, raw(fn, service));
    expect(tree.problems).toEqual([]);
    expect(tree.spans.map((s, i) => `${"  ".repeat(tree.depth[i]!)}${s.name}`)).toEqual([
      "orders-api",
      "  orders-api",
      "    Initialization",
      "    Invocation",
      "      DynamoDB",
      "      api.stripe.com",
      "    Overhead",
    ]);
    expect(tree.spans.map((s) => s.phase)).toEqual([
      null,
      null,
      "Initialization",
      "Invocation",
      null,
      null,
      "Overhead",
    ]);
    expect(Array.from(tree.parent)).toEqual([-1, 0, 1, 1, 3, 3, 1]);
    expect(tree.children[1]).toEqual([2, 3, 6]);
    expect(tree.start).toBe(tree.spans[0]!.start);
  });

  it("keeps durations exact on X-Ray's microsecond grid (init equals the REPORT line's Init Duration)", () => {
    for (const initMs of [145.12, 2203.99, 0.01, 9999.99]) {
      const { service, fn } = lambdaTrace({ initMs });
      const tree = readTrace(TRACE_ID, raw(service, fn));
      const init = tree.spans.find((s) => s.phase === "Initialization");
      expect(init?.duration).toBe(initMs);
    }
  });

  it("reads flags, http, aws fields, annotations and exceptions", () => {
    const { service, fn } = lambdaTrace({ failed: true });
    const tree = readTrace(TRACE_ID, raw(service, fn));
    const stripe = tree.spans.find((s) => s.name === "api.stripe.com")!;
    expect(stripe).toMatchObject({ error: true, throttle: true, fault: false, namespace: "remote" });
    expect(stripe.http).toEqual({ method: "POST", url: "https://api.stripe.com/v1/charges", status: 429 });
    const ddb = tree.spans.find((s) => s.name === "DynamoDB")!;
    expect(ddb.aws).toEqual({ operation: "GetItem", table_name: "orders" });
    const fnSpan = tree.spans[1]!;
    expect(fnSpan.fault).toBe(true);
    expect(fnSpan.exceptions).toEqual([
      {
        id: "eeeeeeeeeeeeeee1",
        type: "PaymentDeclined",
        message: "card declined",
        remote: false,
        stack: [{ path: "/var/task/index.mjs", line: 42, label: "Runtime.handler" }],
      },
    ]);
    expect(tree.spans.find((s) => s.phase === "Invocation")?.causeRef).toBe("eeeeeeeeeeeeeee1");
  });

  it("shows what it could read of a document cut in half, and says what it could not", () => {
    const { service, fn } = lambdaTrace();
    const text = JSON.stringify(fn);
    const tree = readTrace(TRACE_ID, [
      { id: service.id, document: JSON.stringify(service) },
      { id: fn.id, document: text.slice(0, text.length / 2) },
    ]);
    expect(tree.spans.map((s) => s.name)).toEqual(["orders-api"]);
    expect(tree.spans[0]!.origin).toBe("AWS::Lambda");
    expect(tree.problems).toHaveLength(1);
    expect(tree.problems[0]!.segmentId).toBe(fn.id);
    expect(tree.problems[0]!.message).toMatch(/not valid JSON/);
  });

  it("borrows the parent's end for a subsegment without end_time, and reports it", () => {
    const { service, fn } = lambdaTrace();
    const broken = structuredClone(fn) as { subsegments: { name: string; end_time?: number }[] };
    delete broken.subsegments.find((s) => s.name === "Invocation")!.end_time;
    const tree = readTrace(TRACE_ID, raw(service, broken));
    const inv = tree.spans.find((s) => s.phase === "Invocation")!;
    const fnSpan = tree.spans[1]!;
    expect(inv.endMissing).toBe(true);
    expect(inv.end).toBe(fnSpan.end);
    expect(tree.problems).toEqual([
      expect.objectContaining({ segmentId: fn.id, path: "subsegments[1].end_time" }),
    ]);
  });

  it("drops a bad field but keeps the node, and lifts the children of an unusable node", () => {
    const doc = {
      id: "1111111111111111",
      name: "root",
      start_time: 100,
      end_time: 101,
      http: "not an object",
      subsegments: [
        {
          name: "no id",
          start_time: 100.1,
          end_time: 100.2,
          subsegments: [{ id: "c1", name: "child", start_time: 100.15, end_time: 100.16 }],
        },
        42,
      ],
    };
    const tree = readTrace(TRACE_ID, raw(doc));
    expect(tree.spans.map((s) => s.name)).toEqual(["root", "child"]);
    expect(tree.depth[1]).toBe(1);
    expect(tree.spans[0]!.http).toBeNull();
    expect(tree.problems.map((p) => p.path)).toEqual(["http", "subsegments[0]", "subsegments[1]"]);
  });

  it("keeps every other field of a node with one bad field, and names the bad one", () => {
    const doc = {
      id: "2222222222222222",
      name: "put",
      start_time: 100,
      end_time: 100.25,
      fault: true,
      aws: { operation: "PutItem", table_name: "orders" },
      annotations: { ok: 1, bad: null },
      http: { response: { status: 503 } },
    };
    const tree = readTrace(TRACE_ID, raw(doc));
    expect(tree.spans[0]).toMatchObject({
      fault: true,
      aws: { operation: "PutItem", table_name: "orders" },
      annotations: {},
      http: { method: null, url: null, status: 503 },
      duration: 250,
    });
    expect(tree.problems.map((p) => [p.path, p.message])).toEqual([
      ["annotations", expect.stringMatching(/^"put" has an unreadable annotations/)],
    ]);
  });

  it("survives parent cycles and duplicate ids", () => {
    const a = { id: "a", name: "a", start_time: 1, end_time: 2, parent_id: "b" };
    const b = { id: "b", name: "b", start_time: 1.1, end_time: 2, parent_id: "a" };
    const dup = { id: "a", name: "dup", start_time: 1.2, end_time: 1.5 };
    const tree = readTrace(TRACE_ID, raw(a, b, dup));
    expect(tree.spans).toHaveLength(3);
    expect(new Set(tree.spans.map((s) => s.id)).size).toBe(3);
    expect(tree.problems.some((p) => /cycle/.test(p.message))).toBe(true);
    expect(tree.problems.some((p) => /share the id/.test(p.message))).toBe(true);
  });

  it("walks a 10,000-deep chain without recursion", () => {
    const tree = readTrace(TRACE_ID, syntheticTrace(10_000, 1));
    expect(tree.spans).toHaveLength(10_000);
    expect(Math.max(...tree.depth)).toBe(9_999);
  });

  it("never throws on hostile input", () => {
    for (const document of ["", "null", "[]", '"x"', "{", '{"subsegments": {}}', '{"id": 1}']) {
      const r = parseSegments([{ id: "x", document }]);
      expect(r.spans).toEqual([]);
      expect(r.problems.length).toBeGreaterThan(0);
    }
  });
});
