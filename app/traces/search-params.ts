/**
 * URL state of the trace pages, parsed in one place. `/traces?region=us-east-1&fn=orders-api&faults=1&slower=1.5
 * &ann=version:8&next=<token>` lists traces; `/traces/<traceId>?region=` opens one; `/traces?id=<trace or request
 * id>` jumps to it. From the service map, `edgeFrom=<node id>&edgeTo=<node id>` lists the traces of one edge and
 * `node=<node id>` those through one service (node ids are `<type>|<name>`, lib/core/traces/service-graph).
 * Shell state (regions, range) is carried by app/search-params.ts.
 */
import { z } from "zod";
import { first, type SearchParams } from "@/app/search-params";
import type { TraceFilter } from "@/lib/core/query/xray-filter";
import { nodeId, parseNodeId, type ServiceRef } from "@/lib/core/traces/service-graph";

export interface TraceListParams {
  region: string;
  fn: string | undefined;
  filter: Omit<TraceFilter, "service">;
  /** The raw filter inputs, to refill the form. */
  form: { errors: boolean; faults: boolean; throttles: boolean; cold: boolean; slower: string; ann: string };
  next: string | undefined;
}

const flag = (v: string | undefined) => v === "1" || v === "on" || v === "true";
const seconds = z.coerce.number().finite().nonnegative().max(900);

/** `key:value` (or `key=value`); a value of true/false or a number is typed as X-Ray types it. */
export function parseAnnotation(raw: string): Record<string, string | number | boolean> | undefined {
  const m = /^\s*([^:=]+?)\s*[:=]\s*(.*?)\s*$/.exec(raw);
  if (!m?.[1] || m[2] === undefined || m[2] === "") return undefined;
  const v = m[2];
  const typed = v === "true" ? true : v === "false" ? false : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  return { [m[1]]: typed };
}

export function parseTraceListParams(sp: SearchParams, regions: readonly string[]): TraceListParams {
  const asked = first(sp.region);
  const region = asked !== undefined && regions.includes(asked) ? asked : (regions[0] ?? "us-east-1");
  const fn = first(sp.fn)?.trim() || undefined;
  const form = {
    errors: flag(first(sp.errors)),
    faults: flag(first(sp.faults)),
    throttles: flag(first(sp.throttles)),
    cold: flag(first(sp.cold)),
    slower: first(sp.slower)?.trim() ?? "",
    ann: first(sp.ann)?.trim() ?? "",
  };
  const slower = form.slower === "" ? undefined : seconds.safeParse(form.slower);
  const annotations = form.ann === "" ? undefined : parseAnnotation(form.ann);
  const node = parseNodeId(first(sp.node) ?? "");
  const edgeFrom = parseNodeId(first(sp.edgeFrom) ?? "");
  const edgeTo = parseNodeId(first(sp.edgeTo) ?? "");
  return {
    region,
    fn,
    form,
    filter: {
      ...(form.errors ? { errors: true } : {}),
      ...(form.faults ? { faults: true } : {}),
      ...(form.throttles ? { throttles: true } : {}),
      ...(form.cold ? { coldStart: true } : {}),
      ...(slower?.success ? { minDurationS: slower.data } : {}),
      ...(annotations ? { annotations } : {}),
      // Names are quoted (or refused) by lib/core/query/xray-filter when the expression is built.
      ...(node ? { node } : {}),
      ...(edgeFrom && edgeTo ? { edge: { from: edgeFrom, to: edgeTo } } : {}),
    },
    next: first(sp.next) || undefined,
  };
}

export const traceHref = (traceId: string, region: string) =>
  `/traces/${encodeURIComponent(traceId)}?region=${encodeURIComponent(region)}`;

/** The URL keys that carry a service map selection, kept when the filter form is applied. */
export const MAP_FILTER_KEYS = ["node", "edgeFrom", "edgeTo"] as const;

/** The traces of one service map edge in `region`; `range` is the shell's range query (`?range=3h` …). */
export function edgeTracesHref(
  from: ServiceRef,
  to: ServiceRef,
  region: string,
  range: URLSearchParams,
): string {
  const q = new URLSearchParams(range);
  q.set("region", region);
  q.set("edgeFrom", nodeId(from));
  q.set("edgeTo", nodeId(to));
  return `/traces?${q}`;
}

/** The traces through one service map node. */
export function nodeTracesHref(node: ServiceRef, region: string, range: URLSearchParams): string {
  const q = new URLSearchParams(range);
  q.set("region", region);
  q.set("node", nodeId(node));
  return `/traces?${q}`;
}
