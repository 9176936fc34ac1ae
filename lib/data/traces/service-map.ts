/**
 * The service map of one region over one window: X-Ray's service graph (every page of one GetServiceGraph),
 * optionally narrowed to one function's neighbourhood, laid out for drawing.
 *
 * Cost: one GetServiceGraph per NextToken page. A window over 24 hours is refused by the port, not split (see
 * MAX_SERVICE_GRAPH_RANGE_MS); the end is capped at now, as X-Ray has nothing later.
 */
import "server-only";
import { neighbourhood, type ServiceGraph } from "@/lib/core/traces/service-graph";
import { layoutServiceMap, type ServiceMapLayout } from "@/lib/core/traces/service-map-layout";
import { epochMs, type EpochMs } from "@/lib/core/units";
import { parseFunctionName, parseRegion } from "../validate";
import { defaultTraceDeps, type TraceDeps } from "./deps";
import { createMeter, type RequestCost } from "./meter";

export interface ServiceMapQuery {
  region: string;
  from: number;
  to: number;
  /** Only this function's nodes and the nodes one edge away. */
  functionName?: string;
  signal?: AbortSignal;
}

export interface ServiceMap {
  region: string;
  functionName: string | null;
  from: EpochMs;
  to: EpochMs;
  graph: ServiceGraph;
  layout: ServiceMapLayout;
  cost: RequestCost;
}

export async function getServiceMap(
  q: ServiceMapQuery,
  deps: TraceDeps = defaultTraceDeps(),
): Promise<ServiceMap> {
  const region = parseRegion(q.region);
  const functionName = q.functionName ? parseFunctionName(q.functionName) : null;
  const to = epochMs(Math.min(q.to, deps.now()));
  const from = epochMs(q.from);
  const meter = createMeter();
  const full = await deps.xray(region, meter).getServiceGraph({ from, to, signal: q.signal });
  const graph = functionName ? neighbourhood(full, functionName) : full;
  return {
    region,
    functionName,
    from,
    to,
    graph,
    layout: layoutServiceMap(graph.nodes, graph.edges),
    cost: meter.cost(),
  };
}
