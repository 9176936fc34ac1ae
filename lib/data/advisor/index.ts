/**
 * The Advisor use-case: every flag of the fleet across regions. Each region is collected on its own (a failing
 * region is reported, never fatal), cached and coalesced per (regions, window bucket), so many viewers of the
 * Advisor page cost AWS the same as one.
 */
import "server-only";
import { readFileSync } from "node:fs";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { lambdaFor } from "@/lib/aws/lambda";
import { logsFor } from "@/lib/aws/logs";
import { env } from "@/lib/config/env";
import { advise, adviseAccount, bySeverity, type Flag, type Thresholds } from "@/lib/core/advisor";
import { toOutcomeError } from "@/lib/core/errors";
import type { TimeWindow } from "@/lib/core/time/range";
import { epochMs } from "@/lib/core/units";
import { cacheKey, createCache, type Cache } from "../cache";
import { parseRegion } from "../validate";
import { collectRegion, type CollectOptions, type RegionPorts } from "./collect";
import type { FleetAdvice, RegionAdviceStatus } from "./summary";
import { resolveThresholds } from "./thresholds-source";

export * from "./summary";

export interface AdvisorDeps {
  ports: (region: string) => RegionPorts;
  thresholds: () => Thresholds;
  cache: Cache<unknown> | null;
  collect?: CollectOptions;
}

let defaultCache: Cache<unknown> | undefined;
export const defaultAdvisorDeps = (): AdvisorDeps => {
  defaultCache ??= createCache({ ttlMs: env().cacheTtlSeconds * 1000, maxEntries: 50 });
  return {
    ports: (region) => ({ lambda: lambdaFor(region), cloudwatch: cloudWatchFor(region), logs: logsFor(region) }),
    thresholds: () => resolveThresholds(process.env, (p) => readFileSync(p, "utf8")),
    cache: defaultCache,
  };
};

/** The advisor's default look-back: the anchors judge memory and timeouts over 7 days. */
export const DEFAULT_WINDOW_DAYS = 7;

/**
 * The window judged. Whole days end at UTC midnight (the last complete days), so CloudWatch's daily datapoints
 * and Insights' bin(1d) name the same days; shorter windows end on the minute. Either way repeated requests
 * in a minute share one answer.
 */
export function advisorWindow(now: number, days: number = DEFAULT_WINDOW_DAYS): TimeWindow {
  const DAY = 86_400_000;
  const span = Math.round(days * DAY);
  const end = span >= DAY && span % DAY === 0 ? Math.floor(now / DAY) * DAY : Math.floor(now / 60_000) * 60_000;
  return { start: epochMs(end - span), end: epochMs(end) };
}

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
        const c = (deps.cache ? await deps.cache.get(key, load) : await load()) as Awaited<ReturnType<typeof load>>;
        const flags = c.inputs.flatMap((input) => advise(input, { now, thresholds }));
        if (c.account) flags.push(...adviseAccount(c.account, window, { now, thresholds }));
        const message = c.gaps.length > 0 ? `partial data: ${c.gaps.join("; ")}` : null;
        return { status: { region, ok: true, message, functions: c.inputs.length }, flags };
      } catch (e) {
        return { status: { region, ok: false, message: toOutcomeError(e).message, functions: 0 }, flags: [] };
      }
    }),
  );
  return {
    window,
    generatedAt: Date.now(),
    regions: perRegion.map((r) => r.status),
    flags: perRegion.flatMap((r) => r.flags).sort(bySeverity),
  };
}
