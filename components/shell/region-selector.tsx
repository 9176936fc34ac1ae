"use client";

import { loadRegions } from "@/lib/url/shell";
import { useUrlUpdate } from "./use-url-update";
import { UrlProblem } from "./url-problem";

/** Multi-select of the configured regions, stored as `?regions=` (absent = all). */
export function RegionSelector({ configured }: { configured: readonly string[] }) {
  const { update, pending, searchParams } = useUrlUpdate();
  const { regions: selected, problem } = loadRegions(searchParams, configured);

  const toggle = (region: string) => {
    const next = selected.includes(region) ? selected.filter((r) => r !== region) : [...selected, region];
    // Keep at least one region; all selected is the default and needs no parameter.
    if (next.length === 0) return;
    const ordered = configured.filter((r) => next.includes(r));
    update({ regions: ordered.length === configured.length ? null : ordered.join(",") });
  };

  const label = selected.length === configured.length ? "All regions" : selected.join(", ");
  return (
    <div className="relative flex items-center" data-testid="region-selector">
      <details className="relative" data-pending={pending || undefined}>
        <summary
          aria-describedby={problem ? "regions-problem" : undefined}
          className="flex cursor-pointer list-none items-center gap-1.5 rounded-md border border-zinc-200 px-2.5 py-1 text-sm text-zinc-700 outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-700 dark:text-zinc-200"
          aria-label={`Regions: ${label}`}
        >
          <span className="text-zinc-500 dark:text-zinc-400">Regions</span>
          <span className="max-w-48 truncate font-medium">{label}</span>
          <span aria-hidden>▾</span>
        </summary>
        <fieldset className="absolute right-0 z-20 mt-1 min-w-48 rounded-md border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
          <legend className="sr-only">Regions to show</legend>
          {configured.map((region) => (
            <label
              key={region}
              className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 font-mono text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
            >
              <input
                type="checkbox"
                checked={selected.includes(region)}
                onChange={() => toggle(region)}
                className="accent-sky-600"
              />
              {region}
            </label>
          ))}
        </fieldset>
      </details>
      <UrlProblem id="regions-problem" message={problem} floating="end" />
    </div>
  );
}
