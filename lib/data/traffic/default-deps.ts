import { systemClock } from "@/lib/config/clock";
import "server-only";
import { alarmsFor } from "@/lib/aws/cloudwatch-alarms";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { lambdaFor } from "@/lib/aws/lambda";
import { logsFor } from "@/lib/aws/logs";
import { env } from "@/lib/config/env";
import type { AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { store } from "@/lib/store";
import { accountTargets } from "../accounts";
import { defaultTarget } from "../account-scopes";
import { parseConfiguredRegion, parseRegion } from "../validate";
import { trafficAccount } from "./accounts";
import type { TrafficDeps } from "./deps";

/**
 * Every AWS call of a traffic view or change goes to a configured region of an account the console reads (a
 * mutation elsewhere is refused), through that account's credentials (its role: lib/aws/credentials.ts), with
 * one exception: a region where a plan is still running. A region removed from FLEETSCOPE_REGIONS while a canary
 * ran there must stay reachable so the runner can roll that canary back (runner.ts); new changes there are
 * refused before any call (changes.ts, app/api/traffic/route-helpers.ts). The running plans' regions are read
 * once per deps (one request, one runner tick); a store that cannot say leaves only the configured regions
 * reachable, the safe side.
 */
const reachable =
  <T>(
    planned: ReadonlySet<string>,
    targets: { accounts: readonly AccountTarget[]; error: unknown },
    client: (region: string, account: AccountTarget) => T,
  ) =>
  (scope: Scope): T => {
    const target = trafficAccount(
      { accounts: targets.accounts, accountsError: targets.error },
      scope.account,
    );
    const configured = env().regions;
    const region = scope.region;
    if (configured.includes(region)) return client(region, target);
    return client(
      planned.has(region) ? parseRegion(region) : parseConfiguredRegion(region, configured),
      target,
    );
  };

/** The accounts read, the default one first (what a request without `account` means). */
async function orderedTargets(): Promise<AccountTarget[]> {
  const [targets, first] = await Promise.all([accountTargets(), defaultTarget()]);
  return [first, ...targets.filter((t) => t.id !== first.id)];
}

export const defaultTrafficDeps = async (): Promise<TrafficDeps> => {
  const s = store();
  const [running, targets] = await Promise.all([
    s.plans.running().catch(() => []),
    // Not fatal here: a request's input is validated before any account is used, and the store still answers.
    orderedTargets().then(
      (accounts) => ({ accounts, error: undefined }),
      (error: unknown) => ({ accounts: [] as AccountTarget[], error }),
    ),
  ]);
  const { accounts, error } = targets;
  const planned = new Set(running.map((p) => p.spec.region));
  return {
    lambda: reachable(planned, targets, lambdaFor),
    cloudwatch: reachable(planned, targets, cloudWatchFor),
    alarms: reachable(planned, targets, alarmsFor),
    logs: reachable(planned, targets, (region, account) => logsFor(region, undefined, account)),
    store: s,
    now: systemClock.now,
    regions: env().regions,
    accounts,
    ...(error !== undefined ? { accountsError: error } : {}),
    readOnly: env().readOnly,
  };
};
