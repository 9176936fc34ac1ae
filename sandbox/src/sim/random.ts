/**
 * Deterministic randomness for the simulator: every stream is seeded by hashing its coordinates (function seed,
 * minute index, stream tag, arrival index), so any minute can be computed on its own, in any order, with the
 * same result. No Math.random anywhere in the simulator.
 */

const HASH_SEED = 0x9e3779b9 | 0;

/** A 32-bit hash of a few integers (murmur3-style mixing). Non-integers are floored; inputs may be negative. */
export function hash32(...parts: number[]): number {
  let h = HASH_SEED;
  for (const p of parts) h = mix(h, p);
  return finish(h);
}

/** hash32(a, b, c, d), without the rest-parameter array: the per-minute and per-invocation stream seeds. */
export function hash4(a: number, b: number, c: number, d: number): number {
  return finish(mix(mix(mix(mix(HASH_SEED, a), b), c), d));
}

function mix(h: number, p: number): number {
  // Split values beyond 32 bits so e.g. epoch-ms inputs still mix all their bits.
  const v = Math.floor(p);
  const lo = v | 0;
  const hi = Math.floor(v / 4294967296) | 0;
  h = Math.imul(h ^ lo, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h ^ hi, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function finish(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: tiny, fast, good enough for simulated telemetry. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next 32-bit unsigned integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson count: exact (Knuth) for small means, normal approximation above 40. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** `n` lowercase hex characters. */
  hex(n: number): string {
    let out = "";
    while (out.length < n) {
      const x = this.u32();
      out += HEX[x & 0xff]! + HEX[(x >>> 8) & 0xff]! + HEX[(x >>> 16) & 0xff]! + HEX[x >>> 24]!;
    }
    return out.length === n ? out : out.slice(0, n);
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** 8 hex digits of a 32-bit value. */
export function hex8(x: number): string {
  return (x >>> 0).toString(16).padStart(8, "0");
}

/** A UUID with the v4 shape (version nibble 4, variant 8–b). */
export function uuidV4(rng: Rng): string {
  const h = rng.hex(32);
  const variant = "89ab"[rng.u32() & 3]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Stable 32-bit id for a string (function names, versions), FNV-1a. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
