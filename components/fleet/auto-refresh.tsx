"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { UrlProblem } from "@/components/shell/url-problem";
import { useUrlUpdate } from "@/components/shell/use-url-update";
import { Select } from "@/components/ui/select";
import { loadRefresh, REFRESH_CHOICES, withRefresh, type RefreshKey } from "@/lib/url/refresh";

const PROBLEM_ID = "refresh-problem";

/**
 * `?refresh=30s|1m|5m` (lib/url/refresh.ts): re-render the server components on an interval. Only relative ranges
 * move with time, so a custom (absolute) range never refreshes. The server's cache makes a refresh inside one
 * bucket free. A bad value is off, said next to the control.
 */
export function AutoRefresh() {
  const router = useRouter();
  const { go, searchParams: params } = useUrlUpdate();
  const { refresh, ms, problem } = loadRefresh(params);
  const absolute = params.has("from") && params.has("to");
  useEffect(() => {
    if (ms <= 0 || absolute) return;
    const id = setInterval(() => router.refresh(), ms);
    return () => clearInterval(id);
  }, [ms, absolute, router]);
  return (
    <div className="relative flex items-center gap-1.5 text-sm">
      <span aria-hidden className="text-zinc-500 dark:text-zinc-400">
        Auto-refresh
      </span>
      <Select
        aria-label="Auto-refresh"
        aria-describedby={problem ? PROBLEM_ID : undefined}
        aria-invalid={problem ? true : undefined}
        value={refresh}
        disabled={absolute}
        onValueChange={(v) => go(withRefresh(params.toString(), v as RefreshKey))}
        options={REFRESH_CHOICES.map((k) => ({ value: k, label: k }))}
      />
      <UrlProblem id={PROBLEM_ID} message={problem} floating="end" />
    </div>
  );
}
