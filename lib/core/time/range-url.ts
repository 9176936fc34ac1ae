/**
 * The time range in the URL: `range=24h` (a preset) or `from=<ISO 8601>&to=<ISO 8601>` (custom). This is the
 * one place URL text becomes a RangeSpec; zod is the boundary and every failure is InvalidInput.
 */
import { z } from "zod";
import { invalidInput } from "../errors";
import { epochMs, type EpochMs } from "../units";
import { DEFAULT_PRESET, RANGE_PRESETS, resolveRange, type RangeSpec } from "./range";

/** The shape Next.js gives a page's `searchParams`. */
export type SearchParamsRecord = Readonly<Record<string, string | string[] | undefined>>;

const isoDateTime = z.iso.datetime({ offset: true });

const single = (params: SearchParamsRecord, key: string): string | undefined => {
  const v = params[key];
  if (Array.isArray(v)) {
    if (v.length > 1) throw invalidInput(`The URL repeats "${key}".`, { param: key });
    return v[0];
  }
  return v;
};

const parseInstant = (key: "from" | "to", value: string): EpochMs => {
  const parsed = isoDateTime.safeParse(value);
  if (!parsed.success) {
    throw invalidInput(`"${key}" must be an ISO 8601 date-time such as 2025-01-31T12:00:00Z.`, {
      param: key,
    });
  }
  return epochMs(Date.parse(parsed.data));
};

/**
 * Reads the range from URL params and validates it against `now` (see range.ts invariants). Absent → the default
 * preset. A custom range whose end lies in the future comes back with `to` clamped to now.
 */
export function parseRangeParams(params: SearchParamsRecord | URLSearchParams, now: EpochMs): RangeSpec {
  const record: SearchParamsRecord = params instanceof URLSearchParams ? groupParams(params) : params;
  const range = single(record, "range");
  const from = single(record, "from");
  const to = single(record, "to");
  if (range !== undefined && (from !== undefined || to !== undefined)) {
    throw invalidInput('Use either "range" or "from"/"to", not both.');
  }
  if (range !== undefined) {
    const preset = z.enum(RANGE_PRESETS).safeParse(range);
    if (!preset.success) {
      throw invalidInput(`Unknown range "${range.slice(0, 20)}"; use one of ${RANGE_PRESETS.join(", ")}.`, {
        param: "range",
      });
    }
    return { kind: "preset", preset: preset.data };
  }
  if (from === undefined && to === undefined) return { kind: "preset", preset: DEFAULT_PRESET };
  if (from === undefined || to === undefined)
    throw invalidInput('A custom range needs both "from" and "to".');
  const spec: RangeSpec = { kind: "custom", from: parseInstant("from", from), to: parseInstant("to", to) };
  const window = resolveRange(spec, now); // validates, and clamps a future end to now
  return { kind: "custom", from: window.start, to: window.end };
}

function groupParams(params: URLSearchParams): SearchParamsRecord {
  const out: Record<string, string[]> = {};
  for (const [k, v] of params) (out[k] ??= []).push(v);
  return out;
}

/** The URL params for a spec: `{ range: "24h" }` or `{ from, to }` in ISO 8601 (UTC, milliseconds). */
export function rangeToParams(spec: RangeSpec): Record<string, string> {
  return spec.kind === "preset"
    ? { range: spec.preset }
    : { from: new Date(spec.from).toISOString(), to: new Date(spec.to).toISOString() };
}

/** `range=24h` or `from=…&to=…`, ready to join into a query string. */
export const serializeRange = (spec: RangeSpec): string =>
  new URLSearchParams(rangeToParams(spec)).toString();
