/**
 * Which versions a function's traffic reaches in a given minute.
 *
 * Invariants:
 * - An alias change is in force for minutes starting at or after its `fromMs` (model.ts AliasChange); before the
 *   first entry the first entry applies (the alias existed when the function started receiving traffic).
 * - Unqualified traffic (`viaAlias: null`) runs `$LATEST`; an unknown alias also falls back to `$LATEST`.
 * - At most two targets: index 0 is the alias's functionVersion, index 1 the additional version.
 * - A Lambda@Edge replica (fn.replicaOf) runs the numbered version CloudFront is associated with, unqualified by
 *   any alias (CloudFront invokes a version ARN).
 */
import type { Alias, AliasRoutingState, FunctionVersion, SimFunction } from "../fleet/model";

export interface RoutingAtMinute {
  alias: string | null;
  /** Executed versions: [primary] or [primary, additional]. */
  versions: string[];
  /** Share of traffic going to the additional version (0 when there is none). */
  additionalWeight: number;
}

export function routingEntryAt(alias: Alias, minuteMs: number): AliasRoutingState {
  const history = alias.history;
  let current = history[0]!;
  for (const entry of history) {
    if (entry.fromMs <= minuteMs) current = entry;
    else break;
  }
  return current;
}

export function routingAt(fn: SimFunction, minuteMs: number): RoutingAtMinute {
  if (fn.replicaOf) return { alias: null, versions: [fn.replicaOf.version], additionalWeight: 0 };
  const aliasName = fn.traffic.viaAlias;
  const alias = aliasName === null ? undefined : fn.aliases.find((a) => a.name === aliasName);
  if (!alias || alias.history.length === 0)
    return { alias: null, versions: ["$LATEST"], additionalWeight: 0 };
  const entry = routingEntryAt(alias, minuteMs);
  const add = entry.additional;
  if (!add || add.weight <= 0 || add.version === entry.functionVersion) {
    return { alias: alias.name, versions: [entry.functionVersion], additionalWeight: 0 };
  }
  return {
    alias: alias.name,
    versions: [entry.functionVersion, add.version],
    additionalWeight: Math.min(1, add.weight),
  };
}

export function versionConfig(fn: SimFunction, version: string): FunctionVersion {
  if (version === "$LATEST") return fn.latest;
  return fn.versions.find((v) => v.version === version) ?? fn.latest;
}

/**
 * Provisioned environments serving `version` when invoked through `alias`: configs on the alias name or on the
 * version number itself. AWS rejects provisioned concurrency on a weighted alias, so the additional version never
 * gets it here.
 */
export function provisionedFor(
  fn: SimFunction,
  alias: string | null,
  version: string,
  isAdditional: boolean,
): number {
  if (isAdditional) return 0;
  let total = 0;
  for (const p of fn.provisioned)
    if (p.qualifier === version || (alias !== null && p.qualifier === alias)) total += p.requested;
  return total;
}

export function provisionedTotal(fn: SimFunction): number {
  let total = 0;
  for (const p of fn.provisioned) total += p.requested;
  return total;
}

/** Whether `r` is still the routing in force at `minuteMs` (allocation-free check for cache hits). */
export function routingMatches(fn: SimFunction, minuteMs: number, r: RoutingAtMinute): boolean {
  if (fn.replicaOf) return r.alias === null && r.versions[0] === fn.replicaOf.version;
  const aliasName = fn.traffic.viaAlias;
  const alias = aliasName === null ? undefined : fn.aliases.find((a) => a.name === aliasName);
  if (!alias || alias.history.length === 0) return r.alias === null && r.versions[0] === "$LATEST";
  if (r.alias !== alias.name) return false;
  const entry = routingEntryAt(alias, minuteMs);
  if (entry.functionVersion !== r.versions[0]) return false;
  const add = entry.additional;
  const effective = add && add.weight > 0 && add.version !== entry.functionVersion ? add : null;
  if (!effective) return r.versions.length === 1;
  return r.versions[1] === effective.version && r.additionalWeight === Math.min(1, effective.weight);
}
