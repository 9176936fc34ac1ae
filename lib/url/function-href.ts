/**
 * Links to one function name its account too: `/functions/<region>/<name>?account=<id>` (the page reads an absent
 * `account` as the default account, so links from before accounts keep working). `linkQuery` is the shell's query
 * ("" or "?range=…") the link carries on.
 */
import type { FunctionRef } from "@/lib/core/accounts/scope";

/** The `account=` pair first, then the carried query: one "?" however the query came. */
export function withAccount(path: string, account: string, linkQuery = ""): string {
  const carried = linkQuery.startsWith("?") ? linkQuery.slice(1) : linkQuery;
  const query = new URLSearchParams(carried);
  query.delete("account");
  const rest = query.toString();
  return `${path}?account=${encodeURIComponent(account)}${rest ? `&${rest}` : ""}`;
}

export const functionHref = (
  f: Pick<FunctionRef, "region" | "name"> & { account: string },
  linkQuery = "",
): string =>
  withAccount(
    `/functions/${encodeURIComponent(f.region)}/${encodeURIComponent(f.name)}`,
    f.account,
    linkQuery,
  );
