/**
 * Builds one SandboxContext per account (its own fleet, simulator and quotas) and the directory that links them:
 * the management account, OAM monitoring links, and the long-term access keys that belong to other accounts.
 */
import { generateAccount } from "../fleet/generate";
import type { AccountDirectory, SandboxContext, SandboxQuotas } from "../http/types";
import { createSimulator } from "../sim/simulator";
import type { ResolvedAccount } from "./spec";

export interface MonitoringLinks {
  accountId: string;
  sourceAccountIds: string[];
}

export interface AccountSetup {
  accounts: ResolvedAccount[];
  /** False when the sandbox was started without `accounts`. */
  organization: boolean;
  monitoring?: MonitoringLinks;
  now: () => number;
  quotas: SandboxQuotas;
}

export interface BuiltDirectory {
  directory: AccountDirectory;
  /** Account id → its resolved spec (roles, name), in the order given. */
  specs: Map<string, ResolvedAccount>;
}

function checkMonitoring(links: MonitoringLinks, known: Map<string, ResolvedAccount>): void {
  if (!known.has(links.accountId))
    throw new RangeError(`monitoring.accountId ${links.accountId} is not one of the sandbox's accounts`);
  const seen = new Set<string>();
  for (const source of links.sourceAccountIds) {
    if (!known.has(source))
      throw new RangeError(`monitoring.sourceAccountIds: ${source} is not one of the sandbox's accounts`);
    if (source === links.accountId)
      throw new RangeError(`monitoring.sourceAccountIds: ${source} is the monitoring account itself`);
    if (seen.has(source)) throw new RangeError(`monitoring.sourceAccountIds: ${source} is listed twice`);
    seen.add(source);
  }
}

export function buildDirectory(setup: AccountSetup): BuiltDirectory {
  const specs = new Map(setup.accounts.map((a) => [a.id, a]));
  if (setup.monitoring) checkMonitoring(setup.monitoring, specs);
  const contexts = new Map<string, SandboxContext>();
  const directory: AccountDirectory = {
    management: setup.accounts[0]?.id ?? "",
    ids: () => [...specs.keys()],
    get: (id) => contexts.get(id),
    linkedSources: (id) =>
      setup.monitoring && setup.monitoring.accountId === id ? [...setup.monitoring.sourceAccountIds] : [],
    organization: setup.organization,
  };
  for (const spec of setup.accounts) {
    const account = generateAccount({
      seed: spec.seed,
      accountId: spec.id,
      functionsPerRegion: spec.functionsPerRegion,
      regions: spec.regions,
      accountConcurrency: spec.concurrentExecutions,
      nowMs: setup.now(),
    });
    contexts.set(spec.id, {
      account,
      now: setup.now,
      sim: createSimulator(account, { now: setup.now }),
      quotas: { ...setup.quotas },
      directory,
    });
  }
  return { directory, specs };
}
