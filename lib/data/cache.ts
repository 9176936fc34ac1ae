/**
 * A TTL cache that coalesces concurrent identical requests: many viewers of one dashboard cost AWS one call.
 *
 * Invariants:
 * - At most one load per key is in flight; every caller asking for that key while it runs shares its promise.
 * - A successful value is served until `ttlMs` after it resolved, then reloaded on the next request.
 * - A failure is never stored: callers that joined the failing load see the error, the next caller retries.
 * - At most `maxEntries` keys are held; the least recently used is evicted first (Map keeps insertion order,
 *   and a hit re-inserts its key).
 * The clock is injected so tests (and the pure core's "pass `now`" rule) need no timers.
 */
import { systemClock } from "@/lib/config/clock";

export interface CacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

export interface Cache<T> {
  get(key: string, load: () => Promise<T>): Promise<T>;
  /** Drop every key the predicate matches (e.g. after a write to the resource they describe). */
  invalidate(matches: (key: string) => boolean): void;
  readonly size: number;
}

interface Entry<T> {
  promise: Promise<T>;
  /** Infinity while the load is in flight. */
  expiresAt: number;
}

export function createCache<T>({ ttlMs, maxEntries, now = systemClock.now }: CacheOptions): Cache<T> {
  const entries = new Map<string, Entry<T>>();

  const evictOverflow = () => {
    for (const key of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(key);
    }
  };

  return {
    get(key, load) {
      const hit = entries.get(key);
      if (hit && hit.expiresAt > now()) {
        entries.delete(key);
        entries.set(key, hit);
        return hit.promise;
      }
      const entry: Entry<T> = { promise: Promise.resolve().then(load), expiresAt: Infinity };
      entries.delete(key);
      entries.set(key, entry);
      evictOverflow();
      entry.promise.then(
        () => {
          entry.expiresAt = now() + ttlMs;
        },
        () => {
          // Only remove our own entry: a newer load may have replaced it meanwhile.
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return entry.promise;
    },
    invalidate(matches) {
      for (const key of [...entries.keys()]) if (matches(key)) entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * A cache key from what a query depends on. A time range is bucketed so that a sliding "last hour" asked a few
 * seconds apart maps to the same key (and so to one AWS call) within one bucket.
 */
export function cacheKey(parts: {
  region: string;
  query: string;
  range?: { from: number; to: number };
  bucketMs?: number;
}): string {
  const { region, query, range, bucketMs = 60_000 } = parts;
  const bucket = range ? `${Math.floor(range.from / bucketMs)}-${Math.floor(range.to / bucketMs)}` : "-";
  return `${region}|${query}|${bucket}`;
}
