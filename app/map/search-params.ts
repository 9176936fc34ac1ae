/**
 * URL state of the service map: `/map?region=us-east-1&function=payments-api` (function optional: the whole
 * region's graph). The range comes from the shell (app/search-params.ts), like every page.
 */
import { first, type SearchParams } from "@/app/search-params";

export interface MapParams {
  region: string;
  /** As typed; validated by the use-case (an invalid name is said on the page). */
  functionName: string | undefined;
}

export function parseMapParams(sp: SearchParams, regions: readonly string[]): MapParams {
  const asked = first(sp.region);
  const region = asked !== undefined && regions.includes(asked) ? asked : (regions[0] ?? "us-east-1");
  return { region, functionName: first(sp.function)?.trim() || undefined };
}

export const mapHref = (region: string, functionName?: string) =>
  `/map?${new URLSearchParams({ region, ...(functionName ? { function: functionName } : {}) })}`;
