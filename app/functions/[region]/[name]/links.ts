/**
 * Where the function page links out, each carrying the function's account: pages about the function (its service
 * map, its errors) take `account=`, the fleet-wide advisor is narrowed to that account with the shell's `accounts=`.
 * `shell` is the shell's query ("" or "?range=…", as shellQuery gives it).
 */
import type { FunctionRef } from "@/lib/core/accounts/scope";
import { errorsHref } from "@/lib/url/errors";
import { withAccount } from "@/lib/url/function-href";

/** A fleet-wide page narrowed to one account (`accounts=<id>` in place of any selection it carried). */
export function inAccount(href: string, account: string): string {
  const [path = "", query = ""] = href.split("?", 2);
  const q = new URLSearchParams(query);
  q.set("accounts", account);
  return `${path}?${q.toString()}`;
}

/** The function's service map over the page's own range. */
export function serviceMapHref(fn: FunctionRef, shell: string): string {
  const q = new URLSearchParams(shell.startsWith("?") ? shell.slice(1) : shell);
  q.set("region", fn.region);
  q.set("function", fn.name);
  return withAccount("/map", fn.account, `?${q.toString()}`);
}

/** The function's error groups: one account, one region, one function. */
export const functionErrorsHref = (fn: FunctionRef, shell: string): string =>
  errorsHref({ account: fn.account, region: fn.region, fn: fn.name }, shell);

/** The advisor, narrowed to the function's account. */
export const functionAdvisorHref = (fn: FunctionRef, shell: string): string =>
  inAccount(`/advisor${shell}`, fn.account);
