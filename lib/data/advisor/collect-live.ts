/**
 * The live path: every function's AdvisorInput for one region read from AWS at request time (benchmarks and
 * `npm run advise -- --live` compare it with the store path, collect-store.ts), following plan.ts: the Lambda
 * listing (as the functions table does it), round-1 metrics for the fleet, one Insights aggregation per 50 log
 * groups, then the few targeted calls round 1 asked for. A failing source degrades its part (noted in `gaps`),
 * never the region; a log-derived count it could not read is null, never 0.
 */
import type { MetricSeries } from "@/lib/aws/cloudwatch";
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
  routedAliasesFrom,
  type FollowUpTarget,
} from "./plan";
import type { RegionCollection, RegionPorts } from "./collection";
import { readLiveVersions } from "./version-inventory";
import {
  ADVISOR_REPORT_QUERY,
  DAILY_TIMEOUTS_QUERY,
  parseDailyTimeouts,
  parseReportAggregate,
  type ReportAggregate,
} from "./report-query";

/** Per-function control-plane calls in flight: under the ~15 req/s Lambda limit (as lib/data/functions). */
const FAN_OUT = 6;
/** A background job: Insights runs queries up to 60 minutes; three minutes bounds the first page load. */
const INSIGHTS_DEADLINE_MS = 180_000;

/** Without a configured store: published versions never change, so a process-lifetime memory suffices. */
const processVersionConfigs = memoizedVersionConfigs(null);

export type { RegionCollection, RegionPorts } from "./collection";

const settle = async <T>(p: Promise<T>, gaps: string[], what: string): Promise<T | null> => {
  try {
    return await p;
  } catch (e) {
    gaps.push(`${what}: ${toOutcomeError(e).message}`);
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

  // The same $LATEST listing the fleet overview makes; aliased traffic comes from ListMetrics below, not from
  // one ListAliases per function.
  const configs = await lambda.listFunctions();
  const names = configs.map((c) => c.name);

  const [account, executedSeries, metrics1, report] = await Promise.all([
    settle(lambda.getAccountSettings(), gaps, "GetAccountSettings"),
    settle(metricList.listSeries("Invocations", ["ExecutedVersion"]), gaps, "CloudWatch ListMetrics"),
    settle(cloudwatch.getMetricData(planRoundOne(names, window), window), gaps, "CloudWatch metrics"),
    settle(
      logs.runInsights(ADVISOR_REPORT_QUERY, logGroupsOf(configs), window, {
        deadline: Date.now() + (options.insightsDeadlineMs ?? INSIGHTS_DEADLINE_MS),
      }),
      gaps,
      "Logs Insights",
    ),
  ]);
  const results: Map<string, MetricSeries> = metrics1 ?? new Map();
  const routed = routedAliasesFrom(executedSeries ?? []);
  // Published versions that served traffic through an alias have their runtimes checked. A published version's
  // configuration is immutable, so each is read once, then served from the version store.
  const store = options.versionConfigs ?? processVersionConfigs;
  const now = Date.now();
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

  const reports = new Map<string, ReportAggregate>();
  for (const row of report?.rows ?? []) {
    const r = parseReportAggregate(row);
    if (r.ok) reports.set(r.value.logGroup, r.value);
  }
  // A group shared by several functions cannot be split per function: its numbers are not attributed.
  const groupUse = new Map<string, number>();
  for (const c of configs) groupUse.set(c.logGroup, (groupUse.get(c.logGroup) ?? 0) + 1);

  const regionTotals = readRegionTotals(results);
  const eventSourcesActive =
    (regionTotals.iteratorAgeMax ?? 0) > 0 ||
    regionTotals.asyncEventsDropped > 0 ||
    regionTotals.recursiveInvocationsDropped > 0;
  const totals = new Map(names.map((n) => [n, readFunctionTotals(results, n)]));

  // Targeted control-plane calls: provisioned configs where provisioned environments ran, reserved concurrency
  // where it can matter.
  const provisionedNames = names.filter((n) => totals.get(n)?.provisionedExecutionsMax !== null);
  const reservedNames = names.filter((n) => needsReservedConcurrency(totals.get(n)!));
  const [provisionedList, reservedList] = await Promise.all([
    mapWithConcurrency(provisionedNames, FAN_OUT, (n) =>
      settle(lambda.listProvisionedConcurrency(n), gaps, `ListProvisionedConcurrencyConfigs ${n}`),
    ),
    mapWithConcurrency(reservedNames, FAN_OUT, (n) =>
      settle(lambda.getReservedConcurrency(n), gaps, `GetFunctionConcurrency ${n}`),
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
    }))
    .filter((t) => t.provisionedQualifiers.length > 0 || t.routedAliases.length > 0 || t.eventSources);
  const round2 = planRoundTwo(targets, window);
  const results2 =
    round2.length === 0
      ? new Map<string, MetricSeries>()
      : ((await settle(cloudwatch.getMetricData(round2, window), gaps, "CloudWatch follow-up metrics")) ??
        new Map<string, MetricSeries>());

  // Timeouts per day: one bucket is the whole window; over several days, one more aggregation over only the
  // groups that timed out (the daily rate can make a tolerable average critical).
  const dailyTimeouts = new Map<string, Map<number, number>>();
  const timedOutGroups = [...reports.values()].filter((r) => r.timeouts > 0).map((r) => r.logGroup);
  if (window.end - window.start > 86_400_000 && timedOutGroups.length > 0) {
    const daily = await settle(
      logs.runInsights(DAILY_TIMEOUTS_QUERY, timedOutGroups, window, {
        deadline: Date.now() + (options.insightsDeadlineMs ?? INSIGHTS_DEADLINE_MS),
      }),
      gaps,
      "Logs Insights (daily timeouts)",
    );
    for (const row of daily?.rows ?? []) {
      const d = parseDailyTimeouts(row);
      if (!d) continue;
      const days = dailyTimeouts.get(d.logGroup) ?? new Map<number, number>();
      days.set(d.day, (days.get(d.day) ?? 0) + d.timeouts);
      dailyTimeouts.set(d.logGroup, days);
    }
  }
  const withTimeouts = (perDay: DayStats[], rep: ReportAggregate | undefined): DayStats[] => {
    if (!rep || rep.timeouts === 0) return perDay;
    if (perDay.length === 1) return perDay.map((d) => ({ ...d, timeouts: rep.timeouts }));
    const days = dailyTimeouts.get(rep.logGroup);
    return perDay.map((d) => ({ ...d, timeouts: days?.get(d.day) ?? 0 }));
  };

  const inputs = configs.map((config): AdvisorInput => {
    const t = totals.get(config.name)!;
    const shared = (groupUse.get(config.logGroup) ?? 0) > 1;
    const rep = shared ? undefined : reports.get(config.logGroup);
    const logsRan = report !== null && !shared;
    const events = readEventSources(results2, config.name);
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
      iteratorAgeMaxMs: events.iteratorAgeMaxMs,
      asyncEventsDropped: events.asyncEventsDropped,
      recursiveInvocationsDropped: events.recursiveInvocationsDropped,
      // A group with no REPORT row in a query that ran saw no REPORT lines: that is a count of 0.
      reportCount: logsRan ? (rep?.reports ?? 0) : null,
      perDay: withTimeouts(t.perDay, rep),
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
    };
  });
  return { region, inputs, account, gaps };
}
