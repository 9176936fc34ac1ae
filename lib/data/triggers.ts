/**
 * How one function is invoked: its event source mappings, the push sources its resource policy allows, its
 * function URL, its async delivery (event invoke config and dead-letter queue) and its recursion setting,
 * with the problems visible from that configuration alone.
 *
 * Store first: the collector keeps every function's reading (lib/collector/triggers.ts). A stored part is served
 * when the reading is fresh — read at the function's current RevisionId (the inventory's) and within
 * STORED_READING_MAX_AGE_MS — and the part loaded; mappings come from the region-wide listing when it is within
 * STORED_LISTING_MAX_AGE_MS. Every other part is read live, as before the store held them: a fresh store costs
 * a view no AWS request. `collectedAt` says how old the stored parts are; `liveParts` which were read now. A store
 * that cannot answer serves nothing: every part is read live (one function's few calls, cached like any).
 *
 * Each part is its own AWS call and settles on its own: a throttled GetPolicy leaves the mappings shown.
 * GetPolicy has a rate limit of its own, so a whole reading is cached per function (one set of calls per
 * view at most, none for views within the cache's TTL); a reading with a failed part is not kept, so the
 * next view asks again.
 *
 * A function is its account's: live calls go through that account's role (lambdaFor(region, target)), stored
 * parts are read in its account-region, and the cache is keyed by its functionRefKey.
 */
import { systemClock } from "@/lib/config/clock";
import "server-only";
import { lambdaFor, type LambdaPort, type LambdaTriggersPort } from "@/lib/aws/lambda";
import { DEFAULT_SETTINGS } from "@/lib/collector/region";
import { env } from "@/lib/config/env";
import type { AccountTarget } from "@/lib/core/accounts";
import { functionRefKey, type FunctionRef, type Scope } from "@/lib/core/accounts/scope";
import { type Outcome, settle } from "@/lib/core/errors";
import { pushSourcesOf } from "@/lib/core/triggers/policy";
import type {
  AsyncConfig,
  EventSourceMapping,
  FunctionUrl,
  PushSource,
  RecursiveLoop,
  TriggerWarning,
} from "@/lib/core/triggers/types";
import { triggerWarnings } from "@/lib/core/triggers/warnings";
import { store } from "@/lib/store";
import type { InventoryStore } from "@/lib/store/inventory";
import type { TriggerReading, TriggerStore } from "@/lib/store/triggers";
import { createCache, type Cache } from "./cache";
import type { RequestMeter } from "./traces/meter";
import { parseConfiguredRegion, parseFunctionName, parseRegion } from "./validate";

export interface TriggersDeps {
  /** The Lambda port of `region` in `account` (null: the console's own credentials). */
  lambda: (
    region: string,
    account: AccountTarget | null,
  ) => Pick<LambdaPort, "getFunctionConfiguration"> & LambdaTriggersPort;
  cache: Cache<unknown>;
  /** The collector's inventory: the dead-letter queue it stored with the configuration, and the RevisionId. */
  inventory?: () => Pick<InventoryStore, "get">;
  /** The collector's trigger readings; without them every part is read live. */
  triggers?: () => Pick<TriggerStore, "get" | "listing">;
  now?: () => number;
}

/**
 * How old a stored part may be and still be shown: twice the collector's re-read age, so a reading due again
 * is still served while the budget gets to it. A change that moves the RevisionId (AddPermission,
 * RemovePermission, a deploy) retires the reading as soon as the inventory's next listing sees it.
 */
export const STORED_READING_MAX_AGE_MS = 2 * DEFAULT_SETTINGS.triggers.maxAgeMs;
/** The region-wide mapping listing is refreshed every inventory listing; two of them is the most it may lag. */
export const STORED_LISTING_MAX_AGE_MS = 2 * DEFAULT_SETTINGS.inventory.listEveryMs;

let defaultCache: Cache<unknown> | undefined;
const defaultDeps = (): TriggersDeps => {
  defaultCache ??= createCache({ ttlMs: env().cacheTtlSeconds * 1000, maxEntries: 500 });
  return {
    lambda: (region, account) => lambdaFor(parseConfiguredRegion(region, env().regions), account),
    cache: defaultCache,
    inventory: () => store().inventory,
    triggers: () => store().triggers,
  };
};

export interface AsyncDelivery {
  /** null: no event invoke config, AWS's defaults apply (ASYNC_DEFAULTS). */
  config: AsyncConfig | null;
  /** The dead-letter queue or topic, null without one. */
  deadLetterTarget: string | null;
}

export interface FunctionTriggers {
  mappings: Outcome<EventSourceMapping[]>;
  /** Failed with "unreadable policy: …" when the policy text is not a policy we can read. */
  pushSources: Outcome<PushSource[]>;
  url: Outcome<FunctionUrl | null>;
  async: Outcome<AsyncDelivery>;
  recursion: Outcome<RecursiveLoop>;
  /** From the parts that loaded; a failed part's rules stay silent. */
  warnings: TriggerWarning[];
  /** When the collector read the oldest part served from the store; null when every part was read live. */
  collectedAt: number | null;
  /** Parts read live by this view (not stored, stale, or failed when the collector read them). */
  liveParts: TriggerPartName[];
  /** When this answer was given (from the cache too): what "read 4 min ago" is measured against. */
  answeredAt: number;
}

export type TriggerPartName = "mappings" | "pushSources" | "url" | "async" | "recursion";

const valueOf = <T>(o: Outcome<T>): T | undefined => (o.ok ? o.value : undefined);

/** One function and the account it lives in (its role for the live calls). */
export interface TriggersRequest {
  account: AccountTarget;
  region: string;
  name: string;
}

