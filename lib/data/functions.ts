/**
 * Use-cases for the Functions pages. Each region is loaded independently and cached/coalesced per region, so a
 * slow or failing region degrades its own rows and never the page.
 */
import "server-only";
import { lambdaFor, type LambdaPort } from "@/lib/aws/lambda";
import { env } from "@/lib/config/env";
import { mapWithConcurrency } from "@/lib/core/concurrency";
import { toOutcomeError, type Outcome } from "@/lib/core/errors";
import type { AccountSettings, Alias, FunctionConfig, ProvisionedConcurrency } from "@/lib/core/lambda/types";
import { cacheKey, createCache, type Cache } from "./cache";
import { functionLimits, type LimitUsage } from "./function-limits";
import type { FleetFunction } from "./function-rows";
import { parseFunctionName, parseRegion } from "./validate";

/** Per-function calls in flight per region: well under the ~15 req/s control-plane limit with SDK latency. */
const FAN_OUT = 6;

export interface Deps {
  lambda: (region: string) => LambdaPort;
  cache: Cache<unknown>;
}

let defaultCache: Cache<unknown> | undefined;
const defaultDeps = (): Deps => {
  defaultCache ??= createCache({ ttlMs: env().cacheTtlSeconds * 1000, maxEntries: 500 });
  return { lambda: lambdaFor, cache: defaultCache };
};

export interface RegionListing {
  region: string;
  outcome: Outcome<FleetFunction[]>;
}

export interface FleetListing {
  /** One entry per requested region, in request order, each loaded or failed on its own. */
  regions: RegionListing[];
  /** The functions of the regions that loaded. */
  functions: FleetFunction[];
}

export async function listFleetFunctions(
  regions: readonly string[],
  deps: Deps = defaultDeps(),
): Promise<FleetListing> {
  const valid = regions.map(parseRegion);
  const listings = await Promise.all(
    valid.map(async (region): Promise<RegionListing> => {
      try {
        const load = () => loadRegionFunctions(deps.lambda(region));
        const value = (await deps.cache.get(
          cacheKey({ region, query: "functions" }),
          load,
        )) as FleetFunction[];
        return { region, outcome: { ok: true, value } };
      } catch (e) {
        return { region, outcome: { ok: false, error: toOutcomeError(e) } };
      }
    }),
  );
  return { regions: listings, functions: listings.flatMap((l) => (l.outcome.ok ? l.outcome.value : [])) };
}

/**
 * One ListFunctions(ALL) pass gives every function with its published versions (fewer calls than one
 * ListVersionsByFunction per function); aliases need one ListAliases per function, bounded by FAN_OUT.
 */
async function loadRegionFunctions(lambda: LambdaPort): Promise<FleetFunction[]> {
  const all = await lambda.listFunctions({ allVersions: true });
  const byName = new Map<string, { latest?: FunctionConfig; published: number; any: FunctionConfig }>();
  for (const c of all) {
    const entry = byName.get(c.name) ?? { published: 0, any: c };
    if (c.version === "$LATEST") entry.latest = c;
    else entry.published += 1;
    byName.set(c.name, entry);
  }
  const functions = [...byName.values()];
  return mapWithConcurrency(functions, FAN_OUT, async ({ latest, any, published }) => {
    const config = latest ?? any;
    let aliases: Alias[] | null;
    try {
      aliases = await lambda.listAliases(config.name);
    } catch {
      // One function's aliases failing (throttled past retries, deleted meanwhile) leaves the row, marked.
      aliases = null;
    }
    return toFleetFunction(config, published, aliases);
  });
}

const toFleetFunction = (
  c: FunctionConfig,
  versionsCount: number,
  aliases: Alias[] | null,
): FleetFunction => ({
  region: c.region,
  name: c.name,
  description: c.description,
  runtime: c.runtime,
  packageType: c.packageType,
  architecture: c.architecture,
  memoryMb: c.memory,
  timeoutSeconds: c.timeout,
  codeSizeBytes: c.codeSize,
  lastModified: c.lastModified,
  versionsCount,
  aliases,
});

export interface FunctionDetail {
  region: string;
  config: FunctionConfig;
  /** Published versions, newest first. */
  versions: FunctionConfig[];
  aliases: Alias[];
  reservedConcurrency: number | null;
  tags: Record<string, string>;
  provisioned: Outcome<ProvisionedConcurrency[]>;
  account: Outcome<AccountSettings>;
  limits: LimitUsage[];
}

const settle = async <T>(p: Promise<T>): Promise<Outcome<T>> => {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, error: toOutcomeError(e) };
  }
};

/** Everything the function page shows. Throws NotFound for an unknown function, InvalidInput for bad input. */
export async function getFunctionDetail(
  region: string,
  name: string,
  deps: Deps = defaultDeps(),
): Promise<FunctionDetail> {
  const r = parseRegion(region);
  const n = parseFunctionName(name);
  const load = async (): Promise<FunctionDetail> => {
    const lambda = deps.lambda(r);
    // GetFunction first: it answers NotFound before we spend four more calls.
    const fn = await lambda.getFunction(n);
    const [versions, aliases, provisioned, account] = await Promise.all([
      lambda.listVersions(n),
      lambda.listAliases(n),
      settle(lambda.listProvisionedConcurrency(n)),
      settle(lambda.getAccountSettings()),
    ]);
    const published = versions
      .filter((v) => v.version !== "$LATEST")
      .sort((a, b) => Number(b.version) - Number(a.version));
    return {
      region: r,
      config: fn.config,
      versions: published,
      aliases,
      reservedConcurrency: fn.reservedConcurrency,
      tags: fn.tags,
      provisioned,
      account,
      limits: functionLimits(fn.config, fn.reservedConcurrency, account.ok ? account.value : null),
    };
  };
  return (await deps.cache.get(cacheKey({ region: r, query: `function:${n}` }), load)) as FunctionDetail;
}

/** After a write (e.g. an alias update), drop what was cached about that function and its region listing. */
export function invalidateFunction(region: string, name: string, deps: Deps = defaultDeps()): void {
  deps.cache.invalidate(
    (key) =>
      key === cacheKey({ region, query: `function:${name}` }) ||
      key === cacheKey({ region, query: "functions" }),
  );
}
