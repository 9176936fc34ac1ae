/**
 * URL state shared by every route: which regions and which time range. Parsed here once; pages and the shell
 * controls read and write it only through these functions, so a shared link means the same thing everywhere.
 *
 * `?regions=us-east-1,eu-west-1` (absent → every configured region); `?range=1h` (a preset) or
 * `?from=<ISO|epoch-ms>&to=<ISO|epoch-ms>` (custom). lib/core/time may later own range resolution; this module
 * only parses and serialises.
 */
import { z } from "zod";

export type SearchParams = Record<string, string | string[] | undefined>;

export const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

export const RANGE_PRESETS = ["15m", "1h", "3h", "12h", "1d", "3d", "7d", "14d", "30d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_RANGE: RangePreset = "3h";

const PRESET_MS: Record<RangePreset, number> = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "3h": 3 * 3_600_000,
  "12h": 12 * 3_600_000,
  "1d": 86_400_000,
  "3d": 3 * 86_400_000,
  "7d": 7 * 86_400_000,
  "14d": 14 * 86_400_000,
  "30d": 30 * 86_400_000,
};

export type TimeRange =
  { kind: "preset"; preset: RangePreset } | { kind: "absolute"; from: number; to: number };

const instant = z.union([
  z
    .string()
    .regex(/^\d{10,14}$/)
    .transform(Number),
  z.iso.datetime({ offset: true, local: true }).transform((s) => Date.parse(s)),
]);

export function parseTimeRange(sp: SearchParams): TimeRange {
  const from = instant.safeParse(first(sp.from));
  const to = instant.safeParse(first(sp.to));
  if (from.success && to.success && from.data < to.data)
    return { kind: "absolute", from: from.data, to: to.data };
  const preset = z.enum(RANGE_PRESETS).safeParse(first(sp.range));
  return { kind: "preset", preset: preset.success ? preset.data : DEFAULT_RANGE };
}

/** The window [from, to) in epoch ms for a range at `now`. */
export function resolveTimeRange(range: TimeRange, now: number): { from: number; to: number } {
  return range.kind === "absolute"
    ? { from: range.from, to: range.to }
    : { from: now - PRESET_MS[range.preset], to: now };
}

/** Selected regions: the URL's, restricted to the configured ones; none valid → all configured. */
export function parseRegions(sp: SearchParams, configured: readonly string[]): string[] {
  const asked = (first(sp.regions) ?? "").split(",").map((r) => r.trim());
  const chosen = configured.filter((r) => asked.includes(r));
  return chosen.length > 0 ? chosen : [...configured];
}

/** Query-string params that carry the shell state from page to page (links keep regions and range). */
export const SHELL_KEYS = ["regions", "range", "from", "to"] as const;

export function shellQuery(current: URLSearchParams | SearchParams): string {
  const out = new URLSearchParams();
  for (const key of SHELL_KEYS) {
    const v = current instanceof URLSearchParams ? current.get(key) : first(current[key]);
    if (v) out.set(key, v);
  }
  const s = out.toString();
  return s ? `?${s}` : "";
}
