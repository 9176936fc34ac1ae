/**
 * ListMetrics over the region's AWS/Lambda series.
 *
 * Invariants:
 * - RecentlyActive=PT3H lists exactly the series with a datapoint in the last 3 hours, read from the simulator.
 * - Without it CloudWatch lists what reported in the last two weeks; simulating two weeks per call would be too
 *   slow, so the sandbox derives that list from the fleet model (functions with traffic, the alias they are
 *   invoked through and every version that alias routed to in the window, provisioned qualifiers, and the
 *   trigger metrics those functions publish: source-metrics.ts).
 * - Dimension filters match metrics that carry the dimension (and value, if given); output is sorted by metric
 *   name then dimensions (then owning account), 500 per page.
 * - Cross-account (OAM): IncludeLinkedAccounts=true also lists the linked source accounts' series in a monitoring
 *   account (elsewhere only the caller's own), with `OwningAccounts` parallel to `Metrics`; OwningAccount keeps one
 *   account's (AWS documents it only together with IncludeLinkedAccounts=true: without it, the sandbox refuses it).
 */
import { createHash } from "node:crypto";
import type { z } from "zod";
import type { RegionState, SimFunction } from "../fleet/model";
import type { Simulator } from "../sim/types";
import { LAMBDA_NAMESPACE, executedKey, provisionedResource, type Dimension } from "./lambda-metrics";
import { MetricStore } from "./metric-store";
import type { ListMetricsSchema } from "./schemas";
import { reportingMapping, sourceMetricsOf } from "./source-metrics";
import { CloudWatchError, decodeToken, encodeToken } from "./wire";

/** One account whose series may be listed: its id, simulator and state in the request's region. */
export interface ListedAccount {
  accountId: string;
  sim: Simulator;
  region: RegionState | undefined;
}

const PAGE_SIZE = 500;
const DAY = 86_400_000;
const FUNCTION_METRICS = ["Invocations", "Errors", "Duration", "Throttles", "ConcurrentExecutions"];
const QUALIFIED_METRICS = ["Invocations", "Errors", "Duration"];
const PROVISIONED_METRICS = [
  "ProvisionedConcurrentExecutions",
  "ProvisionedConcurrencyUtilization",
  "ProvisionedConcurrencySpilloverInvocations",
];
const REGION_METRICS = [...FUNCTION_METRICS, "UnreservedConcurrentExecutions", "ClaimedAccountConcurrency"];

export interface MetricJson {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
}

type Input = z.infer<typeof ListMetricsSchema>;

export function listMetrics(
  input: Input,
  env: {
    sim: Simulator;
    region: RegionState | undefined;
    nowMs: number;
    /** The caller's account id; with `linked`, what OwningAccounts says for its own series. */
    accountId?: string;
    /** The linked source accounts the caller may list (OAM monitoring account), in order. */
    linked?: ListedAccount[];
  },
): { Metrics: MetricJson[]; NextToken?: string; OwningAccounts?: string[] } {
  if (input.OwningAccount !== undefined && input.IncludeLinkedAccounts !== true) {
    throw new CloudWatchError(
      "InvalidParameterCombinationException",
      `OwningAccount (${input.OwningAccount}) is only valid with IncludeLinkedAccounts set to true.`,
    );
  }
  const hash = createHash("sha256")
    .update(JSON.stringify({ ...input, NextToken: undefined }))
    .digest("base64url")
    .slice(0, 16);
  let offset = 0;
  if (input.NextToken !== undefined) {
    const t = decodeToken(input.NextToken) as { h?: unknown; o?: unknown } | null;
    if (!t || t.h !== hash || typeof t.o !== "number" || !Number.isInteger(t.o) || t.o < 0) {
      throw new CloudWatchError("InvalidNextToken", "The service couldn't process the provided NextToken.");
    }
    offset = t.o;
  }
  const withOwners = input.IncludeLinkedAccounts === true;
  const self: ListedAccount = { accountId: env.accountId ?? "", sim: env.sim, region: env.region };
  const accounts = (withOwners ? [self, ...(env.linked ?? [])] : [self]).filter(
    (a) => input.OwningAccount === undefined || a.accountId === input.OwningAccount,
  );
  const owned: { m: MetricJson; owner: string }[] = [];
  if (input.Namespace === undefined || input.Namespace === LAMBDA_NAMESPACE) {
    for (const a of accounts) {
      if (!a.region) continue;
      const all = input.RecentlyActive
        ? activeSeries(a.region, a.sim, env.nowMs)
        : modelSeries(a.region, env.nowMs);
      for (const m of all) if (matches(m, input)) owned.push({ m, owner: a.accountId });
    }
  }
  owned.sort((a, b) => compareMetrics(a.m, b.m) || a.owner.localeCompare(b.owner));
  const pageItems = owned.slice(offset, offset + PAGE_SIZE);
  const next =
    offset + PAGE_SIZE < owned.length ? encodeToken({ h: hash, o: offset + PAGE_SIZE }) : undefined;
  return {
    Metrics: pageItems.map((x) => x.m),
    ...(next ? { NextToken: next } : {}),
    ...(withOwners ? { OwningAccounts: pageItems.map((x) => x.owner) } : {}),
  };
}

