/**
 * The console's one formatting module: numbers a person reads (durations, sizes, counts, percentages, money),
 * instants and relative times. Pure and locale-stable (en-US digits, UTC), so server and client render the same
 * text and tests can pin it. Every formatter renders null (no data) as an em dash, never as 0. Charts
 * (charts/value-format.ts) and the advisor's evidence (advisor/evidence-text.ts) only pick among these by unit.
 */
import type { Bytes, EpochMs, Mb, MicroUsd, Ms, Ratio } from "./units";

export const NO_DATA = "—";

const trimZeros = (s: string) => (s.includes(".") ? s.replace(/\.?0+$/, "") : s);
const valid = (n: number | null | undefined): n is number =>
  n !== null && n !== undefined && Number.isFinite(n);

/** `0.42 ms`, `3.7 ms`, `12.3 ms`, `102 ms`, `1.2 s`, `2m 5s`, `1h 2m`, `3d 4h`. */
export function formatDuration(value: Ms | null | undefined): string {
  if (!valid(value)) return NO_DATA;
  const sign = value < 0 ? "-" : "";
  const v = Math.abs(value);
  if (v < 1) return `${sign}${trimZeros(v.toFixed(2))} ms`;
  if (v < 100) return `${sign}${trimZeros(v.toFixed(1))} ms`;
  if (v < 999.5) return `${sign}${v.toFixed(0)} ms`;
  const s = v / 1000;
  if (s < 59.95) return `${sign}${trimZeros(s.toFixed(1))} s`;
  const totalS = Math.round(s);
  if (totalS < 3600) return `${sign}${Math.floor(totalS / 60)}m ${totalS % 60}s`;
  const totalM = Math.round(s / 60);
  if (totalM < 24 * 60) return `${sign}${Math.floor(totalM / 60)}h ${totalM % 60}m`;
  const totalH = Math.round(s / 3600);
  return `${sign}${Math.floor(totalH / 24)}d ${totalH % 24}h`;
}

/** A span of time, rounded to its largest unit: `40 s`, `12 min`, `1.5 h`, `19 h`, `6.5 d` (coverage, ages). */
export function formatSpan(value: number | null | undefined): string {
  if (!valid(value)) return NO_DATA;
  const v = Math.max(0, value) / 1000;
  const unit = (n: number, label: string) => `${n < 10 ? trimZeros(n.toFixed(1)) : Math.round(n)} ${label}`;
  if (v < 59.5) return `${Math.round(v)} s`;
  if (v < 3570) return `${Math.round(v / 60)} min`;
  if (v < 48 * 3600) return unit(v / 3600, "h");
  return unit(v / 86_400, "d");
}

const BINARY_UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

