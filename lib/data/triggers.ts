/**
 * How one function is invoked: its event source mappings, the push sources its resource policy allows, its
 * function URL, its async delivery (event invoke config and dead-letter queue) and its recursion setting,
 * with the problems visible from that configuration alone.
 *
 * Each part is its own AWS call and settles on its own: a throttled GetPolicy leaves the mappings shown.
 * GetPolicy has a low rate limit of its own, so a whole reading is cached per function (one set of calls per
 * view at most, none for views within the cache's TTL); a reading with a failed part is not kept, so the
 * next view asks again.
 */
import "server-only";
import { lambdaFor, type LambdaPort, type LambdaTriggersPort } from "@/lib/aws/lambda";
import { env } from "@/lib/config/env";
import { FleetscopeError, toOutcomeError, type Outcome } from "@/lib/core/errors";
import { parsePolicy } from "@/lib/core/triggers/policy";
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
import { cacheKey, createCache, type Cache } from "./cache";
import type { RequestMeter } from "./traces/meter";
import { parseConfiguredRegion, parseFunctionName, parseRegion } from "./validate";

export interface TriggersDeps {
  lambda: (region: string) => Pick<LambdaPort, "getFunctionConfiguration"> & LambdaTriggersPort;
  cache: Cache<unknown>;
  /** The collector's inventory, for the dead-letter queue it stored with the configuration. */
  inventory?: () => Pick<InventoryStore, "get">;
}

let defaultCache: Cache<unknown> | undefined;
const defaultDeps = (): TriggersDeps => {
  defaultCache ??= createCache({ ttlMs: env().cacheTtlSeconds * 1000, maxEntries: 500 });
  return {
    lambda: (region) => lambdaFor(parseConfiguredRegion(region, env().regions)),
    cache: defaultCache,
    inventory: () => store().inventory,
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
}

const settle = async <T>(p: Promise<T>): Promise<Outcome<T>> => {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, error: toOutcomeError(e) };
  }
};

const valueOf = <T>(o: Outcome<T>): T | undefined => (o.ok ? o.value : undefined);

async function pushSourcesOf(policy: Promise<string | null>): Promise<PushSource[]> {
  const text = await policy;
  if (text === null) return [];
  const reading = parsePolicy(text);
  if (!reading.readable) throw new FleetscopeError("Unavailable", `unreadable policy: ${reading.reason}`);
  return reading.sources;
}

/** The stored configuration's DLQ when the collector read it; rows stored before the field need one call. */
async function deadLetterTarget(
  deps: TriggersDeps,
  region: string,
  name: string,
  meter: RequestMeter | undefined,
): Promise<string | null> {
  const stored = deps.inventory?.().get(region, name)?.config.deadLetterTarget;
  if (stored !== undefined) return stored;
  meter?.record("GetFunctionConfiguration");
  return (await deps.lambda(region).getFunctionConfiguration(name)).deadLetterTarget ?? null;
}

async function readTriggers(
  deps: TriggersDeps,
  region: string,
  name: string,
  meter: RequestMeter | undefined,
): Promise<FunctionTriggers> {
  const lambda = deps.lambda(region);
  for (const op of [
    "ListEventSourceMappings",
    "GetPolicy",
    "GetFunctionUrlConfig",
    "GetFunctionEventInvokeConfig",
    "GetFunctionRecursionConfig",
  ])
    meter?.record(op);
  const [mappings, pushSources, url, async, recursion] = await Promise.all([
    settle(lambda.listEventSourceMappings(name)),
    settle(pushSourcesOf(lambda.getPolicy(name))),
    settle(lambda.getFunctionUrlConfig(name)),
    settle(
      Promise.all([
        lambda.getFunctionEventInvokeConfig(name),
        deadLetterTarget(deps, region, name, meter),
      ]).then(([config, dlq]) => ({ config, deadLetterTarget: dlq })),
    ),
    settle(lambda.getFunctionRecursionConfig(name)),
  ]);
  const delivery = valueOf(async);
  const warnings = triggerWarnings({
    mappings: valueOf(mappings),
    pushSources: valueOf(pushSources),
    async: delivery?.config,
    deadLetterTarget: delivery?.deadLetterTarget,
  });
  return { mappings, pushSources, url, async, recursion, warnings };
}

const isDegraded = (t: FunctionTriggers) =>
  [t.mappings, t.pushSources, t.url, t.async, t.recursion].some((o) => !o.ok);

/**
 * Throws InvalidInput for a bad region or name; every AWS failure stays inside its part.
 * `meter` counts the AWS requests this call makes (none when the answer comes from the cache).
 */
export async function getFunctionTriggers(
  region: string,
  name: string,
  deps: TriggersDeps = defaultDeps(),
  meter?: RequestMeter,
): Promise<FunctionTriggers> {
  const r = parseRegion(region);
  const n = parseFunctionName(name);
  const key = cacheKey({ region: r, query: `triggers:${n}` });
  const load = async () => {
    const triggers = await readTriggers(deps, r, n, meter);
    if (isDegraded(triggers)) deps.cache.invalidate((k) => k === key);
    return triggers;
  };
  return (await deps.cache.get(key, load)) as FunctionTriggers;
}
