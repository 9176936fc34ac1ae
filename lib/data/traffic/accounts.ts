/**
 * Which account a traffic request means, decided from the deps' accounts (read once per request): absent → the
 * default one (the first: home, else the first configured), a malformed id → InvalidInput, an account the console
 * does not read → NotFound. The same answers as lib/data/account-scopes.ts, without another read of the targets.
 */
import { isAccountId, type AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { invalidInput, notFound } from "@/lib/core/errors";
import type { TrafficDeps } from "./deps";

export function trafficAccount(
  deps: Pick<TrafficDeps, "accounts" | "accountsError">,
  raw: string | null | undefined,
): AccountTarget {
  if (deps.accounts.length === 0 && deps.accountsError !== undefined) throw deps.accountsError;
  const id = raw?.trim() ?? "";
  if (id === "") {
    const first = deps.accounts[0];
    if (!first) throw notFound("No account is configured to read (see the Accounts page).");
    return first;
  }
  if (!isAccountId(id)) throw invalidInput(`"${id.slice(0, 40)}" is not an AWS account id (12 digits).`);
  const target = deps.accounts.find((t) => t.id === id);
  if (!target)
    throw notFound(`Account ${id} is not one Fleetscope reads (see the Accounts page).`, { account: id });
  return target;
}

/** The scope of a request's `account` (absent: the default) and region. */
export const trafficScope = (
  deps: Pick<TrafficDeps, "accounts" | "accountsError">,
  raw: string | null | undefined,
  region: string,
): Scope => ({ account: trafficAccount(deps, raw).id, region });

/**
 * What an audit entry records about where a change went: the account, and the role it went through (null: the
 * console's own credentials). An account no longer read keeps its id; its role is then unknown (null).
 */
export function auditAccount(
  deps: Pick<TrafficDeps, "accounts">,
  account: string,
): { account: string; roleArn: string | null } {
  return { account, roleArn: deps.accounts.find((t) => t.id === account)?.roleArn ?? null };
}
