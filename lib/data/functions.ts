/**
 * Use-cases for the Functions pages. Each account-region (scope) is loaded independently and cached/coalesced
 * per scope, so a slow or failing account or region degrades its own rows and never the page. A function is
 * named by its account, region and name together: live reads go through its account's role (`AccountTarget`).
 * A function's page reads what the collector's inventory holds (configuration, aliases, reserved and provisioned
 * concurrency, account settings) from the store, and only what it does not hold from AWS.
 * A store that cannot be read fails that account-region's listing (its outcome says why), never the page, and does not
 * fall back to AWS: every replica listing the fleet live while the store is down would multiply the AWS calls.
 * One function's page does fall back (a few requests, as for a function the collector has not listed yet).
 */
import "server-only";
import { lambdaFor, type LambdaPort } from "@/lib/aws/lambda";
import { env } from "@/lib/config/env";
import type { AccountTarget } from "@/lib/core/accounts";
import { scopeKey, type FunctionRef, type Scope } from "@/lib/core/accounts/scope";
import { mapWithConcurrency } from "@/lib/core/concurrency";
import { toOutcomeError, type Outcome } from "@/lib/core/errors";
import type { AccountSettings, Alias, FunctionConfig, ProvisionedConcurrency } from "@/lib/core/lambda/types";
import { store } from "@/lib/store";
import type { InventoryEntry, InventoryStore } from "@/lib/store/inventory";
import { cacheKey, createCache, type Cache } from "./cache";
import { functionLimits, type LimitUsage } from "./function-limits";
import type { FleetFunction } from "./function-rows";
import type { RequestMeter } from "./traces/meter";
import { parseConfiguredRegion, parseFunctionName, parseRegion } from "./validate";

type OutcomeError = ReturnType<typeof toOutcomeError>;

/** Per-function calls in flight per region: well under the ~15 req/s control-plane limit with SDK latency. */
const FAN_OUT = 6;

export interface Deps {
  /** The account's Lambda port (its role); null: the console's own credentials. */
  lambda: (region: string, account: AccountTarget | null) => LambdaPort;
  cache: Cache<unknown>;
  /** The collector's inventory; absent: everything is read from AWS. */
  inventory?: () => Pick<InventoryStore, "get" | "account" | "functions">;
}

let defaultCache: Cache<unknown> | undefined;
const defaultDeps = (): Deps => {
  defaultCache ??= createCache({ ttlMs: env().cacheTtlSeconds * 1000, maxEntries: 500 });
  const lambda = (region: string, account: AccountTarget | null) =>
    lambdaFor(parseConfiguredRegion(region, env().regions), account);
  return { lambda, cache: defaultCache, inventory: () => store().inventory };
};

/** One account in one region to list: the account as the console reaches it, and the region. */
export interface ListingScope {
  target: AccountTarget;
  region: string;
}

export interface RegionListing {
  account: string;
  region: string;
  outcome: Outcome<FleetFunction[]>;
}

export interface FleetListing {
  /** One entry per requested account-region, in request order, each loaded or failed on its own. */
  regions: RegionListing[];
  /** The functions of the account-regions that loaded. */
  functions: FleetFunction[];
}

const scopeOf = (target: AccountTarget, region: string): Scope => ({ account: target.id, region });

export async function listFleetFunctions(
  scopes: readonly ListingScope[],
  deps: Deps = defaultDeps(),
): Promise<FleetListing> {
  // A malformed region is the caller's mistake (InvalidInput), not one account-region's failure.
  const valid = scopes.map(({ target, region }) => ({ target, scope: scopeOf(target, parseRegion(region)) }));
  const listings = await Promise.all(
    valid.map(async ({ target, scope }): Promise<RegionListing> => {
      const { account, region } = scope;
      // Rows say their account (and its name): two accounts' same-named functions are two rows.
      const label = (f: FleetFunction): FleetFunction => ({ ...f, account, accountName: target.name });
      try {
        const stored = await storedRegionFunctions(deps, scope);
        if (stored) return { account, region, outcome: { ok: true, value: stored.map(label) } };
        const load = () => loadRegionFunctions(deps.lambda(region, target));
        const value = (await deps.cache.get(
          cacheKey({ region: scopeKey(scope), query: "functions" }),
          load,
        )) as FleetFunction[];
        return { account, region, outcome: { ok: true, value: value.map(label) } };
      } catch (e) {
        return { account, region, outcome: { ok: false, error: toOutcomeError(e) } };
      }
    }),
  );
  return { regions: listings, functions: listings.flatMap((l) => (l.outcome.ok ? l.outcome.value : [])) };
}

/**
 * The functions of an account-region from the collector's inventory (no AWS request), once it has listed it;
 * a function whose aliases it has not read yet shows them as unknown.
 */
