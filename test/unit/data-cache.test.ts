import { describe, expect, it } from "vitest";
import { cacheKey, createCache } from "@/lib/data/cache";

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe("createCache", () => {
  it("coalesces concurrent identical requests into one load", async () => {
    const cache = createCache<number>({ ttlMs: 1000, maxEntries: 10, now: () => 0 });
    const d = deferred<number>();
    let loads = 0;
    const load = () => {
      loads += 1;
      return d.promise;
    };
    const a = cache.get("k", load);
    const b = cache.get("k", load);
    const other = cache.get("other", async () => 99);
    d.resolve(42);
    expect(await Promise.all([a, b, other])).toEqual([42, 42, 99]);
    expect(loads).toBe(1);
  });

  it("serves a value until its TTL passes, then reloads", async () => {
    let now = 0;
    const cache = createCache<number>({ ttlMs: 1000, maxEntries: 10, now: () => now });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get("k", load)).toBe(1);
    now = 999;
    expect(await cache.get("k", load)).toBe(1);
    now = 1000;
    expect(await cache.get("k", load)).toBe(2);
  });

  it("shares a failure with concurrent callers but does not keep it", async () => {
    const cache = createCache<number>({ ttlMs: 60_000, maxEntries: 10, now: () => 0 });
    const d = deferred<number>();
    const a = cache.get("k", () => d.promise);
    const b = cache.get("k", async () => 7);
    d.reject(new Error("throttled"));
    await expect(a).rejects.toThrow("throttled");
    await expect(b).rejects.toThrow("throttled");
    expect(await cache.get("k", async () => 8)).toBe(8);
  });

  it("evicts the least recently used key beyond maxEntries", async () => {
    const cache = createCache<string>({ ttlMs: 60_000, maxEntries: 2, now: () => 0 });
    await cache.get("a", async () => "a1");
    await cache.get("b", async () => "b1");
    await cache.get("a", async () => "a2"); // hit: a becomes most recent
    await cache.get("c", async () => "c1"); // evicts b
    expect(cache.size).toBe(2);
    expect(await cache.get("a", async () => "a3")).toBe("a1");
    expect(await cache.get("b", async () => "b2")).toBe("b2");
  });

  it("invalidates matching keys", async () => {
    const cache = createCache<number>({ ttlMs: 60_000, maxEntries: 10, now: () => 0 });
    await cache.get("us-east-1|x", async () => 1);
    await cache.get("eu-west-1|x", async () => 1);
    cache.invalidate((k) => k.startsWith("us-east-1|"));
    expect(await cache.get("us-east-1|x", async () => 2)).toBe(2);
    expect(await cache.get("eu-west-1|x", async () => 2)).toBe(1);
  });
});

describe("cacheKey", () => {
  it("maps nearby sliding windows to one bucket and distinguishes regions and queries", () => {
    const base = { region: "us-east-1", query: "invocations", bucketMs: 60_000 };
    const a = cacheKey({ ...base, range: { from: 3_600_000, to: 7_200_000 } });
    const b = cacheKey({ ...base, range: { from: 3_605_000, to: 7_205_000 } });
    const c = cacheKey({ ...base, range: { from: 3_660_000, to: 7_260_000 } });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(cacheKey({ ...base, region: "eu-west-1" })).not.toBe(cacheKey(base));
    expect(cacheKey({ ...base, query: "errors" })).not.toBe(cacheKey(base));
  });
});