/** Binary (1024-based) sizes with AWS's labels: `512 B`, `1.5 KB`, `250 MB`, `10 GB`. */
export function formatBytes(value: Bytes | null | undefined): string {
  if (!valid(value)) return NO_DATA;
  let v = Math.abs(value);
  let unit = 0;
  while (v >= 1024 && unit < BINARY_UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  const digits = unit === 0 || v >= 100 ? 0 : 1;
  return `${value < 0 ? "-" : ""}${trimZeros(v.toFixed(digits))} ${BINARY_UNITS[unit]}`;
}

/** Lambda memory sizes: `128 MB`, `1,769 MB` below 10 GB stays in MB as the console shows it; `70.5 MB`. */
export function formatMb(value: Mb | null | undefined): string {
  if (!valid(value)) return NO_DATA;
  return `${groupThousands(trimZeros(value.toFixed(1)))} MB`;
}

function groupThousands(s: string): string {
  const [int = "", frac] = s.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

const grouping = new Intl.NumberFormat("en-US");

/** Exact numbers with thousands separators: `1,234`, `1,234.5` (counts a table shows in full). */
export const formatNumber = (n: number): string => grouping.format(n);

/** Whole numbers with thousands separators: `373,499`. */
export const formatInteger = (n: number): string => grouping.format(Math.round(n));

const COUNT_UNITS = [
  { at: 1e3, suffix: "k" },
  { at: 1e6, suffix: "M" },
  { at: 1e9, suffix: "B" },
  { at: 1e12, suffix: "T" },
] as const;

/** `0`, `42`, `999`, `1.2k`, `12k`, `1.2M`; fractional values below 1,000 keep one decimal (`2.5`). */
export function formatCount(value: number | null | undefined): string {
  if (!valid(value)) return NO_DATA;
  const sign = value < 0 ? "-" : "";
  const v = Math.abs(value);
  if (v < 999.5) return `${sign}${Number.isInteger(v) ? String(v) : trimZeros(v.toFixed(1))}`;
  for (const [i, { at, suffix }] of COUNT_UNITS.entries()) {
    const scaled = v / at;
    const text = scaled < 9.95 ? scaled.toFixed(1) : scaled.toFixed(0);
    // Rounding can carry into the next unit: 999,950 is 1M, not 1000k.
    if (Number(text) < 1000 || i === COUNT_UNITS.length - 1) return `${sign}${trimZeros(text)}${suffix}`;
  }
  return NO_DATA;
}

/** A ratio as a percentage: `0%`, `<0.1%`, `1.2%`, `12%`, `100%`. */
export function formatPercent(value: Ratio | null | undefined): string {
  if (!valid(value)) return NO_DATA;
  const pct = value * 100;
  if (pct === 0) return "0%";
  if (Math.abs(pct) < 0.1) return pct > 0 ? "<0.1%" : ">-0.1%";
  if (Math.abs(pct) < 10) return `${trimZeros(pct.toFixed(1))}%`;
  return `${pct.toFixed(0)}%`;
}

/**
 * A failure or error rate as a percent with one decimal at every size, as the service map and the Edge panel show
 * rates: `0.0%`, `0.1%`, `2.5%`, `12.3%`, `100.0%`. A non-zero rate that would round to `0.0%` (below 0.05 %) is
 * `<0.1%`, so a few failures never read as none. Unlike formatPercent it never drops the decimal: 12.3% is not 12%.
 */
export function formatRate(value: Ratio | null | undefined): string {
  if (!valid(value)) return NO_DATA;
  const text = (value * 100).toFixed(1);
  if (value !== 0 && Number(text) === 0) return value > 0 ? "<0.1%" : ">-0.1%";
  return `${text}%`;
}

/**
 * An alias routing weight as a percent, exact to the hundredth of a percent the weight editor accepts: "50%",
 * "12.5%", "0.05%". Unlike formatPercent it never rounds a weight to whole percents: 12.5% is not 13%.
 */
export function formatWeight(value: Ratio | null | undefined): string {
  if (!valid(value)) return NO_DATA;
  return `${trimZeros((value * 100).toFixed(2))}%`;
}

/** `$1,234.56`, `$1.23`, `$0.50`, `$0.0042` (two significant digits below a dollar), `-$3.10` for a saving. */
export function formatMoney(value: MicroUsd | null | undefined): string {
  if (!valid(value)) return NO_DATA;
  const sign = value < 0 ? "-" : "";
  const usd = Math.abs(value) / 1_000_000;
  if (usd === 0) return "$0.00";
  if (usd >= 0.995) return `${sign}$${groupThousands(usd.toFixed(2))}`;
  const decimals = Math.max(2, 1 - Math.floor(Math.log10(usd)));
  return `${sign}$${usd.toFixed(Math.min(decimals, 6))}`;
}

const RELATIVE_STEPS = [
  { limit: 3600, size: 60, unit: "m" },
  { limit: 86_400, size: 3600, unit: "h" },
  { limit: 30 * 86_400, size: 86_400, unit: "d" },
  { limit: 365 * 86_400, size: 30 * 86_400, unit: "mo" },
  { limit: Number.POSITIVE_INFINITY, size: 365 * 86_400, unit: "y" },
] as const;

/** `just now`, `5m ago`, `3h ago`, `2d ago`, `in 10m` — relative to the `now` passed in. */
export function formatRelativeTime(time: EpochMs | null | undefined, now: EpochMs): string {
  if (!valid(time)) return NO_DATA;
  const diffS = (now - time) / 1000;
  const abs = Math.abs(diffS);
  if (abs < 45) return "just now";
  for (const { limit, size, unit } of RELATIVE_STEPS) {
    if (abs < limit) {
      const n = Math.max(1, Math.round(abs / size));
      return diffS >= 0 ? `${n}${unit} ago` : `in ${n}${unit}`;
    }
  }
  return NO_DATA;
}

/** An instant to the minute in UTC, `2025-03-04 17:05 UTC` (no locale, so server and browser agree); 0 is unknown. */
export function formatDateTime(time: number | null | undefined): string {
  if (!valid(time) || time === 0) return NO_DATA;
  return `${new Date(time).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
