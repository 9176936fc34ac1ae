/**
 * A Lambda@Edge function across the regions where CloudFront ran its replicas: per region, the replicas'
 * invocations and errors over the page's range and their latest log lines, with the Edge limits checked
 * against the function's configuration.
 *
 * Invariants:
 * - A function is an Edge function when its resource policy says so (lib/core/edge/recognise.ts); the policy
 *   comes from the triggers reading the page already makes, so a non-Edge function costs this panel nothing.
 * - Per searched region: one GetMetricData (Invocations and Errors, Sum, one period spanning the window) and
 *   one FilterLogEvents on the replica log group (the last LOG_WINDOW_MS of the window, one page). Each region,
 *   and each of its two reads, settles on its own: one region failing never hides another.
 * - A missing log group is not a failure: no replica has run (and logged) there. CloudWatch omits empty
 *   periods, so no Invocations datapoint is 0 invocations; a failed read is a failure, never 0.
 * - The window is whole minutes (end floored to the minute) so readings are cached per function, window and
 *   regions like lib/data/triggers.ts; a reading with a failed part is not kept, so the next view asks again.
 */
import "server-only";
import { cloudWatchFor, type CloudWatchPort } from "@/lib/aws/cloudwatch";
import { logEventsFor, type LogEventsPort } from "@/lib/aws/logs-events";
import { env } from "@/lib/config/env";
import { checkEdgeConfig, type EdgeConfig, type EdgeFinding } from "@/lib/core/edge/limits";
import { recogniseEdge, replicaFunctionName, replicaLogGroup } from "@/lib/core/edge/recognise";
import { edgeSearchRegions } from "@/lib/core/edge/regions";
import { isFleetscopeError, toOutcomeError, type Outcome } from "@/lib/core/errors";
import type { TimeWindow } from "@/lib/core/time/range";
import type { PushSource } from "@/lib/core/triggers/types";
import { epochMs, seconds, type EpochMs } from "@/lib/core/units";
import { cacheKey, createCache, type Cache } from "./cache";
import type { RequestMeter } from "./traces/meter";
import type { FunctionTriggers } from "./triggers";
import { parseFunctionName, parseRegion } from "./validate";

const MINUTE_MS = 60_000;
/** The latest log lines come from this much of the window's end: short, so one page holds them. */
export const LOG_WINDOW_MS = 3 * MINUTE_MS;
/** One FilterLogEvents page; the newest LOG_LINES of it are shown. */
const LOG_PAGE_LIMIT = 200;
export const LOG_LINES = 25;
/** Log text is untrusted and unbounded: a line is cut to this many characters. */
const MAX_LINE_CHARS = 2_000;

export interface EdgeLogLine {
  timestamp: EpochMs;
  message: string;
  logStream: string | null;
}

export interface EdgeRegionLogs {
  /** false: the replica log group does not exist in this region (no replica has logged here). */
  groupExists: boolean;
  /** The newest lines of the log window, oldest first. */
  lines: EdgeLogLine[];
  /** The window held more lines than one page (FilterLogEvents pages oldest first): later ones were not read. */
  truncated: boolean;
}

export interface EdgeRegionReading {
  region: string;
  /** Sums over the window; failed (with why) when CloudWatch could not be read in this region. */
  metrics: Outcome<{ invocations: number; errors: number }>;
  logs: Outcome<EdgeRegionLogs>;
}

export interface EdgeReplicas {
  functionName: string;
  /** `us-east-1.<name>`: the replicas' metric FunctionName. */
  replicaName: string;
  logGroup: string;
  /** Which policy statements made it an Edge function, and the distributions they name. */
  evidence: string[];
  distributions: string[];
  findings: EdgeFinding[];
  /** Every region searched, in order, and where that list came from. */
  searched: string[];
  searchedFrom: "FLEETSCOPE_EDGE_REGIONS" | "default";
  window: TimeWindow;
  logWindow: TimeWindow;
  regions: EdgeRegionReading[];
  /** AWS requests this reading made (0 when it came from the cache). */
  requests: number;
}

export interface EdgeDeps {
  cloudWatch: (region: string) => Pick<CloudWatchPort, "getMetricData">;
  logEvents: (region: string) => Pick<LogEventsPort, "filterLogEvents">;
  cache: Cache<unknown>;
  /** The configured regions, and FLEETSCOPE_EDGE_REGIONS (null when unset). */
  regions: () => { configured: readonly string[]; explicit: readonly string[] | null };
}

let defaultCache: Cache<unknown> | undefined;
const defaultDeps = (): EdgeDeps => {
  defaultCache ??= createCache({ ttlMs: env().cacheTtlSeconds * 1000, maxEntries: 200 });
  return {
    cloudWatch: cloudWatchFor,
    logEvents: (region) => logEventsFor(region),
    cache: defaultCache,
    regions: () => ({ configured: env().regions, explicit: env().edgeRegions }),
  };
};

export interface EdgeRequest {
  region: string;
  name: string;
  config: EdgeConfig & { logGroup: string };
  /** The page's triggers reading: its push sources decide whether the function is an Edge function. */
  triggers: Promise<Pick<FunctionTriggers, "pushSources">>;
  /** The page's range, epoch ms. */
  range: { from: number; to: number };
  meter?: RequestMeter;
}

