import { describe, expect, it } from "vitest";
import {
  bucketOf,
  countOf,
  decode,
  encode,
  merge,
  MIN_BUCKET,
  normalizeBucket,
  quantile,
  quantiles,
  RELATIVE_ERROR,
} from "@/lib/core/rollup/histogram";

/** Nearest-rank percentile of raw values, as CloudWatch computes pNN. */
const exact = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.max(1, Math.ceil(q * xs.length)) - 1]!;

function histogramOf(xs: number[]) {
  const h: Record<number, number> = {};
  for (const x of xs) h[bucketOf(x)] = (h[bucketOf(x)] ?? 0) + 1;
  return h;
}

describe("duration histogram", () => {
  it("answers quantiles within its stated relative error of the exact nearest-rank value", () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const xs = Array.from({ length: 5000 }, () => Math.exp(rand() * 10) * 0.5);
    const h = histogramOf(xs);
    for (const q of [0.5, 0.9, 0.99, 0.999, 1]) {
      const got = quantile(h, q)!;
      const want = exact(xs, q);
      expect(Math.abs(got - want) / want, `q=${q}`).toBeLessThanOrEqual(RELATIVE_ERROR + 1e-9);
    }
  });

  it("merges by adding counts: the merged quantile is the quantile of the union", () => {
    const a = [1, 2, 3, 400, 500];
    const b = [10, 20, 30, 40];
    const merged = merge([histogramOf(a), histogramOf(b)]);
    expect(countOf(merged)).toBe(9);
    expect(quantiles(merged, [0.5, 1])).toEqual(quantiles(histogramOf([...a, ...b]), [0.5, 1]));
  });

  it("keeps zero and sub-0.01 ms durations in the lowest bucket instead of -Infinity", () => {
    expect(bucketOf(0)).toBe(MIN_BUCKET);
    expect(bucketOf(Number.NaN)).toBe(MIN_BUCKET);
    expect(normalizeBucket(Number.NEGATIVE_INFINITY)).toBe(MIN_BUCKET);
    expect(normalizeBucket(12)).toBe(12);
  });

  it("says nothing for an empty histogram", () => {
    expect(quantile({}, 0.99)).toBeNull();
  });

  it("round-trips its compact text form and drops garbage", () => {
    const h = { [-3]: 2, 5: 1, 40: 7 };
    expect(decode(encode(h))).toEqual(h);
    expect(decode("1:2,x:3,4:-1,5:2")).toEqual({ 1: 2, 5: 2 });
    expect(decode("")).toEqual({});
  });
});
