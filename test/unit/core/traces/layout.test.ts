import { describe, expect, it } from "vitest";
import { criticalPath } from "@/lib/core/traces/critical-path";
import { layoutTrace, minimapLines, zoomWindow } from "@/lib/core/traces/layout";
import { readTrace } from "@/lib/core/traces/tree";
import { epochMs } from "@/lib/core/units";
import { lambdaTrace, raw, syntheticTrace, TRACE_ID } from "./fixtures";

const trace = () => {
  const { service, fn } = lambdaTrace();
  return readTrace(TRACE_ID, raw(service, fn));
};

describe("layoutTrace", () => {
  it("places every span as a fraction of the whole trace, root spanning [0, 1]", () => {
    const tree = trace();
    const { rows } = layoutTrace(tree);
    expect(rows).toHaveLength(tree.spans.length);
    expect(rows[0]).toMatchObject({ start: 0, end: 1, depth: 0, hasChildren: true });
    const total = tree.end - tree.start;
    for (const r of rows) {
      const s = tree.spans[r.index]!;
      expect(r.start).toBeCloseTo((s.start - tree.start) / total, 12);
      expect(r.end).toBeCloseTo((s.end - tree.start) / total, 12);
      expect(r.start).toBeLessThanOrEqual(r.end);
    }
  });

  it("hides a collapsed span's descendants but keeps the span", () => {
    const tree = trace();
    const invocation = tree.spans.find((s) => s.phase === "Invocation")!;
    const { rows } = layoutTrace(tree, { collapsed: new Set([invocation.id]) });
    expect(rows.map((r) => tree.spans[r.index]!.name)).toEqual([
      "orders-api",
      "orders-api",
      "Initialization",
      "Invocation",
      "Overhead",
    ]);
    expect(rows[3]).toMatchObject({ collapsed: true, hasChildren: true });
    // Collapsing a leaf changes nothing.
    const leaf = tree.spans.find((s) => s.name === "DynamoDB")!;
    expect(layoutTrace(tree, { collapsed: new Set([leaf.id]) }).rows).toHaveLength(tree.spans.length);
  });

  it("zooms: clips spans that cross the window and flags spans outside it", () => {
    const tree = trace();
    const ddb = tree.spans.find((s) => s.name === "DynamoDB")!;
    const window = { from: ddb.start, to: ddb.end };
    const { rows } = layoutTrace(tree, { window });
    const byName = (n: string) => rows.find((r) => tree.spans[r.index]!.name === n)!;
    expect(byName("DynamoDB")).toMatchObject({ start: 0, end: 1, clippedLeft: false, clippedRight: false });
    expect(byName("Invocation")).toMatchObject({ start: 0, end: 1, clippedLeft: true, clippedRight: true });
    expect(byName("Initialization")).toMatchObject({ start: 0, end: 0, outside: true });
    expect(byName("Overhead")).toMatchObject({ start: 1, end: 1, outside: true });
  });

  it("zoomWindow maps fractions of the trace to an absolute window", () => {
    const tree = trace();
    const w = zoomWindow(tree, 0.75, 0.25);
    const total = tree.end - tree.start;
    expect(w.from).toBeCloseTo(tree.start + 0.25 * total, 6);
    expect(w.to).toBeCloseTo(tree.start + 0.75 * total, 6);
    const degenerate = zoomWindow(tree, 0.5, 0.5);
    expect(degenerate.to).toBeGreaterThan(degenerate.from);
  });

  it("marks errors, faults and throttles", () => {
    const { service, fn } = lambdaTrace({ failed: true });
    const tree = readTrace(TRACE_ID, raw(service, fn));
    const status = Object.fromEntries(layoutTrace(tree).rows.map((r) => [tree.spans[r.index]!.id, r.status]));
    expect(status.ddddddddddddddd1).toBe("fault");
    expect(status.ccccccccccccccc2).toBe("throttle");
    expect(status.ccccccccccccccc1).toBe("ok");
  });

  it("lays out 10,000 spans with every row inside [0, 1]", () => {
    const tree = readTrace(TRACE_ID, syntheticTrace(10_000));
    const { rows } = layoutTrace(tree, {
      window: { from: epochMs(tree.start + 1000), to: epochMs(tree.start + 2000) },
    });
    expect(rows).toHaveLength(10_000);
    expect(rows.every((r) => r.start >= 0 && r.end <= 1 && r.start <= r.end)).toBe(true);
    // hasChildren is read from the depths; it agrees with the tree's child lists.
    expect(rows.every((r) => r.hasChildren === tree.children[r.index]!.length > 0)).toBe(true);
    expect(minimapLines(tree, 120)).toHaveLength(120);
  });
});

describe("criticalPath", () => {
  it("follows the chain that decided the end: service → function → Overhead, Invocation, Initialization", () => {
    const tree = trace();
    const on = criticalPath(tree);
    const names = tree.spans.filter((_, i) => on[i] === 1).map((s) => s.phase ?? s.name);
    // Within Invocation the Stripe call finished last; DynamoDB ended before it started, so it is on the path too.
    expect(names).toEqual([
      "orders-api",
      "orders-api",
      "Initialization",
      "Invocation",
      "DynamoDB",
      "api.stripe.com",
      "Overhead",
    ]);
  });

  it("leaves out a parallel child that finished before the last one but overlapped it", () => {
    const root = { id: "r", name: "root", start_time: 0, end_time: 10 };
    const sub = (id: string, a: number, b: number) => ({
      id,
      name: id,
      start_time: a,
      end_time: b,
      parent_id: "r",
    });
    // long: 1–9 (last to end); overlap: 2–8 ends inside long; early: 0.5–0.9 ends before long starts.
    const tree = readTrace(
      TRACE_ID,
      raw(root, sub("long", 1, 9), sub("overlap", 2, 8), sub("early", 0.5, 0.9)),
    );
    const on = criticalPath(tree);
    expect(tree.spans.filter((_, i) => on[i] === 1).map((s) => s.id)).toEqual(["r", "early", "long"]);
  });
});

describe("minimapLines", () => {
  it("squeezes spans into lines with the worst status of each", () => {
    const tree = readTrace(TRACE_ID, syntheticTrace(1000));
    const lines = minimapLines(tree, 10);
    expect(lines).toHaveLength(10);
    // syntheticTrace marks every 97th span as a fault: each line of 100 spans holds at least one.
    expect(lines.every((l) => l.status === "fault")).toBe(true);
    expect(lines[0]!.start).toBe(0);
  });
});
