/**
 * URL state of the service map: `/map?account=<id>&region=us-east-1&function=payments-api` (function optional: the
 * whole region's graph; account absent: the default account, resolved by lib/data/account-scopes). The range
 * comes from the shell (./shell.ts). An unconfigured region falls back to the first configured one and is said
 * (`problems`).
 */
import { withAccount } from "./function-href";
import { param, type UrlInput, type UrlProblems } from "./params";

export interface MapParams {
  /** As typed (trimmed); undefined when absent or blank. */
  account: string | undefined;
  region: string;
  /** As typed; validated by the use-case (an invalid name is said on the page). */
  functionName: string | undefined;
  problems: UrlProblems<"region">;
}

export function loadMapParams(params: UrlInput, regions: readonly string[]): MapParams {
  const asked = param(params, "region");
  const region = asked !== undefined && regions.includes(asked) ? asked : (regions[0] ?? "us-east-1");
  return {
    account: param(params, "account")?.trim() || undefined,
    region,
    functionName: param(params, "function")?.trim() || undefined,
    problems:
      asked !== undefined && asked !== region
        ? { region: `Region "${asked.slice(0, 40)}" is not configured: showing ${region}.` }
        : {},
  };
}

export const mapHref = (where: { account: string; region: string }, functionName?: string) =>
  withAccount(
    "/map",
    where.account,
    new URLSearchParams({
      region: where.region,
      ...(functionName ? { function: functionName } : {}),
    }).toString(),
  );
