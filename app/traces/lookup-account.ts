/**
 * The account a trace or request page reads (`?account=`, absent: the default one). A malformed id or an account
 * the console does not read is the page's 404, said as such: "not found" here, with the account's reason, not
 * "this is not a trace id", which would blame the id in the path.
 */
import "server-only";
import type { LookupOutcome } from "@/app/lookup-view";
import type { AccountTarget } from "@/lib/core/accounts";
import { isFleetscopeError } from "@/lib/core/errors";
import { accountFromParam } from "@/lib/data/account-scopes";

export type AccountLookup =
  { ok: true; target: AccountTarget } | { ok: false; failure: Extract<LookupOutcome, { ok: false }> };

export async function lookupAccount(raw: string | undefined): Promise<AccountLookup> {
  try {
    return { ok: true, target: await accountFromParam(raw) };
  } catch (e) {
    if (isFleetscopeError(e) && (e.code === "InvalidInput" || e.code === "NotFound"))
      return { ok: false, failure: { ok: false, code: "NotFound", message: e.message } };
    throw e;
  }
}