const matches = (m: MetricJson, input: Input): boolean =>
  (input.MetricName === undefined || m.MetricName === input.MetricName) &&
  (input.Dimensions ?? []).every((f) =>
    m.Dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)),
  );

const dimsKey = (m: MetricJson) => m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(",");

function compareMetrics(a: MetricJson, b: MetricJson): number {
  return a.MetricName.localeCompare(b.MetricName) || dimsKey(a).localeCompare(dimsKey(b));
}

const metric = (MetricName: string, Dimensions: Dimension[]): MetricJson => ({
  Namespace: LAMBDA_NAMESPACE,
  MetricName,
  Dimensions,
});

const fnDims = (name: string): Dimension[] => [{ Name: "FunctionName", Value: name }];
const resDims = (name: string, resource: string): Dimension[] => [
  ...fnDims(name),
  { Name: "Resource", Value: resource },
];
const execDims = (name: string, resource: string, version: string): Dimension[] => [
  ...resDims(name, resource),
  { Name: "ExecutedVersion", Value: version },
];

/** Series derived from the model: what would have reported during the last 14 days. */
function modelSeries(region: RegionState, nowMs: number): MetricJson[] {
  const out: MetricJson[] = [];
  const since = nowMs - 14 * DAY;
  let any = false;
  const regionSources = new Set<string>();
  for (const fn of region.functions.values()) {
    if (fn.createdMs >= nowMs || fn.traffic.peakPerMinute <= 0) continue;
    any = true;
    for (const m of FUNCTION_METRICS) out.push(metric(m, fnDims(fn.name)));
    const alias = fn.traffic.viaAlias ? fn.aliases.find((a) => a.name === fn.traffic.viaAlias) : undefined;
    const executed: string[] = [];
    if (alias) {
      const resource = `${fn.name}:${alias.name}`;
      for (const m of QUALIFIED_METRICS) out.push(metric(m, resDims(fn.name, resource)));
      for (const v of versionsRoutedSince(alias.history, since)) {
        for (const m of QUALIFIED_METRICS) out.push(metric(m, execDims(fn.name, resource, v)));
        executed.push(executedKey(resource, v));
      }
    }
    out.push(...provisionedSeries(fn));
    const resources = alias ? [`${fn.name}:${alias.name}`] : [];
    out.push(...sourceSeries(fn, resources, executed, regionSources));
  }
  if (any) for (const m of REGION_METRICS) out.push(metric(m, []));
  for (const m of regionSources) out.push(metric(m, []));
  // Lambda@Edge replicas (fleet/edge.ts): their function-level series only, in the region where they ran.
  for (const r of region.replicas?.values() ?? [])
    if (r.createdMs < nowMs && r.traffic.peakPerMinute > 0)
      for (const m of FUNCTION_METRICS) out.push(metric(m, fnDims(r.name)));
  return out;
}

