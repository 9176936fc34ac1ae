/**
 * Draws a laid-out service map (lib/core/traces/service-map-layout) and the same edges as a table. Positions,
 * paths and health come prepared; this only renders. Every node and edge links to its traces.
 */
import Link from "next/link";
import { formatNumber, formatRate } from "@/lib/core/format";
import { ratio } from "@/lib/core/units";
import {
  failureRate,
  healthOf,
  perMinute,
  typeLabel,
  type Health,
  type ServiceEdge,
  type ServiceGraph,
  type ServiceNode,
} from "@/lib/core/traces/service-graph";
import { NODE_HEIGHT, NODE_WIDTH, type ServiceMapLayout } from "@/lib/core/traces/service-map-layout";

const FILL: Record<Health, string> = {
  ok: "fill-emerald-50 stroke-emerald-500 dark:fill-emerald-950",
  degraded: "fill-amber-50 stroke-amber-500 dark:fill-amber-950",
  failing: "fill-red-50 stroke-red-600 dark:fill-red-950",
  idle: "fill-zinc-50 stroke-zinc-400 dark:fill-zinc-900",
};
const STROKE: Record<Health, string> = {
  ok: "stroke-zinc-400",
  degraded: "stroke-amber-500",
  failing: "stroke-red-600",
  idle: "stroke-zinc-300",
};

const th =
  "px-3 py-1.5 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
const td = "px-3 py-1.5";

const rateText = (s: { requests: number; errors: number; faults: number }) => {
  const r = failureRate(s);
  return r === null ? "–" : formatRate(ratio(r));
};
const msText = (v: number | null) => (v === null ? "–" : `${formatNumber(Math.round(v))} ms`);

export interface ServiceMapViewProps {
  graph: ServiceGraph;
  layout: ServiceMapLayout;
  windowMs: number;
  edgeHref: (edge: ServiceEdge) => string;
  /** null: the node has no traces of its own to list (a client). */
  nodeHref: (node: ServiceNode) => string | null;
}

export function ServiceMapView({ graph, layout, windowMs, edgeHref, nodeHref }: ServiceMapViewProps) {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const edgeStats = new Map(graph.edges.map((e) => [`${e.from}>${e.to}`, e]));
  const edgeName = (e: ServiceEdge) =>
    `${nodes.get(e.from)?.name ?? e.from}→${nodes.get(e.to)?.name ?? e.to}`;

  return (
    <div className="space-y-4">
      <div className="overflow-auto">
        <svg
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="img"
          aria-label="Service map: services and the calls between them"
          data-testid="service-map-svg"
          className="text-xs"
        >
          <defs>
            <marker
              id="arrow"
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="6"
              markerHeight="6"
              orient="auto"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" className="fill-zinc-400" />
            </marker>
          </defs>
          {layout.edges.map((p) => {
            const e = edgeStats.get(`${p.from}>${p.to}`);
            if (!e) return null;
            return (
              <a
                key={`${p.from}>${p.to}`}
                href={edgeHref(e)}
                data-testid="map-edge-link"
                data-edge={edgeName(e)}
              >
                <title>{`${edgeName(e)}: ${formatNumber(e.requests)} requests, ${rateText(e)} failed`}</title>
                <path
                  d={p.path}
                  fill="none"
                  strokeWidth={2}
                  markerEnd="url(#arrow)"
                  className={STROKE[healthOf(e)]}
                />
                <text
                  x={p.labelX}
                  y={p.labelY - 4}
                  textAnchor="middle"
                  className="fill-zinc-600 dark:fill-zinc-300"
                >
                  {`${perMinute(e.requests, windowMs).toFixed(1)}/min · ${rateText(e)}`}
                </text>
              </a>
            );
          })}
          {layout.nodes.map((p) => {
            const n = nodes.get(p.id);
            if (!n) return null;
            const href = nodeHref(n);
            const box = (
              <g data-testid="map-node" data-node={p.id} data-health={healthOf(n)}>
                <title>{`${n.name} (${n.type}): ${formatNumber(n.requests)} requests, ${rateText(n)} failed`}</title>
                <rect
                  x={p.x}
                  y={p.y}
                  width={NODE_WIDTH}
                  height={NODE_HEIGHT}
                  rx={6}
                  strokeWidth={1.5}
                  className={FILL[healthOf(n)]}
                />
                <text x={p.x + 8} y={p.y + 18} className="fill-zinc-900 font-medium dark:fill-zinc-100">
                  {n.name.length > 24 ? `${n.name.slice(0, 23)}…` : n.name}
                </text>
                <text x={p.x + 8} y={p.y + 34} className="fill-zinc-500">
                  {n.requests > 0
                    ? `${typeLabel(n.type)} · ${rateText(n)} · ${msText(n.avgResponseMs)}`
                    : typeLabel(n.type)}
                </text>
              </g>
            );
            return href ? (
              <a key={p.id} href={href}>
                {box}
              </a>
            ) : (
              <g key={p.id}>{box}</g>
            );
          })}
        </svg>
      </div>

      <table className="w-full text-sm" aria-label="Edges of the service map">
        <thead>
          <tr>
            <th className={th}>From</th>
            <th className={th}>To</th>
            <th className={th}>Requests/min</th>
            <th className={th}>Failed</th>
            <th className={th}>Errors (4xx)</th>
            <th className={th}>Throttles</th>
            <th className={th}>Faults (5xx)</th>
            <th className={th}>Avg response</th>
            <th className={th}>Traces</th>
          </tr>
        </thead>
        <tbody>
          {graph.edges.map((e) => {
            const from = nodes.get(e.from);
            const to = nodes.get(e.to);
            return (
              <tr
                key={`${e.from}>${e.to}`}
                data-testid="map-edge"
                data-edge={edgeName(e)}
                data-health={healthOf(e)}
                className="border-t border-zinc-100 dark:border-zinc-800"
              >
                <td className={td}>
                  <span className="font-mono">{from?.name ?? e.from}</span>{" "}
                  <span className="text-xs text-zinc-500">{from ? typeLabel(from.type) : ""}</span>
                </td>
                <td className={td}>
                  <span className="font-mono">{to?.name ?? e.to}</span>{" "}
                  <span className="text-xs text-zinc-500">{to ? typeLabel(to.type) : ""}</span>
                </td>
                <td className={td}>{perMinute(e.requests, windowMs).toFixed(1)}</td>
                <td className={td} data-testid="map-edge-failed">
                  {rateText(e)}
                </td>
                <td className={td}>{formatNumber(e.errors - e.throttles)}</td>
                <td className={td}>{formatNumber(e.throttles)}</td>
                <td className={td}>{formatNumber(e.faults)}</td>
                <td className={td}>{msText(e.avgResponseMs)}</td>
                <td className={td}>
                  <Link
                    href={edgeHref(e)}
                    className="text-sky-700 underline dark:text-sky-400"
                    data-testid="map-edge-traces"
                  >
                    traces
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
