/**
 * A Lambda@Edge function across the regions where CloudFront ran its replicas: per region, the replicas'
 * invocations and errors over the page's range and their latest log lines, with the Edge limits checked
 * against the function's configuration.
 *
 * Invariants:
 * - A function is an Edge function when its resource policy has the replicator's statement
 *   (lib/core/edge/recognise.ts); the policy comes from the triggers reading the page already makes, so a non-Edge
 *   function costs this panel nothing. The replicated version comes from that statement; the distribution and the
 *   trigger type are CloudFront's to say (not called), so they are never shown as known.
 * - Per searched region: one GetMetricData (Invocations and Errors, Sum, one period spanning the metric window) and
 *   at most MAX_LOG_PAGES FilterLogEvents pages on the replica log group (the last LOG_WINDOW_MS of the window).
 *   Each region, and each of its two reads, settles on its own: one region failing never hides another.
 * - The metric window is whole periods CloudWatch still keeps for the age of its start (`metricPlan`): a period
 *   that is not a valid multiple for that age returns no data points, which would read as "no invocations".
 * - CloudWatch omits empty periods, so an empty series is 0 invocations only when both queries came back
 *   StatusCode Complete; any other status is a failure of that region's read, never 0. A missing log group is not
 *   a failure: no replica has run (and logged) there.
 * - FilterLogEvents pages go oldest first, and a page may be empty with a nextToken: the newest lines are at the
 *   end, so pages are followed (bounded by MAX_LOG_PAGES and LOG_DEADLINE_MS); when the bound stops the reading
 *   before the last page, the lines are the newest READ and the reading says "truncated".
 * - The window is whole minutes (end floored to the minute) so readings are cached per function, window and
 *   regions like lib/data/triggers.ts; a reading with a failed part is not kept, so the next view asks again.
 * - Replicas run in the function's own account: every read goes through that account's ports (its role, or the
 *   OAM monitoring account), and the cache key is the function's functionRefKey.
 */
import { systemClock } from "@/lib/config/clock";
import "server-only";
import { cloudWatchFor, type CloudWatchPort } from "@/lib/aws/cloudwatch";
import { logEventsFor, type LogEventsPort } from "@/lib/aws/logs-events";
import { env } from "@/lib/config/env";
import type { AccountTarget } from "@/lib/core/accounts";
import { functionRefKey } from "@/lib/core/accounts/scope";
import { checkEdgeConfig, type EdgeConfig, type EdgeFinding } from "@/lib/core/edge/limits";
import { recogniseEdge, replicaFunctionName, replicaLogGroup } from "@/lib/core/edge/recognise";
import { edgeSearchRegions } from "@/lib/core/edge/regions";
import { FleetscopeError, isFleetscopeError, toOutcomeError, type Outcome } from "@/lib/core/errors";
import type { LogEvent } from "@/lib/core/telemetry/types";
import { minimumPeriodForAge } from "@/lib/core/time/period";
import type { TimeWindow } from "@/lib/core/time/range";
import type { PushSource } from "@/lib/core/triggers/types";
import { epochMs, seconds, type EpochMs, type Seconds } from "@/lib/core/units";
import { createCache, type Cache } from "./cache";
import type { RequestMeter } from "./traces/meter";
import type { FunctionTriggers } from "./triggers";
import { parseFunctionName, parseRegion } from "./validate";

const MINUTE_MS = 60_000;
/** The latest log lines come from this much of the window's end: short, so a few pages reach its end. */
export const LOG_WINDOW_MS = 3 * MINUTE_MS;
/** Events per FilterLogEvents page; the newest LOG_LINES of the pages read are shown. */
const LOG_PAGE_LIMIT = 200;
export const LOG_LINES = 25;
/** FilterLogEvents pages read per region at most, and the time after which no further page is asked for. */
export const MAX_LOG_PAGES = 5;
export const LOG_DEADLINE_MS = 5_000;
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
  /** The newest lines of the pages read, oldest first. */
  lines: EdgeLogLine[];
  /** FilterLogEvents pages read (each one AWS request). */
  pages: number;
  /** Pages remained when the page or time bound stopped the reading: newer lines exist and were not read. */
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
  /** The replicator statements that made it an Edge function. */
  evidence: string[];
  /** The versions the replicator may read, from those statements' Resource (empty: not named). Which
   * distribution and CloudFront event run them is not known from Lambda's API. */
  replicatedVersions: string[];
  findings: EdgeFinding[];
  /** Every region searched, in order, and where that list came from. */
  searched: string[];
  searchedFrom: "FLEETSCOPE_EDGE_REGIONS" | "default";
  /** The metric window: whole periods valid for its age (`metricPlan`), read as one period. */
  window: TimeWindow;
  period: Seconds | null;
  logWindow: TimeWindow;
  regions: EdgeRegionReading[];
  /** AWS requests this reading made (0 when it came from the cache). */
  requests: number;
}

