/**
 * URL state every route shares: the selected regions and the time range, and the params links carry from page to
 * page. Pages (server) and the shell controls (client) read and write it only through this module, so a shared
 * link means the same thing everywhere.
 *
 * `?regions=us-east-1,eu-west-1` (absent → every configured region); `?range=3h` or `?from=&to=` (ISO 8601; see
 * ./range.ts). Invariants: loaders never throw for URL text; each bad param gives its default plus a problem in
 * words, which the page or control shows next to that param's control. `now` is always passed in (one clock).
 */
import { resolveRange, type RangeSpec } from "@/lib/core/time/range";
import type { EpochMs } from "@/lib/core/units";
import { asQuery, param, searchOf, type UrlInput } from "./params";
import { loadRange, RANGE_KEYS, rangeToParams } from "./range";

export { decodeSegment, first, type SearchParams, type UrlInput } from "./params";
export { DEFAULT_RANGE, loadRange, rangeToParams, serializeRange } from "./range";

export interface LoadedRegions {
  /** The URL's regions restricted to the configured ones, in configured order; none valid → all configured. */
  regions: string[];
  problem: string | null;
}

export function loadRegions(params: UrlInput, configured: readonly string[]): LoadedRegions {
  const raw = param(params, "regions");
  const asked = (raw ?? "")
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  const chosen = configured.filter((r) => asked.includes(r));
  const regions = chosen.length > 0 ? chosen : [...configured];
  const unknown = asked.filter((r) => !configured.includes(r));
  const problem =
    raw === undefined || unknown.length === 0
      ? null
      : `Not a configured region: ${unknown.map((r) => r.slice(0, 40)).join(", ")} ` +
        `(FLEETSCOPE_REGIONS is ${configured.join(", ")}). Showing ${regions.join(", ")}.`;
  return { regions, problem };
}

export interface ShellState {
  regions: string[];
  range: RangeSpec;
  problems: { regions: string | null; range: string | null };
}

/** Regions and range of a request, each with its problem. */
export function loadShell(params: UrlInput, configured: readonly string[], now: EpochMs): ShellState {
  const r = loadRegions(params, configured);
  const t = loadRange(params, now);
  return { regions: r.regions, range: t.range, problems: { regions: r.problem, range: t.problem } };
}

/**
 * The window [from, to) in epoch ms of a range at `now`, for readers that take a window rather than a bucket
 * (X-Ray, Logs). Never throws for a range loadRange returned at the same `now` (it is already valid).
 */
export function rangeWindow(spec: RangeSpec, now: EpochMs): { from: number; to: number } {
  const w = resolveRange(spec, now);
  return { from: w.start, to: w.end };
}

/** Query-string params that carry the shell state from page to page (links keep regions and range). */
export const SHELL_KEYS = ["regions", ...RANGE_KEYS] as const;

/** `?regions=…&range=…` (only the shell's params of `current`), or "" when there are none. */
export function shellQuery(current: UrlInput): string {
  const out = new URLSearchParams();
  for (const key of SHELL_KEYS) {
    const v = param(current, key);
    if (v) out.set(key, v);
  }
  return asQuery(out);
}

/**
 * The query string `search` (with or without "?") with its range replaced by `spec` (`range=` for a preset,
 * `from=&to=` ISO for custom), every other param kept; returns "?…".
 */
export function withRange(search: string, spec: RangeSpec): string {
  const next = searchOf(search);
  for (const key of RANGE_KEYS) next.delete(key);
  for (const [key, value] of Object.entries(rangeToParams(spec))) next.set(key, value);
  return `?${next.toString()}`;
}