async function storedRegionFunctions(deps: Deps, scope: Scope): Promise<FleetFunction[] | null> {
  const inventory = deps.inventory?.();
  if (!inventory || (await inventory.account(scope)) === null) return null;
  return (await inventory.functions(scope)).map((e) =>
    toFleetFunction(e.config, e.publishedVersions.length, e.details?.aliases ?? null),
  );
}

/**
 * The live path, before the collector has listed a region: one ListFunctions(ALL) pass gives every function with its published versions (fewer calls than one
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
  // Labelled with its account by listFleetFunctions (the configuration's ARN holds it too).
  account: "",
  accountName: null,
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
  /** The function's account (12 digits); `account` below is that account's Lambda settings. */
  accountId: string;
  region: string;
  config: FunctionConfig;
  /** Published versions, newest first; empty when they could not be read (then `versionsError` says why). */
  versions: FunctionConfig[];
  /** Why ListVersionsByFunction failed (AWS down, throttled past retries), or null: versions are live reads. */
  versionsError: OutcomeError | null;
  aliases: Alias[];
  reservedConcurrency: number | null;
  tags: Outcome<Record<string, string>>;
  provisioned: Outcome<ProvisionedConcurrency[]>;
  account: Outcome<AccountSettings>;
  limits: LimitUsage[];
  /**
   * Where configuration, aliases and concurrency come from: the collector's inventory (when it last listed the
   * function and read its details), or AWS for a function it has not listed yet. Versions and tags are live.
   */
  source: { kind: "store"; listedAt: number; detailsReadAt: number | null } | { kind: "live" };
}

const settle = async <T>(p: Promise<T>): Promise<Outcome<T>> => {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, error: toOutcomeError(e) };
  }
};

/** Listings page 50 items at a time by default (the Lambda port pages internally): requests for n items. */
const pagesFor = (n: number) => Math.max(1, Math.ceil(n / 50));

const newestFirst = (versions: readonly FunctionConfig[]) =>
  versions.filter((v) => v.version !== "$LATEST").sort((a, b) => Number(b.version) - Number(a.version));

/** The published versions, or why they could not be read: a failed listing degrades one panel, not the page. */
async function readVersions(
  lambda: LambdaPort,
  name: string,
  meter: RequestMeter | undefined,
): Promise<Pick<FunctionDetail, "versions" | "versionsError">> {
  const listed = await settle(lambda.listVersions(name));
  // A failed listing still cost its (first) request.
  meter?.record("ListVersionsByFunction", listed.ok ? pagesFor(listed.value.length) : 1);
  return listed.ok
    ? { versions: newestFirst(listed.value), versionsError: null }
    : { versions: [], versionsError: listed.error };
}

/** A detail with a live part missing is served once, not cached: the next view asks AWS again. */
const isDegraded = (d: FunctionDetail) => d.versionsError !== null || !d.tags.ok || !d.account.ok;

/**
 * Everything the function page shows. Throws NotFound for an unknown function, InvalidInput for bad input.
 * A function in the collector's inventory never fails here: its live parts (versions, tags) degrade alone.
 * `meter` counts the AWS requests this call makes (none when the answer comes from the cache).
 */
export async function getFunctionDetail(
  target: AccountTarget,
  region: string,
  name: string,
  deps: Deps = defaultDeps(),
  meter?: RequestMeter,
): Promise<FunctionDetail> {
  const scope = scopeOf(target, parseRegion(region));
  const n = parseFunctionName(name);
  const key = detailKey({ ...scope, name: n });
  const load = async (): Promise<FunctionDetail> => {
    const entry = await storedEntry(deps, scope, n);
    const detail = entry
      ? await fromInventory(target, scope, entry, deps, meter)
      : await live(scope, n, deps.lambda(scope.region, target), meter);
    // Drop our own (still in-flight) entry: callers that joined this load share it, later ones retry.
    if (isDegraded(detail)) deps.cache.invalidate((k) => k === key);
    return detail;
  };
  return (await deps.cache.get(key, load)) as FunctionDetail;
}

type StoredEntry = InventoryEntry & { details: NonNullable<InventoryEntry["details"]> };

/** The function's stored entry; null when not stored, or when the store cannot answer (then read live). */
async function storedEntry(deps: Deps, scope: Scope, name: string): Promise<StoredEntry | null> {
  let entry: InventoryEntry | null;
  try {
    entry = (await deps.inventory?.().get(scope, name)) ?? null;
  } catch {
    return null;
  }
  return entry?.details ? { ...entry, details: entry.details } : null;
}

/** What a function page needs before it streams anything: enough to answer 404 and start its telemetry. */
export interface FunctionHead {
  accountId: string;
  region: string;
  config: FunctionConfig;
  aliases: Alias[];
  provisioned: Outcome<ProvisionedConcurrency[]>;
  source: FunctionDetail["source"];
  /** The whole detail; for a stored function it still awaits its live reads (versions, tags). */
  detail: Promise<FunctionDetail>;
}