export interface EdgeDeps {
  /** The ports of `region` for `account` (null: the console's own credentials). */
  cloudWatch: (region: string, account: AccountTarget | null) => Pick<CloudWatchPort, "getMetricData">;
  logEvents: (region: string, account: AccountTarget | null) => Pick<LogEventsPort, "filterLogEvents">;
  cache: Cache<unknown>;
  /** The configured regions, and FLEETSCOPE_EDGE_REGIONS (null when unset). */
  regions: () => { configured: readonly string[]; explicit: readonly string[] | null };
  /** The clock: the age of the window (CloudWatch's retention) and the logs' deadline. */
  now: () => number;
}

let defaultCache: Cache<unknown> | undefined;
const defaultDeps = (): EdgeDeps => {
  defaultCache ??= createCache({ ttlMs: env().cacheTtlSeconds * 1000, maxEntries: 200 });
  return {
    cloudWatch: cloudWatchFor,
    logEvents: (region, account) => logEventsFor(region, undefined, account),
    cache: defaultCache,
    regions: () => ({ configured: env().regions, explicit: env().edgeRegions }),
    now: systemClock.now,
  };
};

export interface EdgeRequest {
  /** The account the function (and so its replicas) lives in. */
  account: AccountTarget;
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

/**
 * The window GetMetricData reads and its one period. CloudWatch keeps 60 s points for 15 days, 300 s for 63 and
 * 3600 s for 455, and for a StartTime older than 3 h the period must be a multiple of 60, older than 15 days of
 * 300, older than 63 days of 3600, "or no data points in that time range is returned" (MetricStat.Period,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricStat.html). So both ends are
 * aligned down to that multiple (the start's age decides it; aligning the start can age it into the next tier,
 * hence the loop) and the period is the aligned length, at least one multiple. Throws InvalidInput past 455 days.
 */
export function metricPlan(window: TimeWindow, now: number): { window: TimeWindow; period: Seconds } {
  let step = minimumPeriodForAge(now - window.start) * 1000;
  let start = Math.floor(window.start / step) * step;
  for (let next = minimumPeriodForAge(now - start) * 1000; next !== step;) {
    step = next;
    start = Math.floor(window.start / step) * step;
    next = minimumPeriodForAge(now - start) * 1000;
  }
  const end = Math.max(Math.floor(window.end / step) * step, start + step);
  return { window: { start: epochMs(start), end: epochMs(end) }, period: seconds((end - start) / 1000) };
}

async function readMetrics(
  cw: Pick<CloudWatchPort, "getMetricData">,
  replica: string,
  plan: { window: TimeWindow; period: Seconds },
  onRequest: () => void,
) {
  const { window, period } = plan;
  const dimensions = { kind: "function", functionName: replica } as const;
  const statuses = new Map<string, string>();
  const series = await cw.getMetricData(
    [
      { key: "invocations", metricName: "Invocations", stat: "Sum", dimensions, period },
      { key: "errors", metricName: "Errors", stat: "Sum", dimensions, period },
    ],
    window,
    { onRequest, onStatus: (key, status) => statuses.set(key, status) },
  );
  // CloudWatch omits an empty period, so "no point" is 0 only for a read CloudWatch says is Complete; an
  // InternalError, Forbidden or absent result is not evidence of quiet.
  for (const [key, metric] of [
    ["invocations", "Invocations"],
    ["errors", "Errors"],
  ] as const) {
    const status = statuses.get(key) ?? "no result";
    if (status !== "Complete")
      throw new FleetscopeError("Unavailable", `GetMetricData ${metric} came back ${status}, not Complete`);
  }
  const sum = (key: string) => (series.get(key)?.values ?? []).reduce((a, b) => a + b, 0);
  return { invocations: sum("invocations"), errors: sum("errors") };
}

const toLine = (e: LogEvent): EdgeLogLine => ({
  timestamp: e.timestamp,
  message: e.message.length > MAX_LINE_CHARS ? `${e.message.slice(0, MAX_LINE_CHARS)}…` : e.message,
  logStream: e.logStream ?? null,
});

async function readLogs(
  logs: Pick<LogEventsPort, "filterLogEvents">,
  logGroup: string,
  logWindow: TimeWindow,
  clock: { now: () => number; deadline: number },
  onRequest: () => void,
): Promise<EdgeRegionLogs> {
  // Pages go oldest first and may be empty with a nextToken (the search moves through the window in pieces):
  // the newest lines are in the last page, so follow the tokens, keeping only the newest LOG_LINES seen.
  let newest: LogEvent[] = [];
  let pages = 0;
  let token: string | undefined;
  try {
    do {
      onRequest();
      const page = await logs.filterLogEvents({
        logGroup,
        from: logWindow.start,
        // FilterLogEvents' endTime is inclusive; the window's end is not.
        to: epochMs(logWindow.end - 1),
        limit: LOG_PAGE_LIMIT,
        nextToken: token,
      });
      pages++;
      newest = [...newest, ...page.events].sort((a, b) => a.timestamp - b.timestamp).slice(-LOG_LINES);
      token = page.nextToken ?? undefined;
    } while (token !== undefined && pages < MAX_LOG_PAGES && clock.now() < clock.deadline);
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "NotFound")
      return { groupExists: false, lines: [], pages, truncated: false };
    throw e;
  }
  return { groupExists: true, lines: newest.map(toLine), pages, truncated: token !== undefined };
}

