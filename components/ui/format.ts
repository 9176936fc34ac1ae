/**
 * Display formatting for the UI. Deterministic (UTC, fixed locale) so the server render and hydration agree.
 * lib/core/format.ts, when it lands, should absorb these.
 */
const number = new Intl.NumberFormat("en-US");

export const formatNumber = (n: number) => number.format(n);

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** `2025-03-04 17:05 UTC`; 0 means unknown. */
export function formatDateTime(epochMs: number): string {
  if (!epochMs) return "—";
  return `${new Date(epochMs).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export const formatPercent = (ratio: number, digits = 0) => `${(ratio * 100).toFixed(digits)}%`;

/** "2026-12-07 06:30 UTC": server-rendered times (no locale, so server and browser agree). */
export const utcMinute = (t: number) => `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
