import { describe, expect, it } from "vitest";
import { layoutServiceMap, NODE_HEIGHT, NODE_WIDTH } from "@/lib/core/traces/service-map-layout";

const node = (id: string, name = id.split("|")[1] ?? id) => ({ id, name });

// client → Lambda service → function → DynamoDB / S3, as X-Ray draws a Lambda fleet.
const NODES = [
  node("AWS::DynamoDB::Table|orders"),
  node("AWS::Lambda::Function|orders-api"),
  node("client|client"),
  node("AWS::Lambda|orders-api"),
  node("AWS::S3::Bucket|exports"),
  node("AWS::Lambda|billing"),
  node("AWS::Lambda::Function|billing"),
];
const EDGES = [
  { from: "client|client", to: "AWS::Lambda|orders-api" },
  { from: "client|client", to: "AWS::Lambda|billing" },
  { from: "AWS::Lambda|orders-api", to: "AWS::Lambda::Function|orders-api" },
  { from: "AWS::Lambda|billing", to: "AWS::Lambda::Function|billing" },
  { from: "AWS::Lambda::Function|orders-api", to: "AWS::DynamoDB::Table|orders" },
  { from: "AWS::Lambda::Function|orders-api", to: "AWS::S3::Bucket|exports" },
];

const columnOf = (layout: ReturnType<typeof layoutServiceMap>) =>
  Object.fromEntries(layout.nodes.map((n) => [n.id, n.column]));

describe("layoutServiceMap", () => {
  it("puts clients left, Lambda services, functions, then downstream right", () => {
    const cols = columnOf(layoutServiceMap(NODES, EDGES));
    expect(cols).toEqual({
      "client|client": 0,
      "AWS::Lambda|billing": 1,
      "AWS::Lambda|orders-api": 1,
      "AWS::Lambda::Function|billing": 2,
      "AWS::Lambda::Function|orders-api": 2,
      "AWS::DynamoDB::Table|orders": 3,
      "AWS::S3::Bucket|exports": 3,
    });
  });

  it("places a node one column right of its furthest caller (longest path)", () => {
    const cols = columnOf(
      layoutServiceMap(
        [node("a"), node("b"), node("c")],
        [
          { from: "a", to: "c" },
          { from: "a", to: "b" },
          { from: "b", to: "c" },
        ],
      ),
    );
    expect(cols).toEqual({ a: 0, b: 1, c: 2 });
  });

  it("orders a column by name and gives every node its own place", () => {
    const layout = layoutServiceMap(NODES, EDGES);
    const column3 = layout.nodes.filter((n) => n.column === 3).map((n) => n.id);
    expect(column3).toEqual(["AWS::S3::Bucket|exports", "AWS::DynamoDB::Table|orders"]);
    const places = new Set(layout.nodes.map((n) => `${n.x},${n.y}`));
    expect(places.size).toBe(NODES.length);
    for (const n of layout.nodes) {
      expect(n.x + NODE_WIDTH).toBeLessThanOrEqual(layout.width);
      expect(n.y + NODE_HEIGHT).toBeLessThanOrEqual(layout.height);
    }
  });

  it("is deterministic whatever the input order", () => {
    const a = layoutServiceMap(NODES, EDGES);
    const b = layoutServiceMap([...NODES].reverse(), [...EDGES].reverse());
    expect(b.nodes).toEqual(a.nodes);
    const byKey = (l: typeof a) => Object.fromEntries(l.edges.map((e) => [`${e.from}>${e.to}`, e]));
    expect(byKey(b)).toEqual(byKey(a));
  });

  it("draws a forward edge from the caller's right side to the callee's left side", () => {
    const layout = layoutServiceMap(NODES, EDGES);
    const from = layout.nodes.find((n) => n.id === "client|client")!;
    const to = layout.nodes.find((n) => n.id === "AWS::Lambda|billing")!;
    const edge = layout.edges.find((e) => e.to === "AWS::Lambda|billing")!;
    expect(edge.path.startsWith(`M ${from.x + NODE_WIDTH} ${from.y + NODE_HEIGHT / 2} C`)).toBe(true);
    expect(edge.path.endsWith(`${to.x} ${to.y + NODE_HEIGHT / 2}`)).toBe(true);
    expect(edge.labelX).toBeGreaterThan(from.x + NODE_WIDTH);
    expect(edge.labelX).toBeLessThan(to.x);
  });

  it("terminates on a cycle and still draws the edge that closes it", () => {
    const layout = layoutServiceMap(
      [node("a"), node("b")],
      [
        { from: "a", to: "b" },
        { from: "b", to: "a" },
      ],
    );
    expect(layout.nodes.every((n) => n.column <= 1)).toBe(true);
    expect(layout.edges).toHaveLength(2);
  });

  it("skips an edge to a node it was not given, and lays out nothing as nothing", () => {
    expect(layoutServiceMap([node("a")], [{ from: "a", to: "ghost" }]).edges).toEqual([]);
    expect(layoutServiceMap([], [])).toEqual({ width: 0, height: 0, nodes: [], edges: [] });
  });
});
