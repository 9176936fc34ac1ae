import { systemClock } from "@/lib/config/clock";
import "server-only";
import { alarmsFor } from "@/lib/aws/cloudwatch-alarms";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { lambdaFor } from "@/lib/aws/lambda";
import { logsFor } from "@/lib/aws/logs";
import { env } from "@/lib/config/env";
import { store } from "@/lib/store";
import { parseConfiguredRegion, parseRegion } from "../validate";
import type { TrafficDeps } from "./deps";

/**
 * Every AWS call of a traffic view or change goes to a configured region (a mutation elsewhere is refused),
 * with one exception: a region where a plan is still running. A region removed from FLEETSCOPE_REGIONS while
 * a canary ran there must stay reachable so the runner can roll that canary back (runner.ts); new changes
 * there are refused before any call (changes.ts, app/api/traffic/route-helpers.ts). The running plans' regions
 * are read once per deps (one request, one runner tick); a store that cannot say leaves only the configured
 * regions reachable, the safe side.
 */
const reachable =
  <T>(planned: ReadonlySet<string>, client: (region: string) => T) =>
  (region: string): T => {
    const configured = env().regions;
    if (configured.includes(region)) return client(region);
    return client(planned.has(region) ? parseRegion(region) : parseConfiguredRegion(region, configured));
  };

export const defaultTrafficDeps = async (): Promise<TrafficDeps> => {
  const s = store();
  const running = await s.plans.running().catch(() => []);
  const planned = new Set(running.map((p) => p.spec.region));
  return {
    lambda: reachable(planned, lambdaFor),
    cloudwatch: reachable(planned, cloudWatchFor),
    alarms: reachable(planned, alarmsFor),
    logs: reachable(planned, logsFor),
    store: s,
    now: systemClock.now,
    regions: env().regions,
    readOnly: env().readOnly,
  };
};
