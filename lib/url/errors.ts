/**
 * URL state of /errors beyond the shell's regions and range: `?fn=<function name>` narrows to one function and
 * `?region=<configured region>` to one region (the function page links with both). A value that is not a
 * function name or not a configured region is ignored and said (`problems`), never an error page.
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
  problems: UrlProblems<"fn" | "region">;
}

export function loadErrorsParams(params: UrlInput, configured: readonly string[]): ErrorsParams {
  const problems: ErrorsParams["problems"] = {};
  const rawFn = param(params, "fn")?.trim();
  const fn = rawFn ? FUNCTION_NAME.safeParse(rawFn) : undefined;
  if (fn && !fn.success)
    problems.fn = `"${rawFn?.slice(0, 80)}" is not a Lambda function name: showing every function.`;
  const rawRegion = param(params, "region")?.trim();
  const region = rawRegion && configured.includes(rawRegion) ? rawRegion : undefined;
  if (rawRegion && region === undefined)
    problems.region = `Region "${rawRegion.slice(0, 40)}" is not configured (${configured.join(", ")}).`;
  return {
    fn: fn?.success ? fn.data : undefined,
    region,
    regions: region ? [region] : loadRegions(params, configured).regions,
    problems,
  };
}

/** `/errors?fn=…&region=…`, keeping the shell's range (`linkQuery`, as shellQuery gives it). */
export function errorsHref(p: { region: string; fn: string }, linkQuery: string): string {
  const q = searchOf(linkQuery);
  q.delete("regions"); // `region` narrows further; a shell list would only be overridden.
  q.set("fn", p.fn);
  q.set("region", p.region);
  return `/errors?${q.toString()}`;
}
