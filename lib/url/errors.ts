/**
 * URL state of /errors beyond the shell's accounts, regions and range: `?fn=<function name>` narrows to one
 * function, `?region=<configured region>` to one region and `?account=<id>` to one account (the function page
 * links with all three: a function is its account, region and name). A value that is not a function name, not a
 * configured region or not an account the console reads is ignored and said (`problems`), never an error page.
 */
import { z } from "zod";
import { param, searchOf, type UrlInput, type UrlProblems } from "./params";
import { loadRegions } from "./shell";

const FUNCTION_NAME = z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/);

export interface ErrorsParams {
  fn: string | undefined;
  /** The one region asked in `?region=`, if it is configured. */
  region: string | undefined;
  /** The regions to read: the one asked in `?region=`, else the shell's. */
  regions: string[];
  /** The one account asked in `?account=`, if the console reads it; undefined: the shell's accounts. */
  account: string | undefined;
  problems: UrlProblems<"fn" | "region" | "account">;
}

/** `readAccounts`: the ids of the accounts the console reads (an `account=` outside them is said and ignored). */
export function loadErrorsParams(
  params: UrlInput,
  configured: readonly string[],
  readAccounts: readonly string[] = [],
): ErrorsParams {
  const problems: ErrorsParams["problems"] = {};
  const rawFn = param(params, "fn")?.trim();
  const fn = rawFn ? FUNCTION_NAME.safeParse(rawFn) : undefined;
  if (fn && !fn.success)
    problems.fn = `"${rawFn?.slice(0, 80)}" is not a Lambda function name: showing every function.`;
  const rawRegion = param(params, "region")?.trim();
  const region = rawRegion && configured.includes(rawRegion) ? rawRegion : undefined;
  if (rawRegion && region === undefined)
    problems.region = `Region "${rawRegion.slice(0, 40)}" is not configured (${configured.join(", ")}).`;
  const rawAccount = param(params, "account")?.trim();
  const account = rawAccount && readAccounts.includes(rawAccount) ? rawAccount : undefined;
  if (rawAccount && account === undefined)
    problems.account = /^\d{12}$/.test(rawAccount)
      ? `Account ${rawAccount} is not one Fleetscope reads (see the Accounts page): showing every selected account.`
      : `"${rawAccount.slice(0, 40)}" is not an AWS account id (12 digits): showing every selected account.`;
  return {
    fn: fn?.success ? fn.data : undefined,
    region,
    regions: region ? [region] : loadRegions(params, configured).regions,
    account,
    problems,
  };
}

/** `/errors?fn=…&region=…&account=…`, keeping the shell's range (`linkQuery`, as shellQuery gives it). */
export function errorsHref(p: { account: string; region: string; fn: string }, linkQuery: string): string {
  const q = searchOf(linkQuery);
  // `region` and `account` narrow further; shell lists would only be overridden.
  q.delete("regions");
  q.delete("accounts");
  q.set("fn", p.fn);
  q.set("region", p.region);
  q.set("account", p.account);
  return `/errors?${q.toString()}`;
}
