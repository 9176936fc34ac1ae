import { systemClock } from "@/lib/config/clock";
import "server-only";
import { alarmsFor } from "@/lib/aws/cloudwatch-alarms";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { lambdaFor } from "@/lib/aws/lambda";
import { logsFor } from "@/lib/aws/logs";
import { env } from "@/lib/config/env";
import { store, type Store } from "@/lib/store";
import { parseConfiguredRegion, parseRegion } from "../validate";
import type { TrafficDeps } from "./deps";

/**
 * Every AWS call of a traffic view or change goes to a configured region (a mutation elsewhere is refused),
 * with one exception: a region where a plan is still running. A region removed from FLEETSCOPE_REGIONS while
 * a canary ran there must stay reachable so the runner can roll that canary back (runner.ts); new changes
 * there are refused before any call (changes.ts, app/api/traffic/route-helpers.ts).
 */
const reachable =
  <T>(s: Store, client: (region: string) => T) =>
  (region: string): T => {
    const configured = env().regions;
    if (configured.includes(region)) return client(region);
    const planned = s.plans.running().some((p) => p.spec.region === region);
    return client(planned ? parseRegion(region) : parseConfiguredRegion(region, configured));
  };

export const defaultTrafficDeps = (): TrafficDeps => {
  const s = store();
  return {
    lambda: reachable(s, lambdaFor),
    cloudwatch: reachable(s, cloudWatchFor),
    alarms: reachable(s, alarmsFor),
    logs: reachable(s, logsFor),
    store: s,
    now: systemClock.now,
    regions: env().regions,
    readOnly: env().readOnly,
  };
};