const settle = async <T>(p: Promise<T>): Promise<Outcome<T>> => {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, error: toOutcomeError(e) };
  }
};

/** [from, to) in whole minutes; at least one minute long. */
export function minuteWindow(range: { from: number; to: number }): TimeWindow {
  const end = Math.floor(range.to / MINUTE_MS) * MINUTE_MS;
  const start = Math.min(Math.floor(range.from / MINUTE_MS) * MINUTE_MS, end - MINUTE_MS);
  return { start: epochMs(start), end: epochMs(end) };
}

async function readMetrics(
  cw: Pick<CloudWatchPort, "getMetricData">,
  replica: string,
  window: TimeWindow,
  onRequest: () => void,
) {
  // One period over the whole window: a sum per metric (CloudWatch omits an empty period: no point is 0).
  const period = seconds((window.end - window.start) / 1000);
  const dimensions = { kind: "function", functionName: replica } as const;
  const series = await cw.getMetricData(
    [
      { key: "invocations", metricName: "Invocations", stat: "Sum", dimensions, period },
      { key: "errors", metricName: "Errors", stat: "Sum", dimensions, period },
    ],
    window,
    { onRequest },
  );
  const sum = (key: string) => (series.get(key)?.values ?? []).reduce((a, b) => a + b, 0);
  return { invocations: sum("invocations"), errors: sum("errors") };
}

async function readLogs(
  logs: Pick<LogEventsPort, "filterLogEvents">,
  logGroup: string,
  logWindow: TimeWindow,
): Promise<EdgeRegionLogs> {
  try {
    const page = await logs.filterLogEvents({
      logGroup,
      from: logWindow.start,
      // FilterLogEvents' endTime is inclusive; the window's end is not.
      to: epochMs(logWindow.end - 1),
      limit: LOG_PAGE_LIMIT,
    });
    const lines = page.events.slice(-LOG_LINES).map((e) => ({
      timestamp: e.timestamp,
      message: e.message.length > MAX_LINE_CHARS ? `${e.message.slice(0, MAX_LINE_CHARS)}…` : e.message,
      logStream: e.logStream ?? null,
    }));
    return { groupExists: true, lines, truncated: page.nextToken !== null };
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "NotFound")
      return { groupExists: false, lines: [], truncated: false };
    throw e;
  }
}

async function readReplicas(
  deps: EdgeDeps,
  req: { name: string; config: EdgeRequest["config"] },
  sources: PushSource[],
  window: TimeWindow,
  meter: RequestMeter | undefined,
): Promise<EdgeReplicas | null> {
  const recognition = recogniseEdge(sources);
  if (!recognition.edge) return null;
  const { configured, explicit } = deps.regions();
  const searched = edgeSearchRegions(configured, explicit);
  const replica = replicaFunctionName(req.name);
  const logGroup = replicaLogGroup(req.name, req.config.logGroup);
  const logWindow: TimeWindow = {
    start: epochMs(Math.max(window.start, window.end - LOG_WINDOW_MS)),
    end: window.end,
  };
  let requests = 0;
  const count = (operation: string) => {
    requests++;
    meter?.record(operation);
  };
  const regions = await Promise.all(
    searched.map(async (region): Promise<EdgeRegionReading> => {
      const [metrics, logs] = await Promise.all([
        settle(readMetrics(deps.cloudWatch(region), replica, window, () => count("GetMetricData"))),
        settle(
          Promise.resolve().then(() => {
            count("FilterLogEvents");
            return readLogs(deps.logEvents(region), logGroup, logWindow);
          }),
        ),
      ]);
      return { region, metrics, logs };
    }),
  );
  return {
    functionName: req.name,
    replicaName: replica,
    logGroup,
    evidence: recognition.evidence,
    distributions: recognition.distributions,
    findings: checkEdgeConfig(req.config),
    searched,
    searchedFrom: explicit ? "FLEETSCOPE_EDGE_REGIONS" : "default",
    window,
    logWindow,
    regions,
    requests,
  };
}

const isDegraded = (r: EdgeReplicas | null) =>
  r !== null && r.regions.some((x) => !x.metrics.ok || !x.logs.ok);

/**
 * The function's replicas, or null when it is not an Edge function (or its policy could not be read: the
 * triggers panel says why). Throws InvalidInput for a bad region or name; AWS failures stay in their region.
 */
export async function getEdgeReplicas(
  req: EdgeRequest,
  deps: EdgeDeps = defaultDeps(),
): Promise<EdgeReplicas | null> {
  const region = parseRegion(req.region);
  const name = parseFunctionName(req.name);
  const triggers = await req.triggers;
  if (!triggers.pushSources.ok) return null;
  const sources = triggers.pushSources.value;
  const window = minuteWindow(req.range);
  const key = cacheKey({ region, query: `edge:${name}:${window.start}:${window.end}` });
  let fresh = false;
  const reading = (await deps.cache.get(key, async () => {
    fresh = true;
    const r = await readReplicas(deps, { name, config: req.config }, sources, window, req.meter);
    if (isDegraded(r)) deps.cache.invalidate((k) => k === key);
    return r;
  })) as EdgeReplicas | null;
  // A cached reading cost this view nothing.
  return reading && !fresh ? { ...reading, requests: 0 } : reading;
}
