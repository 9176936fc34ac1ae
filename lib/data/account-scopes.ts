/**
 * From an account id (a URL's `account`, a stored row's) to the account the console reads, and the account a
 * link without one means. Every view that reads one function, trace, request or alias goes through here, so an id
 * the console does not read is refused the same way everywhere.
 */
import "server-only";
import { isAccountId, type AccountTarget } from "@/lib/core/accounts";
import { invalidInput, notFound } from "@/lib/core/errors";
import { accountTargets } from "./accounts";

/**
 * The account a URL without `account=` means: the console's own (home) account when it reads it, else the first
 * configured one. Links from before accounts (and single-account consoles) keep meaning what they meant.
 */
export async function defaultTarget(): Promise<AccountTarget> {
  const targets = await accountTargets();
  const home = targets.find((t) => t.source === "home");
  const chosen = home ?? targets[0];
  if (!chosen)
    throw notFound(
      "No account is configured to read (FLEETSCOPE_ACCOUNT_ROLES or the organization's filters leave none).",
    );
  return chosen;
}

/** The account with this id among those the console reads: InvalidInput for a malformed id, NotFound otherwise. */
export async function targetFor(id: string): Promise<AccountTarget> {
  if (!isAccountId(id)) throw invalidInput(`"${id.slice(0, 40)}" is not an AWS account id (12 digits).`);
  const target = (await accountTargets()).find((t) => t.id === id);
  if (!target)
    throw notFound(`Account ${id} is not one Fleetscope reads (see the Accounts page).`, { account: id });
  return target;
}

/** A URL's `account` param: absent or blank → the default account; otherwise that account, or a coded error. */
export const accountFromParam = (raw: string | undefined | null): Promise<AccountTarget> =>
  raw === undefined || raw === null || raw.trim() === "" ? defaultTarget() : targetFor(raw.trim());
