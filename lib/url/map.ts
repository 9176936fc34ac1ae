/**
 * URL state of the service map: `/map?region=us-east-1&function=payments-api` (function optional: the whole
 * region's graph). The range comes from the shell (./shell.ts). An unconfigured region falls back to the first
 * configured one and is said (`problems`).
 */
import { param, type UrlInput, type UrlProblems } from "./params";

export interface MapParams {
  region: string;
  /** As typed; validated by the use-case (an invalid name is said on the page). */
  functionName: string | undefined;
  problems: UrlProblems<"region">;
}

export function loadMapParams(params: UrlInput, regions: readonly string[]): MapParams {
  const asked = param(params, "region");
  const region = asked !== undefined && regions.includes(asked) ? asked : (regions[0] ?? "us-east-1");
  return {
    region,
    functionName: param(params, "function")?.trim() || undefined,
    problems:
      asked !== undefined && asked !== region
        ? { region: `Region "${asked.slice(0, 40)}" is not configured: showing ${region}.` }
        : {},
  };
}

export const mapHref = (region: string, functionName?: string) =>
  `/map?${new URLSearchParams({ region, ...(functionName ? { function: functionName } : {}) })}`;
