"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { useUrlUpdate } from "@/components/shell/use-url-update";
import { Select } from "@/components/ui/select";

export const REFRESH_OPTIONS = { off: 0, "30s": 30_000, "1m": 60_000, "5m": 300_000 } as const;
type RefreshKey = keyof typeof REFRESH_OPTIONS;

const parse = (v: string | null): RefreshKey =>
  v !== null && v in REFRESH_OPTIONS ? (v as RefreshKey) : "off";

/**
 * `?refresh=30s|1m|5m`: re-render the server components on an interval. Only relative ranges move with time,
 * so a custom (absolute) range never refreshes. The server's cache makes a refresh inside one bucket free.
 */
export function AutoRefresh() {
  const router = useRouter();
  const params = useSearchParams();
  const { update } = useUrlUpdate();
  const every = parse(params.get("refresh"));
  const absolute = params.has("from") && params.has("to");
  useEffect(() => {
    const ms = REFRESH_OPTIONS[every];
    if (ms === 0 || absolute) return;
    const id = setInterval(() => router.refresh(), ms);
    return () => clearInterval(id);
  }, [every, absolute, router]);
  return (
    <div className="flex items-center gap-1.5 text-sm">
      <span aria-hidden className="text-zinc-500 dark:text-zinc-400">
        Auto-refresh
      </span>
      <Select
        aria-label="Auto-refresh"
        value={every}
        disabled={absolute}
        onValueChange={(v) => update({ refresh: v === "off" ? null : v })}
        options={Object.keys(REFRESH_OPTIONS).map((k) => ({ value: k, label: k }))}
      />
    </div>
  );
}
