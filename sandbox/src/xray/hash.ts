/**
 * Deterministic hashing for the X-Ray renderer: ids, jitter and the malformed-trace choice derive from the
 * trace id alone, so the same trace renders byte-for-byte the same on every call and every process.
 */

/** FNV-1a, 32-bit, over UTF-16 code units (our inputs are ASCII ids). */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** FNV-1a state after `${round}:` for rounds 0–3: FNV is streaming, so hashing `text` from it equals hashing the concatenation. */
const ROUND_SEEDS = [0, 1, 2, 3].map((round) => fnv1a(`${round}:`));

/** `n` lowercase hex chars derived from `text` (n <= 32): round r hashes `${r}:${text}`. */
export function hexId(text: string, n = 16): string {
  let out = "";
  for (let round = 0; out.length < n; round++) {
    const h = fnv1a(text, ROUND_SEEDS[round] ?? fnv1a(`${round}:`));
    out += h.toString(16).padStart(8, "0");
  }
  return out.length === n ? out : out.slice(0, n);
}

/** A number in [0, 1) derived from `text`. */
export function unit(text: string): number {
  return fnv1a(text) / 0x1_0000_0000;
}
