/**
 * A function page's address checked before any AWS call: its region and name, and its `?account=`. A malformed
 * account id or one the console does not read is the address's fault like a bad region (each said in words);
 * failing to learn which accounts the console reads (STS or Organizations down) is AWS's, kept apart.
 */
import type { AccountTarget } from "@/lib/core/accounts";
import { isFleetscopeError, type FleetscopeError } from "@/lib/core/errors";

export type FunctionAddress =
  | { kind: "ok"; target: AccountTarget }
  | { kind: "invalid"; problems: string[] }
  | { kind: "unavailable"; error: FleetscopeError };

/** Runs every check (all problems are said at once); `account` resolves the URL's `account` param. */
export async function checkFunctionAddress(
  checks: readonly (() => unknown)[],
  account: () => Promise<AccountTarget>,
): Promise<FunctionAddress> {
  const problems: string[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (e) {
      if (isFleetscopeError(e) && e.code === "InvalidInput") problems.push(e.message);
      else throw e;
    }
  }
  try {
    const target = await account();
    return problems.length > 0 ? { kind: "invalid", problems } : { kind: "ok", target };
  } catch (e) {
    if (!isFleetscopeError(e)) throw e;
    if (e.code !== "InvalidInput" && e.code !== "NotFound") return { kind: "unavailable", error: e };
    return { kind: "invalid", problems: [...problems, e.message] };
  }
}
