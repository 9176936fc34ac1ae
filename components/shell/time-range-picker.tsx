"use client";

import { usePathname } from "next/navigation";
import { useState } from "react";
import { systemClock } from "@/lib/config/clock";
import { RANGE_PRESETS, type RangeSpec } from "@/lib/core/time/range";
import { epochMs } from "@/lib/core/units";
import { RANGE_KEYS } from "@/lib/url/range";
import { showsRangePicker } from "@/lib/url/range-pages";
import { loadRange, withRange } from "@/lib/url/shell";
import { useUrlUpdate } from "./use-url-update";
import { UrlProblem } from "./url-problem";

const CUSTOM = "custom";

/** `2025-03-04T17:05` for a datetime-local input, in UTC like every time the console shows. */
const toInput = (ms: number) => new Date(ms).toISOString().slice(0, 16);
/** A datetime-local value read as UTC (the inputs say so). */
const fromInput = (value: string) => epochMs(Date.parse(`${value}:00Z`));

/**
 * Preset ranges (`?range=`) or a custom UTC window (`?from=&to=`), read and written only through lib/url (the
 * one parser and serializer). Shown only on the pages the range affects (lib/url/range-pages); a bad range in
 * the URL is said under the control while the default range is shown.
 */
export function TimeRangePicker() {
  const pathname = usePathname();
  const { searchParams } = useUrlUpdate();
  if (!showsRangePicker(pathname)) return null;
  // Keyed by the URL's range: the header outlives navigation, and a range changed elsewhere (a link, back, a
  // chart's zoom) must reset the custom inputs to what the URL now says.
  const urlRange = RANGE_KEYS.map((k) => searchParams.get(k) ?? "").join("|");
  return <RangeControl key={urlRange} />;
}

function RangeControl() {
  const { go, searchParams } = useUrlUpdate();
  // Not clamped: this renders on the server and again in the browser at a later instant; a future custom end
  // clamped to each one's now would differ between the two and break hydration (the page clamps, not this).
  const { range, problem } = loadRange(searchParams, systemClock.now(), { clamp: false });
  const [customOpen, setCustomOpen] = useState(range.kind === "custom");
  const [from, setFrom] = useState(range.kind === "custom" ? toInput(range.from) : "");
  const [to, setTo] = useState(range.kind === "custom" ? toInput(range.to) : "");

  const value = customOpen || range.kind === "custom" ? CUSTOM : range.preset;
  const valid = from !== "" && to !== "" && from < to;
  const apply = (spec: RangeSpec) => go(withRange(searchParams.toString(), spec));

  return (
    <div className="relative flex items-center gap-2" data-testid="time-range-picker">
      <label className="flex items-center gap-1.5 text-sm">
        <span className="text-zinc-500 dark:text-zinc-400">Range</span>
        <select
          value={value}
          aria-describedby={problem ? "range-problem" : undefined}
          onChange={(e) => {
            if (e.target.value === CUSTOM) return setCustomOpen(true);
            setCustomOpen(false);
            const preset = RANGE_PRESETS.find((p) => p === e.target.value);
            if (preset) apply({ kind: "preset", preset });
          }}
          className="rounded-md border border-zinc-200 bg-white px-2 py-1 text-sm font-medium text-zinc-800 outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        >
          {RANGE_PRESETS.map((p) => (
            <option key={p} value={p}>
              Last {p}
            </option>
          ))}
          <option value={CUSTOM}>Custom…</option>
        </select>
      </label>
      {customOpen ? (
        <form
          className="flex items-center gap-1.5 text-sm"
          aria-label="Custom range"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) apply({ kind: "custom", from: fromInput(from), to: fromInput(to) });
          }}
        >
          <label className="sr-only" htmlFor="range-from">
            From (UTC)
          </label>
          <input
            id="range-from"
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            className="rounded-md border border-zinc-200 bg-white px-1.5 py-0.5 dark:border-zinc-700 dark:bg-zinc-900"
          />
          <span aria-hidden>–</span>
          <label className="sr-only" htmlFor="range-to">
            To (UTC)
          </label>
          <input
            id="range-to"
            type="datetime-local"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            className="rounded-md border border-zinc-200 bg-white px-1.5 py-0.5 dark:border-zinc-700 dark:bg-zinc-900"
          />
          <span className="text-xs text-zinc-500">UTC</span>
          <button
            type="submit"
            disabled={!valid}
            className="rounded-md bg-zinc-900 px-2 py-1 text-xs font-medium text-white disabled:opacity-40 dark:bg-zinc-100 dark:text-zinc-900"
          >
            Apply
          </button>
        </form>
      ) : null}
      <UrlProblem id="range-problem" message={problem} floating="start" />
    </div>
  );
}