/**
 * The cheap first step of a function page. A function in the collector's inventory is known without any AWS
 * request (the rest loads behind `detail`); any other is read live in full here, so NotFound, or why AWS could
 * not answer, is known before the page commits to a status code.
 */
export async function openFunctionDetail(
  target: AccountTarget,
  region: string,
  name: string,
  deps: Deps = defaultDeps(),
  meter?: RequestMeter,
): Promise<FunctionHead> {
  const scope = scopeOf(target, parseRegion(region));
  const n = parseFunctionName(name);
  const entry = await storedEntry(deps, scope, n);
  if (entry) {
    const { config, details } = entry;
    return {
      accountId: scope.account,
      region: scope.region,
      config,
      aliases: details.aliases,
      provisioned: { ok: true, value: details.provisioned },
      source: sourceOf(entry),
      detail: getFunctionDetail(target, scope.region, n, deps, meter),
    };
  }
  const detail = await getFunctionDetail(target, scope.region, n, deps, meter);
  return { ...detail, detail: Promise.resolve(detail) };
}

const sourceOf = (entry: StoredEntry): FunctionDetail["source"] => ({
  kind: "store",
  listedAt: entry.listedAt,
  detailsReadAt: entry.detailsReadAt,
});

/**
 * The stored $LATEST configuration and details; live only what the inventory does not keep: the published
 * versions (ListVersionsByFunction) and the tags (ListTags: ListFunctions does not return them). Account
 * settings are read live only when the collector has not stored them yet.
 */
async function fromInventory(
  target: AccountTarget,
  scope: Scope,
  entry: StoredEntry,
  deps: Deps,
  meter: RequestMeter | undefined,
): Promise<FunctionDetail> {
  const { config, details } = entry;
  const lambda = deps.lambda(scope.region, target);
  const stored = await storedAccount(deps, scope);
  const [versions, tags, account] = await Promise.all([
    readVersions(lambda, config.name, meter),
    settle(lambda.listTags(config.arn)),
    stored ? ({ ok: true, value: stored.settings } as const) : settle(lambda.getAccountSettings()),
  ]);
  meter?.record("ListTags");
  if (!stored) meter?.record("GetAccountSettings");
  return {
    accountId: scope.account,
    region: scope.region,
    config,
    ...versions,
    aliases: details.aliases,
    reservedConcurrency: details.reservedConcurrency,
    tags,
    provisioned: { ok: true, value: details.provisioned },
    account,
    limits: functionLimits(config, details.reservedConcurrency, account.ok ? account.value : null),
    source: sourceOf(entry),
  };
}

/** The stored account settings; null when not stored, or when the store cannot answer now (then read live). */
async function storedAccount(deps: Deps, scope: Scope) {
  try {
    return (await deps.inventory?.().account(scope)) ?? null;
  } catch {
    return null;
  }
}

/** A function the collector has not listed yet (just deployed): everything from AWS. */
async function live(
  scope: Scope,
  name: string,
  lambda: LambdaPort,
  meter: RequestMeter | undefined,
): Promise<FunctionDetail> {
  // GetFunction first: it answers NotFound before we spend four more calls.
  meter?.record("GetFunction");
  const fn = await lambda.getFunction(name);
  const [versions, aliases, provisioned, account] = await Promise.all([
    readVersions(lambda, name, meter),
    lambda.listAliases(name),
    settle(lambda.listProvisionedConcurrency(name)),
    settle(lambda.getAccountSettings()),
  ]);
  meter?.record("ListAliases", pagesFor(aliases.length));
  meter?.record("ListProvisionedConcurrencyConfigs");
  meter?.record("GetAccountSettings");
  return {
    accountId: scope.account,
    region: scope.region,
    config: fn.config,
    ...versions,
    aliases,
    reservedConcurrency: fn.reservedConcurrency,
    tags: { ok: true, value: fn.tags },
    provisioned,
    account,
    limits: functionLimits(fn.config, fn.reservedConcurrency, account.ok ? account.value : null),
    source: { kind: "live" },
  };
}

/** One function's detail cache key: by account, region and name (functionRefKey), never the name alone. */
const detailKey = (f: FunctionRef) => cacheKey({ region: scopeKey(f), query: `function:${f.name}` });

/**
 * After a write (e.g. an alias update), drop what was cached about that function and its account-region
 * listing; another account's same-named function keeps its entry.
 */
export function invalidateFunction(f: FunctionRef, deps: Deps = defaultDeps()): void {
  deps.cache.invalidate(
    (key) => key === detailKey(f) || key === cacheKey({ region: scopeKey(f), query: "functions" }),
  );
}
