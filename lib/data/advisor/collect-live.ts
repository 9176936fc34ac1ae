/**
 * The live path: every function's AdvisorInput for one region read from AWS at request time (benchmarks and
 * `npm run advise -- --live` compare it with the store path, collect-store.ts), following plan.ts: the Lambda
 * listing (as the functions table does it), round-1 metrics for the fleet, one Insights aggregation per 50 log
 * groups, then the few targeted calls round 1 asked for. A failing source degrades its part (noted in `gaps`),
 * never the region; a log-derived count it could not read is null, never 0, and each function's `missing` names
 * the sources it lacks, so the rules needing them are listed as not judged instead of judged on zeros. Insights
 * rows are read strictly (lib/core/query/advisor-report.ts): a row that cannot be read leaves its group's functions without logs
 * (every function, when no row names its group or none could be read). How functions are invoked (mappings,
 * queues, async configs) is read by sources.ts within its own small budget, each part settling on its own.
 */
import { systemClock } from "@/lib/config/clock";
import type { MetricSeries } from "@/lib/aws/cloudwatch";
import { MAX_GROUPS_PER_QUERY } from "@/lib/aws/logs";
import type { AdvisorInput, DayStats, FunctionObservations } from "@/lib/core/advisor";
import { mapWithConcurrency } from "@/lib/core/concurrency";
import { toOutcomeError } from "@/lib/core/errors";
import type { FunctionConfig, ProvisionedConcurrency } from "@/lib/core/lambda/types";
import type { TimeWindow } from "@/lib/core/time/range";
import { memoizedVersionConfigs, versionArn, type VersionConfigStore } from "@/lib/store/version-configs";
import {
  logGroupsOf,
  needsReservedConcurrency,
  planRoundOne,
  planRoundTwo,
  readEventSources,
  readFunctionTotals,
  readPerVersion,
  readProvisioned,
  readRegionTotals,
  eventSourcesActive as regionHasEventSources,
  routedAliasesFrom,
  type FollowUpTarget,
} from "./plan";
import type { RegionCollection, RegionPorts } from "./collection";
import { readLiveVersions } from "./version-inventory";
import {
  asyncActive,
  readAsyncConfigs,
  readMappings,
  readQueues,
  sourcesOf,
  streamFunctions,
} from "./sources";
import { MissingBySource, sharedGroupReason, sharedLogGroups, unreadVersionsReason } from "./missing";
import {
  ADVISOR_REPORT_QUERY,
  DAILY_TIMEOUTS_QUERY,
  parseDailyTimeouts,
  parseReportAggregate,
  rowLogGroup,
  type ReportAggregate,
} from "@/lib/core/query/advisor-report";

/** Per-function control-plane calls in flight: under the ~15 req/s Lambda limit (as lib/data/functions). */
const FAN_OUT = 6;
/** A background job: Insights runs queries up to 60 minutes; three minutes bounds the first page load. */
const INSIGHTS_DEADLINE_MS = 180_000;
/** Result rows per Insights query (its maximum): an answer this long may be cut. */
const INSIGHTS_ROW_LIMIT = 10_000;

/** Without a configured store: published versions never change, so a process-lifetime memory suffices. */
const processVersionConfigs = memoizedVersionConfigs(null);

export type { RegionCollection, RegionPorts } from "./collection";

/** The value, or null with the failure noted in `gaps` (and in `why`, to name it where evidence is missing). */
const settle = async <T>(
  p: Promise<T>,
  gaps: string[],
  what: string,
  why?: (reason: string) => void,
): Promise<T | null> => {
  try {
    return await p;
  } catch (e) {
    const reason = `${what}: ${toOutcomeError(e).message}`;
    gaps.push(reason);
    why?.(reason);
    return null;
  }
};

export interface CollectOptions {
  /** How long the Insights aggregation may run before it is stopped (that part then degrades). */
  insightsDeadlineMs?: number;
  /** Where published versions' configurations are kept once read (default: this process's memory). */
  versionConfigs?: VersionConfigStore;
}

