/**
 * The function page's cache entries: one function's loads, keyed by its account, region and name
 * (functionRefKey), so two accounts' same-named functions in one region never share an entry.
 */
import type { FunctionRef } from "@/lib/core/accounts/scope";
import { functionRefKey } from "@/lib/core/accounts/scope";
import type { RangeBucket } from "@/lib/core/time/bucket";
import type { Cache } from "../cache";

/** The key of one function's `query` over `bucket` (null: no range). */
const functionCacheKey = (fn: FunctionRef, query: string, bucket: Pick<RangeBucket, "key"> | null) =>
  `${functionRefKey(fn)}|${query}|${bucket?.key ?? "-"}`;

/** Cache a load in the cache its bucket's liveness calls for: a settled bucket's data no longer changes. */
export function cachedForFunction<T>(
  caches: { liveCache: Cache<unknown>; settledCache: Cache<unknown> },
  fn: FunctionRef,
  query: string,
  bucket: RangeBucket | null,
  load: () => Promise<T>,
): Promise<T> {
  const cache = bucket === null || bucket.live ? caches.liveCache : caches.settledCache;
  return cache.get(functionCacheKey(fn, query, bucket), load) as Promise<T>;
}
