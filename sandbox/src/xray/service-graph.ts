/**
 * GetServiceGraph / GetTraceGraph: services and edges aggregated over traces.
 *
 * Invariants:
 * - One node per (type, name); ReferenceIds are assigned in first-seen order, so a graph is deterministic for
 *   a deterministic trace order.
 * - For every node and edge: OkCount + ErrorStatistics.TotalCount + FaultStatistics.TotalCount = TotalCount
 *   (a fault counts as a fault even if also flagged error; a throttle is an error with ThrottleCount).
 * - Edges run client → Lambda → function → downstream; an edge's statistics are the callee's responses.
 * - Histogram values are seconds rounded to the millisecond.
 */
import type { NodeFacts } from "./facts";
import type { StoredTrace } from "./trace";

interface Stats {
  ok: number;
  throttle: number;
  otherError: number;
  fault: number;
  total: number;
  totalResponseTime: number;
  histogram: Map<number, number>;
}

interface NodeAgg {
  ref: number;
  name: string | null;
  type: string;
  accountId?: string;
  root: boolean;
  start: number;
  end: number;
  stats: Stats | null;
  edges: Map<string, { to: NodeAgg; start: number; end: number; stats: Stats }>;
}

const newStats = (): Stats => ({
  ok: 0,
  throttle: 0,
  otherError: 0,
  fault: 0,
  total: 0,
  totalResponseTime: 0,
  histogram: new Map(),
});

function count(stats: Stats, n: NodeFacts): void {
  const rt = Math.round((n.end - n.start) * 1000) / 1000;
  if (n.fault) stats.fault++;
  else if (n.throttle) stats.throttle++;
  else if (n.error) stats.otherError++;
  else stats.ok++;
  stats.total++;
  stats.totalResponseTime += n.end - n.start;
  stats.histogram.set(rt, (stats.histogram.get(rt) ?? 0) + 1);
}

const summary = (s: Stats) => ({
  OkCount: s.ok,
  ErrorStatistics: {
    ThrottleCount: s.throttle,
    OtherCount: s.otherError,
    TotalCount: s.throttle + s.otherError,
  },
  FaultStatistics: { OtherCount: s.fault, TotalCount: s.fault },
  TotalCount: s.total,
  TotalResponseTime: Math.round(s.totalResponseTime * 1_000_000) / 1_000_000,
});

const histogram = (s: Stats) =>
  [...s.histogram.entries()].sort(([a], [b]) => a - b).map(([Value, Count]) => ({ Value, Count }));

export class ServiceGraphBuilder {
  private readonly nodes = new Map<string, NodeAgg>();

  private node(key: string, init: () => Omit<NodeAgg, "ref" | "edges">): NodeAgg {
    let n = this.nodes.get(key);
    if (!n) {
      n = { ...init(), ref: this.nodes.size, edges: new Map() };
      this.nodes.set(key, n);
    }
    return n;
  }

  private serviceNode(f: NodeFacts): NodeAgg {
    const n = this.node(`${f.type}\u0000${f.name}`, () => ({
      name: f.name,
      type: f.type,
      ...(f.accountId ? { accountId: f.accountId } : {}),
      root: f.type === "AWS::Lambda",
      start: f.start,
      end: f.end,
      stats: newStats(),
    }));
    n.start = Math.min(n.start, f.start);
    n.end = Math.max(n.end, f.end);
    return n;
  }

  add(trace: StoredTrace): void {
    const { facts } = trace;
    for (const f of facts.nodes) count(this.serviceNode(f).stats as Stats, f);
    for (const e of facts.edges) {
      const from = e.from
        ? this.serviceNode(e.from)
        : this.node("client", () => ({
            name: null,
            type: "client",
            root: true,
            start: e.to.start,
            end: e.to.end,
            stats: null,
          }));
      if (!e.from) {
        from.start = Math.min(from.start, e.to.start);
        from.end = Math.max(from.end, e.to.end);
      }
      const to = this.serviceNode(e.to);
      const key = `${to.type}\u0000${to.name}`;
      let edge = from.edges.get(key);
      if (!edge) {
        edge = { to, start: e.to.start, end: e.to.end, stats: newStats() };
        from.edges.set(key, edge);
      }
      edge.start = Math.min(edge.start, e.to.start);
      edge.end = Math.max(edge.end, e.to.end);
      count(edge.stats, e.to);
    }
  }

  /** The `Services` list of GetServiceGraph / GetTraceGraph. */
  services() {
    return [...this.nodes.values()].map((n) => ({
      ReferenceId: n.ref,
      ...(n.name !== null ? { Name: n.name, Names: [n.name] } : { Names: [] }),
      Root: n.root,
      ...(n.accountId ? { AccountId: n.accountId } : {}),
      Type: n.type,
      State: "active",
      StartTime: n.start,
      EndTime: n.end,
      Edges: [...n.edges.values()].map((e) => ({
        ReferenceId: e.to.ref,
        StartTime: e.start,
        EndTime: e.end,
        SummaryStatistics: summary(e.stats),
        ResponseTimeHistogram: histogram(e.stats),
        Aliases: [],
      })),
      ...(n.stats
        ? {
            SummaryStatistics: summary(n.stats),
            DurationHistogram: histogram(n.stats),
            ResponseTimeHistogram: histogram(n.stats),
          }
        : {}),
    }));
  }
}
