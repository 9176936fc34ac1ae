/**
 * What fleet-wide pages read: the selected accounts (of those the console reads, `?accounts=`) × the selected
 * regions, each pair with its account's target (its role for live reads, its name for the Account column).
 */
import "server-only";
import type { AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { toOutcomeError } from "@/lib/core/errors";
import { accountTargets } from "../accounts";

export interface FleetAccounts {
  /** Every account the console reads; [] when they cannot be decided (then `error` says why). */
  targets: AccountTarget[];
  error: { code: string; message: string } | null;
}

/** The accounts the console reads, settled: a page that cannot decide them says why instead of failing. */
export async function fleetAccounts(): Promise<FleetAccounts> {
  try {
    return { targets: await accountTargets(), error: null };
  } catch (e) {
    return { targets: [], error: toOutcomeError(e) };
  }
}

export type TargetScope = Scope & { target: AccountTarget };

/** Account-major pairs of the selected accounts (in the targets' order) and regions. */
export function fleetScopes(
  targets: readonly AccountTarget[],
  selected: readonly string[],
  regions: readonly string[],
): TargetScope[] {
  return targets
    .filter((t) => selected.includes(t.id))
    .flatMap((target) => regions.map((region) => ({ account: target.id, region, target })));
}
