/**
 * Series colours that stay put: the same key (a function, an alias version) gets the same colour on every chart,
 * every page load and every viewer, whatever order the series arrive in.
 *
 * Invariants:
 * - `seriesColor(key)` depends only on the key (FNV-1a hash into the palette).
 * - `assignColors(keys)` gives distinct colours to up to PALETTE.length keys: each key starts at its hash slot and
 *   probes forward; keys are placed in sorted order so the result does not depend on input order.
 * - Status colours (errors, throttles, cold starts) are fixed and outside the hash palette's meaning.
 */

/** Okabe–Ito-derived palette: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#6A3D9A",
  "#999999",
  "#1B9E77",
] as const;

export const STATUS_COLORS = {
  invocations: "#0072B2",
  errors: "#D62728",
  throttles: "#FF7F0E",
  coldStarts: "#17BECF",
  gap: "#BBBBBB",
} as const;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const seriesColor = (key: string): string => PALETTE[fnv1a(key) % PALETTE.length] as string;

export function assignColors(keys: readonly string[]): Map<string, string> {
  const unique = [...new Set(keys)].sort();
  const taken = new Set<number>();
  const out = new Map<string, string>();
  for (const key of unique) {
    let slot = fnv1a(key) % PALETTE.length;
    if (taken.size < PALETTE.length) {
      while (taken.has(slot)) slot = (slot + 1) % PALETTE.length;
      taken.add(slot);
    }
    out.set(key, PALETTE[slot] as string);
  }
  return out;
}
