/**
 * A mergeable duration distribution: counts in log-spaced buckets, computed by the Logs Insights query itself
 * (`floor(log(d) / log(GAMMA))`), so percentiles over any range and any set of functions come from adding
 * bucket counts — never from averaging percentiles.
 *
 * Invariants:
 * - Bucket k holds values in [GAMMA^k, GAMMA^(k+1)); values ≤ MIN_VALUE fall in bucket MIN_BUCKET (sub-0.01 ms
 *   durations are noise, and log(0) is -Infinity).
 * - A quantile is reported as the geometric midpoint of its bucket, so its relative error is at most
 *   RELATIVE_ERROR = (√GAMMA − 1) against any value in that bucket (DDSketch's argument). With GAMMA = 1.1 that is
 *   4.9 %; the console states it next to every percentile it derives from a histogram.
 * - Ranks are nearest-rank (⌈q·n⌉), as CloudWatch's pNN statistics.
 * - Histograms are plain records {bucket: count}: adding two is adding counts per key; empty is {}.
 */

export const GAMMA = 1.1;
const LOG_GAMMA = Math.log(GAMMA);
export const MIN_VALUE = 0.01;
export const MIN_BUCKET = Math.floor(Math.log(MIN_VALUE) / LOG_GAMMA);
/** Worst-case relative error of a quantile read from these buckets. */
export const RELATIVE_ERROR = Math.sqrt(GAMMA) - 1;

export type Histogram = Record<number, number>;

/** The bucket of a value, as the Insights query computes it. Non-finite and tiny values go to MIN_BUCKET. */
export function bucketOf(value: number): number {
  if (!(value > MIN_VALUE)) return MIN_BUCKET;
  return Math.max(MIN_BUCKET, Math.floor(Math.log(value) / LOG_GAMMA));
}

/** The bucket key Insights returned (a number as text; -Infinity/NaN for zero durations) → our bucket. */
export function normalizeBucket(raw: number): number {
  if (!Number.isFinite(raw)) return MIN_BUCKET;
  return Math.max(MIN_BUCKET, Math.round(raw));
}

export const bucketLow = (k: number) => Math.pow(GAMMA, k);
/** The value reported for a bucket: the geometric midpoint of its bounds. */
export const bucketValue = (k: number) => Math.pow(GAMMA, k + 0.5);

export function addTo(into: Histogram, from: Histogram): Histogram {
  for (const [k, n] of Object.entries(from)) {
    const key = Number(k);
    into[key] = (into[key] ?? 0) + n;
  }
  return into;
}

export const merge = (hs: readonly Histogram[]): Histogram => hs.reduce<Histogram>((a, h) => addTo(a, h), {});

export function countOf(h: Histogram): number {
  let n = 0;
  for (const c of Object.values(h)) n += c;
  return n;
}

/** Nearest-rank quantiles (q in (0, 1]) read from one sorted pass; null for an empty histogram. */
export function quantiles(h: Histogram, qs: readonly number[]): (number | null)[] {
  const keys = Object.keys(h)
    .map(Number)
    .sort((a, b) => a - b);
  const total = countOf(h);
  if (total === 0) return qs.map(() => null);
  const out: (number | null)[] = [];
  for (const q of qs) {
    const rank = Math.max(1, Math.ceil(q * total));
    let seen = 0;
    let value: number | null = null;
    for (const k of keys) {
      seen += h[k] ?? 0;
      if (seen >= rank) {
        value = bucketValue(k);
        break;
      }
    }
    out.push(value);
  }
  return out;
}

export const quantile = (h: Histogram, q: number): number | null => quantiles(h, [q])[0] ?? null;

/** Compact text form for the store: "k:n,k:n" sorted by k (about 6 bytes a bucket). */
export function encode(h: Histogram): string {
  return Object.keys(h)
    .map(Number)
    .sort((a, b) => a - b)
    .filter((k) => (h[k] ?? 0) > 0)
    .map((k) => `${k}:${h[k]}`)
    .join(",");
}

/** One "k:n" part in the general form: kept when k is an integer and n a positive finite number. */
function addPart(h: Histogram, part: string): void {
  const [k, n] = part.split(":");
  const key = Number(k);
  const count = Number(n);
  if (Number.isInteger(key) && Number.isFinite(count) && count > 0) h[key] = (h[key] ?? 0) + count;
}

const COMMA = 44;
const COLON = 58;
const MINUS = 45;
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Parses the compact text form, adding the counts of repeated keys (the store concatenates many rows' texts to add
 * them up). Plain "k:n" parts of short integers, all `encode` writes, are read character by character — a 30-day
 * view decodes millions of them; any other part goes through `addPart`, so garbage is dropped as before.
 */
export function decode(text: string): Histogram {
  const h: Histogram = {};
  const end = text.length;
  let i = 0;
  while (i < end) {
    const start = i;
    const negative = text.charCodeAt(i) === MINUS;
    if (negative) i++;
    let key = 0;
    let keyDigits = 0;
    for (; i < end && isDigit(text.charCodeAt(i)); i++, keyDigits++) key = key * 10 + text.charCodeAt(i) - 48;
    let count = 0;
    let countDigits = 0;
    const colon = i < end && text.charCodeAt(i) === COLON;
    if (colon)
      for (i++; i < end && isDigit(text.charCodeAt(i)); i++, countDigits++)
        count = count * 10 + text.charCodeAt(i) - 48;
    const plain =
      colon &&
      keyDigits > 0 &&
      keyDigits <= 15 &&
      countDigits > 0 &&
      countDigits <= 15 &&
      (i === end || text.charCodeAt(i) === COMMA);
    if (plain) {
      if (count > 0) {
        const k = negative ? -key : key;
        h[k] = (h[k] ?? 0) + count;
      }
    } else {
      const next = text.indexOf(",", start);
      i = next < 0 ? end : next;
      addPart(h, text.slice(start, i));
    }
    i++; // past the comma
  }
  return h;
}
