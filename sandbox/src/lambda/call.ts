/** One routed Lambda request, as every operation file sees it (the router is handler.ts). */
import type { RegionState, SimFunction } from "../fleet/model";
import type { SandboxContext, SandboxRequest, SandboxResponse } from "../http/types";
import { notFound } from "./errors";
import { functionArn, resolveFunction } from "./names";
import type { RenderScope } from "./render";

export interface Call {
  req: SandboxRequest;
  ctx: SandboxContext;
  /** The path's captured segments, still URI-encoded. */
  params: string[];
  scope: RenderScope;
  region: RegionState;
}

export interface Route {
  method: string;
  pattern: RegExp;
  operation: string;
  /** Extra query condition (ListProvisionedConcurrencyConfigs is the `?List=ALL` form of its path). */
  when?: (q: URLSearchParams) => boolean;
  run(c: Call): SandboxResponse;
}

/** A FunctionName path segment in a route pattern. */
export const FN = "([^/]+)";

/** A path segment (FunctionName, UUID, …) decoded. */
export const param = (c: Call, i: number) => decodeURIComponent(c.params[i] ?? "");

/** `{ NextMarker }` when there is a next page, else nothing (AWS leaves the member out). */
export const nextMarker = (marker: string | null) => (marker ? { NextMarker: marker } : {});

/** Functions sorted by name, cached per region (functions are never added or removed at runtime). */
const sortedCache = new WeakMap<RegionState, SimFunction[]>();
export function sortedFunctions(region: RegionState): SimFunction[] {
  let list = sortedCache.get(region);
  if (!list) {
    list = [...region.functions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    sortedCache.set(region, list);
  }
  return list;
}

/**
 * The function a path's FunctionName names, with its qualifier (from the name or `?Qualifier=`), which must be
 * $LATEST, a published version or an alias of it: otherwise "Function not found" with the qualified ARN.
 */
export function qualifiedTarget(c: Call): { fn: SimFunction; qualifier: string | null } {
  const { fn, qualifier } = resolveFunction(c.ctx.account, c.scope.region, param(c, 0), {
    allowQualifier: true,
    qualifierParam: c.req.query.get("Qualifier"),
  });
  const exists =
    qualifier === null ||
    qualifier === "$LATEST" ||
    fn.versions.some((v) => v.version === qualifier) ||
    fn.aliases.some((a) => a.name === qualifier);
  if (!exists)
    throw notFound(
      `Function not found: ${functionArn(c.scope.region, c.scope.accountId, fn.name, qualifier)}`,
    );
  return { fn, qualifier };
}

/** The function a path's FunctionName names, refusing any qualifier (operations on the whole function). */
export const unqualifiedTarget = (c: Call): SimFunction =>
  resolveFunction(c.ctx.account, c.scope.region, param(c, 0), { allowQualifier: false }).fn;
