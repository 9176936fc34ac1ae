/**
 * The time range in the URL: `range=3h` (a preset) or `from=<ISO 8601>&to=<ISO 8601>` (custom). The one place URL
 * text becomes a RangeSpec and a RangeSpec becomes URL text (lib/core/time/range.ts owns the type and its rules).
 *
 * Invariants: `loadRange` never throws for URL text; a bad range gives the default preset and a problem in words
 * for the user. A custom range it returns is already valid against `now` (resolveRange), with a future end
 * clamped to now (unless asked not to: a control that must render the same on the server and in the browser). `rangeToParams` writes what `loadRange` reads back unchanged.
 */
import { z } from "zod";
import { isFleetscopeError } from "@/lib/core/errors";
import { DEFAULT_PRESET, RANGE_PRESETS, resolveRange, type RangeSpec } from "@/lib/core/time/range";
import { epochMs, type EpochMs } from "@/lib/core/units";
import { allValues, type UrlInput } from "./params";

/** The URL keys that carry a range. */
export const RANGE_KEYS = ["range", "from", "to"] as const;

export const DEFAULT_RANGE: RangeSpec = { kind: "preset", preset: DEFAULT_PRESET };

const isoDateTime = z.iso.datetime({ offset: true });

type Read<T> = { ok: true; value: T } | { ok: false; problem: string };

const single = (params: UrlInput, key: string): Read<string | undefined> => {
  const values = allValues(params, key);
  return values.length > 1
    ? { ok: false, problem: `The URL repeats "${key}".` }
    : { ok: true, value: values[0] };
};

const parseInstant = (key: "from" | "to", value: string): Read<EpochMs> => {
  const parsed = isoDateTime.safeParse(value);
  return parsed.success
    ? { ok: true, value: epochMs(Date.parse(parsed.data)) }
    : { ok: false, problem: `"${key}" must be an ISO 8601 date-time such as 2025-01-31T12:00:00Z.` };
};

function readRange(params: UrlInput, now: EpochMs, clamp: boolean): Read<RangeSpec> {
  const range = single(params, "range");
  if (!range.ok) return range;
  const from = single(params, "from");
  if (!from.ok) return from;
  const to = single(params, "to");
  if (!to.ok) return to;
  if (range.value !== undefined && (from.value !== undefined || to.value !== undefined))
    return { ok: false, problem: 'Use either "range" or "from"/"to", not both.' };
  if (range.value !== undefined) {
    const preset = z.enum(RANGE_PRESETS).safeParse(range.value);
    return preset.success
      ? { ok: true, value: { kind: "preset", preset: preset.data } }
      : {
          ok: false,
          problem: `Unknown range "${range.value.slice(0, 20)}"; use one of ${RANGE_PRESETS.join(", ")}.`,
        };
  }
  if (from.value === undefined && to.value === undefined) return { ok: true, value: DEFAULT_RANGE };
  if (from.value === undefined || to.value === undefined)
    return { ok: false, problem: 'A custom range needs both "from" and "to".' };
  const start = parseInstant("from", from.value);
  if (!start.ok) return start;
  const end = parseInstant("to", to.value);
  if (!end.ok) return end;
  try {
    const window = resolveRange({ kind: "custom", from: start.value, to: end.value }, now); // clamps a future end
    return { ok: true, value: { kind: "custom", from: window.start, to: clamp ? window.end : end.value } };
  } catch (e) {
    if (isFleetscopeError(e)) return { ok: false, problem: e.message };
    throw e;
  }
}

export interface LoadedRange {
  range: RangeSpec;
  /** Why the URL's range was not used (the default is shown instead), for the user; null when it was. */
  problem: string | null;
}

/**
 * The URL's range validated against `now`; the default with a problem when it is bad. Never throws.
 * `clamp: false` keeps a custom range's future end as the URL writes it (still validated against `now`): for
 * a control rendered on the server and again in the browser, whose two `now`s differ, so that what it shows
 * (the custom inputs) does not depend on the instant and hydrates unchanged. The data is read over the
 * clamped range (the page's own loadRange).
 */
export function loadRange(
  params: UrlInput,
  now: EpochMs,
  { clamp = true }: { clamp?: boolean } = {},
): LoadedRange {
  const r = readRange(params, now, clamp);
  return r.ok
    ? { range: r.value, problem: null }
    : { range: DEFAULT_RANGE, problem: `${r.problem} Showing the last ${DEFAULT_PRESET}.` };
}

/** The URL params for a spec: `{ range: "3h" }` or `{ from, to }` in ISO 8601 (UTC, milliseconds). */
export function rangeToParams(spec: RangeSpec): Record<string, string> {
  return spec.kind === "preset"
    ? { range: spec.preset }
    : { from: new Date(spec.from).toISOString(), to: new Date(spec.to).toISOString() };
}

/** `range=3h` or `from=…&to=…`, ready to join into a query string. */
export const serializeRange = (spec: RangeSpec): string =>
  new URLSearchParams(rangeToParams(spec)).toString();
