/**
 * URL state shared by every route: which regions and which time range. Parsed here once; pages and the shell
 * controls read and write it only through these functions, so a shared link means the same thing everywhere.
 *
 * `?regions=us-east-1,eu-west-1` (absent → every configured region); `?range=3h` (a preset) or
 * `?from=<ISO 8601>&to=<ISO 8601>` (custom). Validation is lib/core/time's (one parser for the whole console);
 * a bad range never breaks a page: it falls back to the default and `timeRangeProblem` says why, which the
 * range picker shows next to the control.
 */
import { isFleetscopeError } from "@/lib/core/errors";
import { RANGE_PRESETS, resolveRange, type RangePreset } from "@/lib/core/time/range";
import { parseRangeParams } from "@/lib/core/time/range-url";
import { epochMs } from "@/lib/core/units";

export type SearchParams = Record<string, string | string[] | undefined>;

export const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** A dynamic route segment as text; a malformed %-escape is kept as typed rather than failing the page. */
export const decodeSegment = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export { RANGE_PRESETS, type RangePreset };
/** What a page shows with no range in its URL (the CloudWatch console's default too). */
export const DEFAULT_RANGE: RangePreset = "3h";

export type TimeRange =
  { kind: "preset"; preset: RangePreset } | { kind: "absolute"; from: number; to: number };

const hasRange = (sp: SearchParams) => ["range", "from", "to"].some((k) => sp[k] !== undefined);

function parseStrict(sp: SearchParams, now: number): TimeRange {
  if (!hasRange(sp)) return { kind: "preset", preset: DEFAULT_RANGE };
  const spec = parseRangeParams(sp, epochMs(now));
  return spec.kind === "preset" ? spec : { kind: "absolute", from: spec.from, to: spec.to };
}

/** The URL's range, or the default when it is absent or invalid (see `timeRangeProblem`). */
export function parseTimeRange(sp: SearchParams, now: number = Date.now()): TimeRange {
  try {
    return parseStrict(sp, now);
  } catch (e) {
    if (isFleetscopeError(e)) return { kind: "preset", preset: DEFAULT_RANGE };
    throw e;
  }
}

/** Why the URL's range was not used, in words for the user; null when it is fine. */
export function timeRangeProblem(sp: SearchParams, now: number = Date.now()): string | null {
  try {
    parseStrict(sp, now);
    return null;
  } catch (e) {
    if (isFleetscopeError(e)) return `${e.message} Showing the last ${DEFAULT_RANGE}.`;
    throw e;
  }
}

/** The window [from, to) in epoch ms for a range at `now`. */
export function resolveTimeRange(range: TimeRange, now: number): { from: number; to: number } {
  const w = resolveRange(
    range.kind === "preset" ? range : { kind: "custom", from: epochMs(range.from), to: epochMs(range.to) },
    epochMs(now),
  );
  return { from: w.start, to: w.end };
}

/** Selected regions: the URL's, restricted to the configured ones; none valid → all configured. */
export function parseRegions(sp: SearchParams, configured: readonly string[]): string[] {
  const asked = (first(sp.regions) ?? "").split(",").map((r) => r.trim());
  const chosen = configured.filter((r) => asked.includes(r));
  return chosen.length > 0 ? chosen : [...configured];
}

/** What is wrong with `?regions=`, said to the user (the pages show the regions parseRegions chose), or null. */
export function regionsProblem(sp: SearchParams, configured: readonly string[]): string | null {
  const raw = first(sp.regions);
  if (raw === undefined) return null;
  const asked = raw
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = asked.filter((r) => !configured.includes(r));
  if (unknown.length === 0) return null;
  const shown = parseRegions(sp, configured);
  return (
    `Not a configured region: ${unknown.join(", ")} (FLEETSCOPE_REGIONS is ${configured.join(", ")}). ` +
    `Showing ${shown.join(", ")}.`
  );
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
