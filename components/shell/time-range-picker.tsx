"use client";

import { useState } from "react";
import { parseTimeRange, RANGE_PRESETS, timeRangeProblem } from "@/app/search-params";
import { useUrlUpdate } from "./use-url-update";
import { UrlProblem } from "./url-problem";

const CUSTOM = "custom";

/** `2025-03-04T17:05` for a datetime-local input, in UTC like every time the console shows. */
const toInput = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** Preset ranges (`?range=`) or a custom UTC window (`?from=&to=`). */
export function TimeRangePicker() {
  const { update, searchParams } = useUrlUpdate();
  const params = Object.fromEntries(searchParams.entries());
  const range = parseTimeRange(params);
  const problem = timeRangeProblem(params);
  const [customOpen, setCustomOpen] = useState(range.kind === "absolute");
  const [from, setFrom] = useState(range.kind === "absolute" ? toInput(range.from) : "");
  const [to, setTo] = useState(range.kind === "absolute" ? toInput(range.to) : "");

  const value = customOpen || range.kind === "absolute" ? CUSTOM : range.preset;
  const valid = from !== "" && to !== "" && from < to;

  return (
    <div className="flex items-center gap-2">
      <UrlProblem message={problem} />
      <label className="flex items-center gap-1.5 text-sm">
        <span className="text-zinc-500 dark:text-zinc-400">Range</span>
        <select
          value={value}
          onChange={(e) => {
            if (e.target.value === CUSTOM) return setCustomOpen(true);
            setCustomOpen(false);
            update({ range: e.target.value, from: null, to: null });
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
          onSubmit={(e) => {
            e.preventDefault();
            if (!valid) return;
            update({ range: null, from: `${from}:00Z`, to: `${to}:00Z` });
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
    </div>
  );
}