async function readReplicas(
  deps: EdgeDeps,
  req: { account: AccountTarget; name: string; config: EdgeRequest["config"] },
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
  const now = deps.now();
  let plan: Outcome<{ window: TimeWindow; period: Seconds }>;
  try {
    plan = { ok: true, value: metricPlan(window, now) };
  } catch (e) {
    plan = { ok: false, error: toOutcomeError(e) };
  }
  let requests = 0;
  const count = (operation: string) => {
    requests++;
    meter?.record(operation);
  };
  const regions = await Promise.all(
    searched.map(async (region): Promise<EdgeRegionReading> => {
      const [metrics, logs] = await Promise.all([
        plan.ok
          ? settle(
              Promise.resolve().then(() =>
                readMetrics(deps.cloudWatch(region, req.account), replica, plan.value, () =>
                  count("GetMetricData"),
                ),
              ),
            )
          : plan,
        settle(
          Promise.resolve().then(() =>
            readLogs(
              deps.logEvents(region, req.account),
              logGroup,
              logWindow,
              { now: deps.now, deadline: now + LOG_DEADLINE_MS },
              () => count("FilterLogEvents"),
            ),
          ),
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
    replicatedVersions: recognition.replicatedVersions,
    findings: checkEdgeConfig(req.config),
    searched,
    searchedFrom: explicit ? "FLEETSCOPE_EDGE_REGIONS" : "default",
    window: plan.ok ? plan.value.window : window,
    period: plan.ok ? plan.value.period : null,
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
  const key = `edge|${functionRefKey({ account: req.account.id, region, name })}|${window.start}:${window.end}`;
  let fresh = false;
  const reading = (await deps.cache.get(key, async () => {
    fresh = true;
    const r = await readReplicas(
      deps,
      { account: req.account, name, config: req.config },
      sources,
      window,
      req.meter,
    );
    if (isDegraded(r)) deps.cache.invalidate((k) => k === key);
    return r;
  })) as EdgeReplicas | null;
  // A cached reading cost this view nothing.
  return reading && !fresh ? { ...reading, requests: 0 } : reading;
}
