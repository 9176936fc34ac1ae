/**
 * The X-Ray service graph as the console uses it: services (nodes) and the calls between them (edges), with
 * request, error, fault and throttle counts and the mean response time over one window.
 *
 * Invariants:
 * - A node's id is `<type>|<name>`: stable across requests (X-Ray's ReferenceIds are not) and unique, since X-Ray
 *   keeps one node per (type, name). A Lambda function appears twice, as `AWS::Lambda` (the service) and
 *   `AWS::Lambda::Function` (the function's code), with the same name.
 * - `errors` is X-Ray's ErrorStatistics.TotalCount (4xx, throttles included); `throttles` is the 429 part of it;
 *   `faults` are 5xx. ok + errors + faults = requests.
 * - An edge's statistics are the callee's responses to that caller.
 */
import type { Ms } from "../units";

/** The type X-Ray gives the caller of an entry point it did not trace. */
export const CLIENT_TYPE = "client";

export interface ServiceRef {
  name: string;
  type: string;
}

export interface ServiceNode extends ServiceRef {
  id: string;
  requests: number;
  ok: number;
  errors: number;
  faults: number;
  throttles: number;
  /** null when the node served nothing in the window (a client). */
  avgResponseMs: Ms | null;
}

export interface ServiceEdge {
  from: string;
  to: string;
  requests: number;
  errors: number;
  faults: number;
  throttles: number;
  avgResponseMs: Ms | null;
}

export interface ServiceGraph {
  nodes: ServiceNode[];
  edges: ServiceEdge[];
}

export const nodeId = (ref: ServiceRef): string => `${ref.type}|${ref.name}`;

/** The inverse of nodeId; null for text that is not one. Types never contain `|`, names may. */
export function parseNodeId(id: string): ServiceRef | null {
  const bar = id.indexOf("|");
  if (bar <= 0 || bar === id.length - 1) return null;
  return { type: id.slice(0, bar), name: id.slice(bar + 1) };
}

/** The nodes named `name` (a function is two nodes) and every node one edge away from them, with those edges. */
export function neighbourhood(graph: ServiceGraph, name: string): ServiceGraph {
  const centre = new Set(graph.nodes.filter((n) => n.name === name).map((n) => n.id));
  const edges = graph.edges.filter((e) => centre.has(e.from) || centre.has(e.to));
  const keep = new Set([...centre, ...edges.flatMap((e) => [e.from, e.to])]);
  return { nodes: graph.nodes.filter((n) => keep.has(n.id)), edges };
}

/** Share of requests that failed (4xx or 5xx); null with no requests. */
export const failureRate = (s: { requests: number; errors: number; faults: number }): number | null =>
  s.requests > 0 ? (s.errors + s.faults) / s.requests : null;

export type Health = "ok" | "degraded" | "failing" | "idle";

/** Thresholds of the Advisor's error rule (DESIGN.md, Flags: > 1 % warn, > 10 % critical). */
export function healthOf(s: { requests: number; errors: number; faults: number }): Health {
  const rate = failureRate(s);
  if (rate === null) return "idle";
  if (rate > 0.1) return "failing";
  if (rate > 0.01) return "degraded";
  return "ok";
}

/** Requests per minute over a window of `windowMs`; 0 for an empty window. */
export const perMinute = (requests: number, windowMs: number): number =>
  windowMs > 0 ? requests / (windowMs / 60_000) : 0;

/** A short label for a node's type: `AWS::Lambda::Function` → `Function`, `AWS::DynamoDB::Table` → `DynamoDB`. */
export function typeLabel(type: string): string {
  if (type === "AWS::Lambda") return "Lambda";
  if (type === "AWS::Lambda::Function") return "Function";
  const parts = type.split("::");
  return parts[0] === "AWS" && parts[1] ? parts[1] : type;
}