function versionsRoutedSince(history: SimFunction["aliases"][number]["history"], since: number): Set<string> {
  const out = new Set<string>();
  history.forEach((h, i) => {
    const until = history[i + 1]?.fromMs ?? Infinity;
    if (until <= since) return;
    out.add(h.functionVersion);
    if (h.additional && h.additional.weight > 0) out.add(h.additional.version);
  });
  return out;
}

function provisionedSeries(fn: SimFunction): MetricJson[] {
  if (fn.provisioned.length === 0) return [];
  const out = PROVISIONED_METRICS.map((m) => metric(m, fnDims(fn.name)));
  const resource = provisionedResource(fn);
  if (resource) for (const m of PROVISIONED_METRICS) out.push(metric(m, resDims(fn.name, resource)));
  return out;
}

/**
 * The trigger series of an invoked function (source-metrics.ts): its source metrics under FunctionName and each
 * Resource (IteratorAge also per executed version), its reporting mapping's metrics under EventSourceMappingUUID.
 * Adds the names it lists to `regionNames`, the region-level series that exist.
 */
function sourceSeries(
  fn: SimFunction,
  resources: Iterable<string>,
  executed: Iterable<string>,
  regionNames: Set<string>,
): MetricJson[] {
  const out: MetricJson[] = [];
  for (const m of sourceMetricsOf(fn)) {
    regionNames.add(m);
    out.push(metric(m, fnDims(fn.name)));
    for (const r of resources) out.push(metric(m, resDims(fn.name, r)));
    if (m !== "IteratorAge") continue;
    for (const k of executed) {
      const [r, v] = k.split("\n") as [string, string];
      out.push(metric(m, execDims(fn.name, r, v)));
    }
  }
  const reporting = reportingMapping(fn);
  if (!reporting) return out;
  const uuid: Dimension[] = [{ Name: "EventSourceMappingUUID", Value: reporting.mapping.uuid }];
  for (const m of reporting.metrics) out.push(metric(m, uuid));
  return out;
}

/** Series with at least one datapoint in the last three hours, read from the simulated minutes. */
function activeSeries(region: RegionState, sim: Simulator, nowMs: number): MetricJson[] {
  const from = Math.floor((nowMs - 3 * 3_600_000) / 60_000) * 60_000;
  const store = new MetricStore(sim, region, from, nowMs, nowMs);
  const out: MetricJson[] = [];
  let any = false;
  const regionSources = new Set<string>();
  for (const fn of region.functions.values()) {
    const resources = new Set<string>();
    const executed = new Set<string>();
    let invoked = false;
    let ran = false;
    let provisioned = false;
    for (const fm of store.minutesOf(fn)) {
      if (fm.all.invocations === 0 && fm.throttles === 0) continue;
      invoked = true;
      if (fm.all.invocations > 0) ran = true;
      if (fm.provisionedConcurrency > 0 && fm.all.invocations > 0) provisioned = true;
      for (const r of fm.byResource.keys()) resources.add(r);
      for (const k of fm.byExecuted.keys()) executed.add(k);
    }
    if (!invoked) continue;
    any = true;
    for (const m of FUNCTION_METRICS) out.push(metric(m, fnDims(fn.name)));
    for (const r of resources) for (const m of QUALIFIED_METRICS) out.push(metric(m, resDims(fn.name, r)));
    for (const k of executed) {
      const [r, v] = k.split("\n") as [string, string];
      for (const m of QUALIFIED_METRICS) out.push(metric(m, execDims(fn.name, r, v)));
    }
    if (provisioned) out.push(...provisionedSeries(fn));
    if (ran) out.push(...sourceSeries(fn, resources, executed, regionSources));
  }
  if (any) for (const m of REGION_METRICS) out.push(metric(m, []));
  for (const m of regionSources) out.push(metric(m, []));
  // Lambda@Edge replicas (fleet/edge.ts): function-level series, when they ran in the last three hours.
  for (const r of region.replicas?.values() ?? [])
    if (store.minutesOf(r).some((fm) => fm.all.invocations > 0))
      for (const m of FUNCTION_METRICS) out.push(metric(m, fnDims(r.name)));
  return out;
}
