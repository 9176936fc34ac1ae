/**
 * The Advisor use-case: every flag of the fleet across regions. Each region is collected on its own (a failing
 * region is reported, never fatal), cached and coalesced per (regions, window bucket), so many viewers of the
 * Advisor page cost AWS the same as one.
 */
import "server-only";
import { readFileSync } from "node:fs";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { metricListFor } from "@/lib/aws/cloudwatch-list-metrics";
import { lambdaFor } from "@/lib/aws/lambda";
import { BACKGROUND_TIMING, logsFor } from "@/lib/aws/logs";
import { advise, adviseAccount, bySeverity, type Flag, type Thresholds } from "@/lib/core/advisor";
import { toOutcomeError } from "@/lib/core/errors";
import type { TimeWindow } from "@/lib/core/time/range";
import { epochMs } from "@/lib/core/units";
import { store } from "@/lib/store";
import { memoizedVersionConfigs, type VersionConfigStore } from "@/lib/store/version-configs";
import { cacheKey, createCache, type Cache } from "../cache";
import { parseRegion } from "../validate";
import { collectRegion, type CollectOptions, type RegionPorts } from "./collect";
import { badgeSummaries, type FleetAdvice, type FlagBadgeSummary, type RegionAdviceStatus } from "./summary";
import { resolveThresholds } from "./thresholds-source";

export * from "./summary";

export interface AdvisorDeps {
  ports: (region: string) => RegionPorts;
  thresholds: () => Thresholds;
  cache: Cache<unknown> | null;
  collect?: CollectOptions;
}

let defaultCache: Cache<unknown> | undefined;
let defaultVersionConfigs: VersionConfigStore | undefined;

/** Published versions' configurations: memory in front of the database, or memory alone if it cannot open. */
function versionConfigs(): VersionConfigStore {
  if (!defaultVersionConfigs) {
    let behind: VersionConfigStore | null = null;
    try {
      behind = store().versionConfigs;
    } catch (e) {
      console.warn(`advisor: version configurations kept in memory only (${toOutcomeError(e).message})`);
    }
    defaultVersionConfigs = memoizedVersionConfigs(behind);
  }
  return defaultVersionConfigs;
}

export const defaultAdvisorDeps = (): AdvisorDeps => {
  defaultCache ??= createCache({ ttlMs: ADVISOR_REFRESH_MS, maxEntries: 50 });
  return {
    collect: { versionConfigs: versionConfigs() },
    ports: (region) => ({
      lambda: lambdaFor(region),
      cloudwatch: cloudWatchFor(region),
      logs: logsFor(region, BACKGROUND_TIMING),
      metricList: metricListFor(region),
    }),
    thresholds: () => resolveThresholds(process.env, (p) => readFileSync(p, "utf8")),
    cache: defaultCache,
  };
};

/** How long one whole-fleet collection serves the Advisor page, badges and function pages. */
export const ADVISOR_REFRESH_MS = 15 * 60_000;

/** The advisor's default look-back: the anchors judge memory and timeouts over 7 days. */
export const DEFAULT_WINDOW_DAYS = 7;

/**
 * The window judged: it ends now (on the minute, so requests within a minute share one answer) and, for whole
 * days, starts at a UTC midnight at least `days` back, so CloudWatch's daily datapoints and Insights' bin(1d)
 * name the same days and today's events (a canary gone bad an hour ago) are in it.
 */
export function advisorWindow(now: number, days: number = DEFAULT_WINDOW_DAYS): TimeWindow {
  const DAY = 86_400_000;
  // A judgement over days does not change by the minute: a 15-minute end lets the cache serve every page.
  const step = days >= 1 ? ADVISOR_REFRESH_MS : 60_000;
  const end = Math.floor(now / step) * step;
  const span = Math.round(days * DAY);
  const start = span >= DAY ? Math.floor((end - span) / DAY) * DAY : end - span;
  return { start: epochMs(start), end: epochMs(end) };
}

/** The window for a page rendered now. */
export const currentAdvisorWindow = (days: number = DEFAULT_WINDOW_DAYS): TimeWindow =>
  advisorWindow(Date.now(), days);

export async function getFleetAdvice(
  regions: readonly string[],
  window: TimeWindow,
  deps: AdvisorDeps = defaultAdvisorDeps(),
): Promise<FleetAdvice> {
  const thresholds = deps.thresholds();
  const now = epochMs(window.end);
  const perRegion = await Promise.all(
    regions.map(parseRegion).map(async (region): Promise<{ status: RegionAdviceStatus; flags: Flag[] }> => {
      try {
        const load = () => collectRegion(deps.ports(region), window, deps.collect);
        const key = cacheKey({ region, query: `advisor:${window.start}:${window.end}` });
        const c = (deps.cache ? await deps.cache.get(key, load) : await load()) as Awaited<
          ReturnType<typeof load>
        >;
        const flags = c.inputs.flatMap((input) => advise(input, { now, thresholds }));
        if (c.account) flags.push(...adviseAccount(c.account, window, { now, thresholds }));
        const message = c.gaps.length > 0 ? `partial data: ${c.gaps.join("; ")}` : null;
        return { status: { region, ok: true, message, functions: c.inputs.length }, flags };
      } catch (e) {
        return { status: { region, ok: false, message: toOutcomeError(e).message, functions: 0 }, flags: [] };
      }
    }),
  );
  const advice: FleetAdvice = {
    window,
    generatedAt: Date.now(),
    regions: perRegion.map((r) => r.status),
    flags: perRegion.flatMap((r) => r.flags).sort(bySeverity),
  };
  remember(advice);
  return advice;
}

/**
 * The latest flags per region from any Advisor run in this process. Badges read only this: the functions
 * table and function pages never start a whole-fleet collection (nor wait for one); they show what the
 * Advisor last found, with its time.
 */
const latest = new Map<string, { flags: Flag[]; window: TimeWindow }>();

function remember(advice: FleetAdvice): void {
  for (const r of advice.regions) {
    if (r.ok)
      latest.set(r.region, {
        flags: advice.flags.filter((f) => f.region === r.region),
        window: advice.window,
      });
  }
}

/** Badges for the functions table from the latest Advisor run, or null when none has run for these regions. */
export function latestFlagBadges(regions: readonly string[]): Record<string, FlagBadgeSummary> | null {
  const known = regions.map((r) => latest.get(r)).filter((x) => x !== undefined);
  return known.length === 0 ? null : badgeSummaries(known.flatMap((k) => k.flags));
}

/** One function's flags from the latest Advisor run of its region; null when the region was not advised yet. */
export function latestFunctionFlags(
  region: string,
  name: string,
): { flags: Flag[]; window: TimeWindow } | null {
  const k = latest.get(region);
  return k ? { flags: k.flags.filter((f) => f.functionName === name), window: k.window } : null;
}