export async function collectRegionLive(
  ports: RegionPorts,
  window: TimeWindow,
  options: CollectOptions = {},
): Promise<RegionCollection> {
  const { lambda, cloudwatch, logs, metricList } = ports;
  const region = lambda.region;
  const gaps: string[] = [];
  const missing = new MissingBySource();

  // The same $LATEST listing the fleet overview makes; aliased traffic comes from ListMetrics below, not from
  // one ListAliases per function.
  const configs = await lambda.listFunctions();
  const names = configs.map((c) => c.name);

  const [account, executedSeries, metrics1, report, listing] = await Promise.all([
    settle(lambda.getAccountSettings(), gaps, "GetAccountSettings", (r) => missing.everywhere("account", r)),
    // Without it, the published versions that served traffic are unknown: their runtimes are not judged.
    settle(metricList.listSeries("Invocations", ["ExecutedVersion"]), gaps, "CloudWatch ListMetrics", (r) =>
      missing.everywhere("versions", r),
    ),
    settle(cloudwatch.getMetricData(planRoundOne(names, window), window), gaps, "CloudWatch metrics", (r) =>
      missing.everywhere("metrics", r),
    ),
    settle(
      logs.runInsights(ADVISOR_REPORT_QUERY, logGroupsOf(configs), window, {
        timeoutMs: options.insightsDeadlineMs ?? INSIGHTS_DEADLINE_MS,
      }),
      gaps,
      "Logs Insights",
      (r) => missing.everywhere("logs", r),
    ),
    // One region-wide listing of event source mappings; never fails the region (sources.ts).
    readMappings(ports, gaps, missing),
  ]);
  const mappings = listing.byFunction;
  // The queues' attributes need only the mappings: read them while the metrics are asked.
  const queuesRead = readQueues(ports, mappings, gaps, missing);
  if (report?.truncated) {
    const cut = "Logs Insights: an answer reached its row limit and may be cut";
    gaps.push(cut);
    missing.everywhere("logs", cut);
  }
  const results: Map<string, MetricSeries> = metrics1 ?? new Map();
  const routed = routedAliasesFrom(executedSeries ?? []);
  // Published versions that served traffic through an alias have their runtimes checked. A published version's
  // configuration is immutable, so each is read once, then served from the version store.
  const store = options.versionConfigs ?? processVersionConfigs;
  const now = systemClock.now();
  const latestByName = new Map(configs.map((c) => [c.name, c]));
  const liveArns = [
    ...new Set(
      (executedSeries ?? []).flatMap((d) => {
        const latest = latestByName.get(d.FunctionName ?? "");
        const v = d.ExecutedVersion ?? "";
        return latest && /^\d+$/.test(v) ? [versionArn(latest, v)] : [];
      }),
    ),
  ];
  const live = await readLiveVersions(lambda, store, names.length, liveArns, now);
  gaps.push(...live.gaps);
  for (const c of configs) {
    const unread = unreadVersionsReason(c, live.unreadArns);
    if (unread !== null) missing.forFunction(c.name, "versions", unread);
  }

  // The functions each log group serves, to say whose logs a row that cannot be read leaves missing.
  const byGroup = new Map<string, string[]>();
  for (const c of configs) byGroup.set(c.logGroup, [...(byGroup.get(c.logGroup) ?? []), c.name]);
  const logsMissing = (group: string, reason: string) => {
    for (const name of byGroup.get(group) ?? []) missing.forFunction(name, "logs", reason);
  };

  const reports = new Map<string, ReportAggregate>();
  const reportRows = report?.rows ?? [];
  const unreadable = reportRows.flatMap((row) => {
    const r = parseReportAggregate(row);
    if (r.ok) reports.set(r.value.logGroup, r.value);
    return r.ok ? [] : [{ group: rowLogGroup(row), reason: r.reason }];
  });
  if (unreadable.length > 0) {
    gaps.push(`${unreadable[0]!.reason} (${unreadable.length} of ${reportRows.length} rows unreadable)`);
    // A group with no row saw no REPORT line, unless no row could be read at all: then no group's absence can
    // be trusted to mean zero. A row naming its group leaves that group's functions without logs.
    if (reports.size === 0) missing.everywhere("logs", unreadable[0]!.reason);
    for (const u of unreadable)
      if (u.group === null) missing.everywhere("logs", u.reason);
      else logsMissing(u.group, u.reason);
  }
  // A group shared by several functions cannot be split per function: its numbers are not attributed.
  const shared = sharedLogGroups(configs);
  for (const c of configs) {
    const n = shared.get(c.logGroup);
    if (n !== undefined) missing.forFunction(c.name, "logs", sharedGroupReason(c.logGroup, n));
  }

  const regionTotals = readRegionTotals(results);
  const eventSourcesActive = regionHasEventSources(regionTotals);
  // The lag's trend, hour by hour: for functions with a stream mapping, or every function when the mappings
  // could not be listed, while the region reports any IteratorAge.
  const streams = mappings === null ? null : streamFunctions(mappings);
  const wantsHourly = (name: string) =>
    (regionTotals.iteratorAgeMax ?? 0) > 0 && (streams === null || streams.has(name));
  const totals = new Map(names.map((n) => [n, readFunctionTotals(results, n)]));

  // Targeted control-plane calls: provisioned configs where provisioned environments ran, reserved concurrency
  // where it can matter.
  const provisionedNames = names.filter((n) => totals.get(n)?.provisionedExecutionsMax !== null);
  const reservedNames = names.filter((n) => needsReservedConcurrency(totals.get(n)!));
  const [provisionedList, reservedList] = await Promise.all([
    mapWithConcurrency(provisionedNames, FAN_OUT, (n) =>
      settle(lambda.listProvisionedConcurrency(n), gaps, `ListProvisionedConcurrencyConfigs ${n}`, (r) =>
        missing.forFunction(n, "settings", r),
      ),
    ),
    mapWithConcurrency(reservedNames, FAN_OUT, (n) =>
      settle(lambda.getReservedConcurrency(n), gaps, `GetFunctionConcurrency ${n}`, (r) =>
        missing.forFunction(n, "settings", r),
      ),
    ),
  ]);
  const provisioned = new Map<string, ProvisionedConcurrency[]>(
    provisionedNames.map((n, i) => [n, provisionedList[i] ?? []]),
  );
  const reserved = new Map<string, number | null>(reservedNames.map((n, i) => [n, reservedList[i] ?? null]));
  const versions = new Map<string, FunctionConfig[]>();
  for (const arn of liveArns) {
    const c = live.known.get(arn);
    if (c) versions.set(c.name, [...(versions.get(c.name) ?? []), c]);
  }

  const targets: FollowUpTarget[] = names
    .map((name) => ({
      name,
      provisionedQualifiers: (provisioned.get(name) ?? []).map((p) => p.qualifier),
      routedAliases: routed.get(name) ?? [],
      eventSources: eventSourcesActive,
      iteratorAgeHourly: wantsHourly(name),
    }))
    .filter((t) => t.provisionedQualifiers.length > 0 || t.routedAliases.length > 0 || t.eventSources);
  const round2 = planRoundTwo(targets, window);
  const results2 =
    round2.length === 0
      ? new Map<string, MetricSeries>()
      : ((await settle(
          cloudwatch.getMetricData(round2, window),
          gaps,
          "CloudWatch follow-up metrics",
          (r) => {
            // Provisioned concurrency, per-version counts and event sources of these functions are unknown.
            for (const t of targets) missing.forFunction(t.name, "metrics", r);
          },
        )) ?? new Map<string, MetricSeries>());

  // The async config of functions whose async metrics show activity, once round 2 says which (sources.ts).
  const events = new Map(names.map((n) => [n, readEventSources(results2, n)]));
  const active = configs.filter((c) => asyncActive(events.get(c.name)!));
  const [queueRead, asyncRead] = await Promise.all([
    queuesRead,
    readAsyncConfigs(ports, active, gaps, missing),
  ]);

  // Timeouts per day: one bucket is the whole window; over several days, one more aggregation over only the
  // groups that timed out (the daily rate can make a tolerable average critical). Days it cannot give (the query
  // failed or was cut, a row unreadable, a group without rows) are unknown, never 0, and those functions' logs
  // are missing: the timeouts rule is not judged on a partial count.
  const dailyTimeouts = new Map<string, Map<number, number>>();
  const dailyUnknown = new Map<string, string>();
  // The day (window start + k·24 h, as the metrics' daily datapoints) an hour bin falls in; an hour that
  // straddles a day boundary counts in the day it starts in (at most 59 minutes off at a day's edge).
  const DAY = 86_400_000;
  const dayOf = (t: number) => window.start + Math.max(0, Math.floor((t - window.start) / DAY)) * DAY;
  const timedOutGroups = [...reports.values()]
    // Only where the window's count is used: not for shared groups or groups whose logs are already missing.
    .filter((r) => r.timeouts > 0 && byGroup.get(r.logGroup)?.some((n) => missing.of(n)?.logs === undefined))
    .map((r) => r.logGroup);
  if (window.end - window.start > DAY && timedOutGroups.length > 0) {
    const unknown = (groups: readonly string[], reason: string) => {
      for (const g of groups) if (!dailyUnknown.has(g)) dailyUnknown.set(g, reason);
    };
    // At most one row per group and hour bin: few enough groups per query that no answer reaches the limit.
    const hours = Math.ceil((window.end - window.start) / 3_600_000) + 1;
    const daily = await settle(
      logs.runInsights(DAILY_TIMEOUTS_QUERY, timedOutGroups, window, {
        timeoutMs: options.insightsDeadlineMs ?? INSIGHTS_DEADLINE_MS,
        limit: INSIGHTS_ROW_LIMIT,
        groupsPerQuery: Math.max(
          1,
          Math.min(MAX_GROUPS_PER_QUERY, Math.floor((INSIGHTS_ROW_LIMIT - 1) / hours)),
        ),
      }),
      gaps,
      "Logs Insights (daily timeouts)",
      (r) => unknown(timedOutGroups, `timeouts per day unknown: ${r}`),
    );
    if (daily?.truncated) {
      const cut = "Logs Insights (daily timeouts): an answer reached its row limit and may be cut";
      gaps.push(cut);
      unknown(timedOutGroups, `timeouts per day unknown: ${cut}`);
    }
    const bad: string[] = [];
    for (const row of daily?.rows ?? []) {
      const d = parseDailyTimeouts(row);
      if (!d.ok) {
        const reason = `timeouts per day unknown: ${d.reason}`;
        bad.push(reason);
        const group = rowLogGroup(row);
        unknown(group === null ? timedOutGroups : [group], reason);
        continue;
      }
      const days = dailyTimeouts.get(d.value.logGroup) ?? new Map<number, number>();
      const day = dayOf(d.value.hour);
      days.set(day, (days.get(day) ?? 0) + d.value.timeouts);
      dailyTimeouts.set(d.value.logGroup, days);
    }
    if (bad.length > 0) gaps.push(`${bad[0]} (${bad.length} of ${daily?.rows.length ?? 0} rows unreadable)`);
    // A group that timed out in the window has timeout hours: none read means they are unknown.
    if (daily !== null)
      unknown(
        timedOutGroups.filter((g) => !dailyTimeouts.has(g)),
        "timeouts per day unknown: Logs Insights returned no hour for a log group that timed out",
      );
    for (const [g, reason] of dailyUnknown) logsMissing(g, reason);
  }
  const withTimeouts = (
    perDay: DayStats[],
    rep: ReportAggregate | undefined,
    logsRan: boolean,
  ): DayStats[] => {
    // Logs not read: each day's timeouts are unknown (the metrics' days carry none).
    if (!logsRan) return perDay.map((d) => ({ ...d, timeouts: null }));
    if (!rep || rep.timeouts === 0) return perDay;
    if (perDay.length === 1) return perDay.map((d) => ({ ...d, timeouts: rep.timeouts }));
    const days = dailyUnknown.has(rep.logGroup) ? undefined : dailyTimeouts.get(rep.logGroup);
    return perDay.map((d) => ({ ...d, timeouts: days ? (days.get(d.day) ?? 0) : null }));
  };

  const inputs = configs.map((config): AdvisorInput => {
    const t = totals.get(config.name)!;
    const logsRan = missing.of(config.name)?.logs === undefined;
    const rep = logsRan ? reports.get(config.logGroup) : undefined;
    const ev = events.get(config.name)!;
    const observed: FunctionObservations = {
      window,
      invocations: t.invocations,
      errors: t.errors,
      throttles: t.throttles,
      duration: rep?.duration ?? { p50: null, p99: null, p999: null, max: null, avg: null },
      memoryUsed: { max: rep?.maxMemoryUsed ?? null, p99: rep?.p99MemoryUsed ?? null },
      // Logs not read (query failed, or a shared group): unknown, never 0 (data-coverage says so).
      timeouts: logsRan ? (rep?.timeouts ?? 0) : null,
      nearTimeoutInvocations: null,
      outOfMemory: logsRan ? (rep?.outOfMemory ?? 0) : null,
      coldStarts: {
        count: logsRan ? (rep?.coldStarts ?? 0) : null,
        avgInitMs: rep?.avgInit ?? null,
        p99InitMs: rep?.p99Init ?? null,
      },
      concurrencyMax: t.concurrencyMax,
      accountUnreservedConcurrencyMax: regionTotals.unreservedMax,
      provisioned: (provisioned.get(config.name) ?? []).map((p) =>
        readProvisioned(results2, config.name, p.qualifier),
      ),
      iteratorAgeMaxMs: ev.iteratorAgeMaxMs,
      iteratorAgeHourly: ev.iteratorAgeHourly,
      asyncEventsDropped: ev.asyncEventsDropped,
      destinationDeliveryFailures: ev.destinationDeliveryFailures,
      deadLetterErrors: ev.deadLetterErrors,
      recursiveInvocationsDropped: ev.recursiveInvocationsDropped,
      // A group with no REPORT row in a query that ran saw no REPORT lines: that is a count of 0.
      reportCount: logsRan ? (rep?.reports ?? 0) : null,
      perDay: withTimeouts(t.perDay, rep, logsRan),
      perVersion: readPerVersion(results2, routed.get(config.name) ?? []),
      unzippedCodeSize: null,
    };
    return {
      config,
      versions: versions.get(config.name) ?? [],
      // Not listed (no ListAliases per function); no rule reads them.
      aliases: [],
      provisionedConcurrency: provisioned.get(config.name) ?? [],
      reservedConcurrency: reserved.get(config.name) ?? null,
      account,
      observed,
      sources: sourcesOf(config.name, mappings, queueRead.queues, asyncRead.async),
      missing: missing.of(config.name),
    };
  });
  return { region, inputs, account, gaps };
}