/** The stored configuration's DLQ when the collector read it; rows stored before the field need one call. */
async function deadLetterTarget(
  deps: TriggersDeps,
  req: TriggersRequest,
  scope: Scope,
  meter: RequestMeter | undefined,
): Promise<string | null> {
  let stored: string | null | undefined;
  try {
    stored = (await deps.inventory?.().get(scope, req.name))?.config.deadLetterTarget;
  } catch {
    // The store cannot answer now: read the configuration as for a row stored before the field.
  }
  if (stored !== undefined) return stored;
  meter?.record("GetFunctionConfiguration");
  return (
    (await deps.lambda(req.region, req.account).getFunctionConfiguration(req.name)).deadLetterTarget ?? null
  );
}

/** The parts the store can serve for this function now, with when they were read; nothing when stale. */
async function storedParts(deps: TriggersDeps, scope: Scope, name: string, now: number) {
  const triggers = deps.triggers?.();
  const [current, r, l] = await Promise.all([
    deps.inventory?.().get(scope, name),
    triggers?.get(scope, name),
    triggers?.listing(scope),
  ]);
  if (!current || !triggers) return { reading: null, listing: null };
  const reading: TriggerReading | null =
    r && r.revisionId === current.config.revisionId && now - r.readAt <= STORED_READING_MAX_AGE_MS ? r : null;
  const listing = l && now - l.listedAt <= STORED_LISTING_MAX_AGE_MS ? l : null;
  return { reading, listing };
}

async function readTriggers(
  deps: TriggersDeps,
  req: TriggersRequest,
  meter: RequestMeter | undefined,
): Promise<FunctionTriggers> {
  const { name } = req;
  const scope: Scope = { account: req.account.id, region: req.region };
  const lambda = deps.lambda(req.region, req.account);
  const { reading, listing } = await storedParts(deps, scope, name, (deps.now ?? systemClock.now)()).catch(
    () => ({ reading: null, listing: null }),
  );
  const liveParts: TriggerPartName[] = [];
  const readAt: number[] = [];
  /** The stored part when it loaded, else one live call (metered). */
  const part = <T>(
    partName: TriggerPartName,
    stored: Outcome<T> | undefined,
    storedAt: number | undefined,
    operation: string,
    live: () => Promise<T>,
  ): Promise<Outcome<T>> => {
    if (stored?.ok && storedAt !== undefined) {
      readAt.push(storedAt);
      return Promise.resolve(stored);
    }
    liveParts.push(partName);
    meter?.record(operation);
    return settle(live());
  };
  const storedMappings: Outcome<EventSourceMapping[]> | undefined = listing
    ? {
        ok: true,
        // ListEventSourceMappings with an unqualified name lists the unqualified function's mappings only.
        value: listing.mappings
          .filter((m) => m.functionName === name && m.qualifier === null)
          .map((m) => m.mapping),
      }
    : undefined;
  const parts = reading?.parts;
  const [mappings, pushSources, url, config, recursion] = await Promise.all([
    part("mappings", storedMappings, listing?.listedAt, "ListEventSourceMappings", () =>
      lambda.listEventSourceMappings(name),
    ),
    part("pushSources", parts?.pushSources, reading?.readAt, "GetPolicy", () =>
      lambda.getPolicy(name).then(pushSourcesOf),
    ),
    part("url", parts?.url, reading?.readAt, "GetFunctionUrlConfig", () => lambda.getFunctionUrlConfig(name)),
    part("async", parts?.async, reading?.readAt, "GetFunctionEventInvokeConfig", () =>
      lambda.getFunctionEventInvokeConfig(name),
    ),
    part("recursion", parts?.recursion, reading?.readAt, "GetFunctionRecursionConfig", () =>
      lambda.getFunctionRecursionConfig(name),
    ),
  ]);
  const async = config.ok
    ? await settle(
        deadLetterTarget(deps, req, scope, meter).then((dlq) => ({
          config: config.value,
          deadLetterTarget: dlq,
        })),
      )
    : config;
  const delivery = valueOf(async);
  const warnings = triggerWarnings({
    mappings: valueOf(mappings),
    pushSources: valueOf(pushSources),
    async: delivery?.config,
    deadLetterTarget: delivery?.deadLetterTarget,
  });
  return {
    mappings,
    pushSources,
    url,
    async,
    recursion,
    warnings,
    collectedAt: readAt.length > 0 ? Math.min(...readAt) : null,
    liveParts,
    answeredAt: 0,
  };
}

const isDegraded = (t: FunctionTriggers) =>
  [t.mappings, t.pushSources, t.url, t.async, t.recursion].some((o) => !o.ok);

/** The cache key of one function's triggers reading. */
const triggersCacheKey = (fn: FunctionRef): string => `triggers|${functionRefKey(fn)}`;

/**
 * Throws InvalidInput for a bad region or name; every AWS failure stays inside its part.
 * `meter` counts the AWS requests this call makes (none when the answer comes from the cache).
 */
export async function getFunctionTriggers(
  fn: TriggersRequest,
  deps: TriggersDeps = defaultDeps(),
  meter?: RequestMeter,
): Promise<FunctionTriggers> {
  const req = { account: fn.account, region: parseRegion(fn.region), name: parseFunctionName(fn.name) };
  const key = triggersCacheKey({ account: req.account.id, region: req.region, name: req.name });
  const load = async () => {
    const triggers = await readTriggers(deps, req, meter);
    if (isDegraded(triggers)) deps.cache.invalidate((k) => k === key);
    return triggers;
  };
  const answer = (await deps.cache.get(key, load)) as FunctionTriggers;
  return { ...answer, answeredAt: (deps.now ?? systemClock.now)() };
}
