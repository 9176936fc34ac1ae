/**
 * The service map of one account's region over one window: X-Ray's service graph (every page of one GetServiceGraph),
 * optionally narrowed to one function's neighbourhood, laid out for drawing.
 *
 * Cost: one GetServiceGraph per NextToken page. A window over 24 hours is refused by the port, not split (see
 * MAX_SERVICE_GRAPH_RANGE_MS); the end is capped at now, as X-Ray has nothing later.
 *
 * Read through a monitoring account (OAM), X-Ray's graph also holds the linked source accounts' services: the map
 * says so (`linkedAccounts`) rather than pass them off as this account's alone.
 */
import "server-only";
import type { AccountId, AccountTarget } from "@/lib/core/accounts";
import { neighbourhood, type ServiceGraph } from "@/lib/core/traces/service-graph";
import { layoutServiceMap, type ServiceMapLayout } from "@/lib/core/traces/service-map-layout";
import { epochMs, type EpochMs } from "@/lib/core/units";
import { parseFunctionName, parseRegion } from "../validate";
import { defaultTraceDeps, type TraceDeps } from "./deps";
import { createMeter, type RequestCost } from "./meter";

export interface ServiceMapQuery {
  account: AccountTarget;
  region: string;
  from: number;
  to: number;
  /** Only this function's nodes and the nodes one edge away. */
  functionName?: string;
  signal?: AbortSignal;
}

export interface ServiceMap {
  account: AccountId;
  /** Read through a monitoring account: the graph also holds its linked source accounts' services. */
  linkedAccounts: boolean;
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
  const full = await deps.xray(region, meter, q.account).getServiceGraph({ from, to, signal: q.signal });
  const graph = functionName ? neighbourhood(full, functionName) : full;
  return {
    account: q.account.id,
    linkedAccounts: q.account.telemetry === "monitoring-account",
    region,
    functionName,
    from,
    to,
    graph,
    layout: layoutServiceMap(graph.nodes, graph.edges),
    cost: meter.cost(),
  };
}
