import { describe, expect, it } from "vitest";
import {
  healthOf,
  neighbourhood,
  nodeId,
  parseNodeId,
  type ServiceGraph,
  type ServiceNode,
} from "@/lib/core/traces/service-graph";

const n = (type: string, name: string): ServiceNode => ({
  id: nodeId({ type, name }),
  name,
  type,
  requests: 0,
  ok: 0,
  errors: 0,
  faults: 0,
  throttles: 0,
  avgResponseMs: null,
});
const e = (from: ServiceNode, to: ServiceNode) => ({
  from: from.id,
  to: to.id,
  requests: 1,
  errors: 0,
  faults: 0,
  throttles: 0,
  avgResponseMs: null,
});

describe("service graph", () => {
  it("round-trips a node id, whatever the name holds", () => {
    for (const name of ["orders-api", "a|b", "https://x.example/|"]) {
      expect(parseNodeId(nodeId({ type: "remote", name }))).toEqual({ type: "remote", name });
    }
    expect(parseNodeId("no-bar")).toBeNull();
    expect(parseNodeId("|name")).toBeNull();
    expect(parseNodeId("type|")).toBeNull();
  });

  it("keeps a function's two nodes and everything one edge away from either", () => {
    const client = n("client", "client");
    const svc = n("AWS::Lambda", "payments-api");
    const fn = n("AWS::Lambda::Function", "payments-api");
    const table = n("AWS::DynamoDB::Table", "payments");
    const other = n("AWS::Lambda", "orders-api");
    const otherFn = n("AWS::Lambda::Function", "orders-api");
    const graph: ServiceGraph = {
      nodes: [client, svc, fn, table, other, otherFn],
      edges: [e(client, svc), e(svc, fn), e(fn, table), e(client, other), e(other, otherFn)],
    };
    const near = neighbourhood(graph, "payments-api");
    expect(near.nodes.map((x) => x.id).sort()).toEqual([client.id, svc.id, fn.id, table.id].sort());
    expect(near.edges).toHaveLength(3);
    expect(neighbourhood(graph, "absent")).toEqual({ nodes: [], edges: [] });
  });

  it("grades health by the share of failed requests (> 1 % degraded, > 10 % failing)", () => {
    expect(healthOf({ requests: 0, errors: 0, faults: 0 })).toBe("idle");
    expect(healthOf({ requests: 100, errors: 1, faults: 0 })).toBe("ok");
    expect(healthOf({ requests: 100, errors: 1, faults: 1 })).toBe("degraded");
    expect(healthOf({ requests: 100, errors: 0, faults: 11 })).toBe("failing");
  });
});
