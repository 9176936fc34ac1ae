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
import type { RangeBucket } from "@/lib/core/time/bucket";
import type { EpochMs } from "@/lib/core/units";
import { store } from "@/lib/store";
import { createCache, type Cache } from "../cache";
import type { StoreReader } from "./store-source";

export interface TelemetryDeps {
  lambda: (region: string) => LambdaPort;
  cloudwatch: (region: string) => CloudWatchPort;
  logs: (region: string) => LogsPort;
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
    logs: logsFor,
    store,
    liveCache: createCache({ ttlMs: env().cacheTtlSeconds * 1000, maxEntries: 500 }),
    settledCache: createCache({ ttlMs: SETTLED_TTL_MS, maxEntries: 500 }),
    now: systemClock.now,
    insightsTimeoutMs: 25_000,
  };
  return defaults;
}

/** Cache a load per (region, query, bucket), in the cache its bucket's liveness calls for. */
export function cached<T>(
  deps: TelemetryDeps,
  region: string,
  query: string,
  bucket: RangeBucket | null,
  load: () => Promise<T>,
): Promise<T> {
  const cache = bucket === null || bucket.live ? deps.liveCache : deps.settledCache;
  return cache.get(`${region}|${query}|${bucket?.key ?? "-"}`, load) as Promise<T>;
}
