/**
 * URL state of the trace pages, parsed in one place. `/traces?region=us-east-1&fn=orders-api&faults=1&slower=1.5
 * &ann=version:8&next=<token>` lists traces of the shell's selected accounts (`accounts=`, ./shell.ts) in one
 * region; `account=<id>` narrows the list to one account (X-Ray pages per account, so `next` goes with it);
 * `/traces/<traceId>?account=<id>&region=` opens one (absent account: the default one); `/traces?id=<trace or
 * request id>&account=<id>` jumps to it. From the service map, `edgeFrom=<node id>&edgeTo=<node id>` lists the
 * traces of one edge and `node=<node id>` those through one service (node ids are `<type>|<name>`,
 * lib/core/traces/service-graph), in the map's account (`account=`).
 * Shell state (accounts, regions, range) is carried by ./shell.ts. A bad `region`, `account` or `slower`, or an
 * annotation that is not `key:value`, is ignored and said (`problems`) next to its field.
 */
import { z } from "zod";
import type { TraceFilter } from "@/lib/core/query/xray-filter";
import { nodeId, parseNodeId, type ServiceRef } from "@/lib/core/traces/service-graph";
import { withAccount } from "./function-href";
import { param, type UrlInput, type UrlProblems } from "./params";

/** An account's region: where one trace list, trace or map lives. */
export interface AccountRegion {
  account: string;
  region: string;
}

export interface TraceListParams {
  region: string;
  /** One account (of `known`) the list is narrowed to; undefined: the shell's selected accounts. */
  account: string | undefined;
  fn: string | undefined;
  filter: Omit<TraceFilter, "service">;
  /** The raw filter inputs, to refill the form. */
  form: { errors: boolean; faults: boolean; throttles: boolean; cold: boolean; slower: string; ann: string };
  next: string | undefined;
  problems: UrlProblems<"region" | "account" | "slower" | "ann">;
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

/** `known`: the ids of the accounts the console reads; an `account` not among them is ignored and said. */
export function loadTraceListParams(
  sp: UrlInput,
  regions: readonly string[],
  known: readonly string[] = [],
): TraceListParams {
  const get = (key: string) => param(sp, key);
  const asked = get("region");
  const region = asked !== undefined && regions.includes(asked) ? asked : (regions[0] ?? "us-east-1");
  const askedAccount = get("account")?.trim() || undefined;
  const account = askedAccount !== undefined && known.includes(askedAccount) ? askedAccount : undefined;
  const fn = get("fn")?.trim() || undefined;
  const form = {
    errors: flag(get("errors")),
    faults: flag(get("faults")),
    throttles: flag(get("throttles")),
    cold: flag(get("cold")),
    slower: get("slower")?.trim() ?? "",
    ann: get("ann")?.trim() ?? "",
  };
  const slower = form.slower === "" ? undefined : seconds.safeParse(form.slower);
  const annotations = form.ann === "" ? undefined : parseAnnotation(form.ann);
  const node = parseNodeId(get("node") ?? "");
  const edgeFrom = parseNodeId(get("edgeFrom") ?? "");
  const edgeTo = parseNodeId(get("edgeTo") ?? "");
  const problems: TraceListParams["problems"] = {};
  if (asked !== undefined && asked !== region)
    problems.region = `Region "${asked.slice(0, 40)}" is not configured: showing ${region}.`;
  if (askedAccount !== undefined && account === undefined)
    problems.account =
      `Account "${askedAccount.slice(0, 40)}" is not one Fleetscope reads: ` +
      "listing the selected accounts.";
  if (slower && !slower.success) problems.slower = "Slower than: a number of seconds up to 900.";
  if (form.ann !== "" && !annotations) problems.ann = "Annotation: write key:value, e.g. version:8.";
  return {
    region,
    account,
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
    next: get("next") || undefined,
    problems,
  };
}

/** One trace's page: `/traces/<id>?account=<id>&region=<region>`. */
export const traceHref = (traceId: string, where: AccountRegion) =>
  withAccount(
    `/traces/${encodeURIComponent(traceId)}`,
    where.account,
    new URLSearchParams({ region: where.region }).toString(),
  );

/**
 * The next page of one account's list: narrowed to that account (`account=`), its NextToken, the rest of `current`
 * (filters, shell) kept.
 */
export function olderTracesHref(current: URLSearchParams, account: string, nextToken: string): string {
  const q = new URLSearchParams(current);
  q.delete("id");
  q.set("account", account);
  q.set("next", nextToken);
  return `/traces?${q}`;
}

/** The URL keys that carry a service map selection, kept when the filter form is applied. */
export const MAP_FILTER_KEYS = ["node", "edgeFrom", "edgeTo"] as const;

/**
 * The traces of one service map edge in the map's account and region; `range` is the shell's query
 * (`?range=3h` …).
 */
export function edgeTracesHref(
  from: ServiceRef,
  to: ServiceRef,
  where: AccountRegion,
  range: URLSearchParams,
): string {
  const q = new URLSearchParams(range);
  q.set("account", where.account);
  q.set("region", where.region);
  q.set("edgeFrom", nodeId(from));
  q.set("edgeTo", nodeId(to));
  return `/traces?${q}`;
}

/** The traces through one service map node. */
export function nodeTracesHref(node: ServiceRef, where: AccountRegion, range: URLSearchParams): string {
  const q = new URLSearchParams(range);
  q.set("account", where.account);
  q.set("region", where.region);
  q.set("node", nodeId(node));
  return `/traces?${q}`;
}
