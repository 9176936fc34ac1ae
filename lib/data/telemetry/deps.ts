/**
 * What the telemetry use-cases depend on, injectable for tests and benchmarks. Two caches: a bucket still
 * filling (`live`) expires after the configured TTL; a settled bucket's data no longer changes and is kept
 * longer. Both coalesce concurrent identical loads, so N viewers of one dashboard cost AWS one load.
 */
import { systemClock } from "@/lib/config/clock";
import "server-only";
import { cloudWatchFor, type CloudWatchPort } from "@/lib/aws/cloudwatch";
import { lambdaFor, type LambdaPort } from "@/lib/aws/lambda";
import { logsFor, type LogsPort } from "@/lib/aws/logs";
import { env } from "@/lib/config/env";
import type { AccountTarget } from "@/lib/core/accounts";
import { scopeKey, type Scope } from "@/lib/core/accounts/scope";
import type { RangeBucket } from "@/lib/core/time/bucket";
import type { EpochMs } from "@/lib/core/units";
import { store } from "@/lib/store";
import { createCache, type Cache } from "../cache";
import type { StoreReader } from "./store-source";

/** Live reads go through the account's ports (its role, or the monitoring account); null: own credentials. */
export interface TelemetryDeps {
  lambda: (region: string, account?: AccountTarget | null) => LambdaPort;
  cloudwatch: (region: string, account?: AccountTarget | null) => CloudWatchPort;
  logs: (region: string, account?: AccountTarget | null) => LogsPort;
  /** The collector's rollups and inventory, which store-backed views read. */
  store: () => StoreReader;
  liveCache: Cache<unknown>;
  settledCache: Cache<unknown>;
  now: () => EpochMs;
  /** How long an Insights query may run before it is stopped and its panel degraded. */
  insightsTimeoutMs: number;
}

const SETTLED_TTL_MS = 10 * 60_000;

let defaults: TelemetryDeps | undefined;

export function defaultTelemetryDeps(): TelemetryDeps {
  defaults ??= {
    lambda: lambdaFor,
    cloudwatch: cloudWatchFor,
    logs: (region, account) => logsFor(region, undefined, account ?? null),
    store,
    liveCache: createCache({ ttlMs: env().cacheTtlSeconds * 1000, maxEntries: 500 }),
    settledCache: createCache({ ttlMs: SETTLED_TTL_MS, maxEntries: 500 }),
    now: systemClock.now,
    insightsTimeoutMs: 25_000,
  };
  return defaults;
}

/**
 * Cache a load per (account-region, query, bucket), in the cache its bucket's liveness calls for. Keyed by the
 * scope, never the region alone: two accounts' same-named functions in one region must not share an entry.
 */
export function cached<T>(
  deps: TelemetryDeps,
  scope: Scope,
  query: string,
  bucket: RangeBucket | null,
  load: () => Promise<T>,
): Promise<T> {
  const cache = bucket === null || bucket.live ? deps.liveCache : deps.settledCache;
  return cache.get(`${scopeKey(scope)}|${query}|${bucket?.key ?? "-"}`, load) as Promise<T>;
}
