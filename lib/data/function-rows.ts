/**
 * Search and sort for the Functions table. Pure and shared by the server (first render) and the client table
 * (instant filtering), so the URL `?q=&sort=&dir=` means the same thing on both sides.
 */
import type { Alias } from "@/lib/core/lambda/types";

/** One row of the fleet listing: a function's $LATEST configuration plus its versions and aliases. */
export interface FleetFunction {
  region: string;
  name: string;
  description: string;
  runtime: string | null;
  packageType: "Zip" | "Image";
  architecture: "x86_64" | "arm64";
  memoryMb: number;
  timeoutSeconds: number;
  codeSizeBytes: number;
  lastModified: number;
  /** Published versions ($LATEST excluded). */
  versionsCount: number;
  /** null when the aliases could not be loaded (the row still shows). */
  aliases: Alias[] | null;
}

export const SORT_KEYS = [
  "name",
  "region",
  "runtime",
  "architecture",
  "memory",
  "timeout",
  "codeSize",
  "lastModified",
  "versions",
  "aliases",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";

const value = (f: FleetFunction, key: SortKey): string | number => {
  switch (key) {
    case "name":
      return f.name;
    case "region":
      return f.region;
    case "runtime":
      return f.runtime ?? "";
    case "architecture":
      return f.architecture;
    case "memory":
      return f.memoryMb;
    case "timeout":
      return f.timeoutSeconds;
    case "codeSize":
      return f.codeSizeBytes;
    case "lastModified":
      return f.lastModified;
    case "versions":
      return f.versionsCount;
    case "aliases":
      return f.aliases?.length ?? -1;
  }
};

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Case-insensitive match on name or runtime; every whitespace-separated term must match. */
export function filterFunctions(rows: readonly FleetFunction[], q: string): FleetFunction[] {
  const terms = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...rows];
  return rows.filter((f) => {
    const haystack = `${f.name} ${f.runtime ?? "image"}`.toLowerCase();
    return terms.every((t) => haystack.includes(t));
  });
}

/** Stable sort; ties fall back to region then name so the order never depends on load order. */
export function sortFunctions(rows: readonly FleetFunction[], key: SortKey, dir: SortDir): FleetFunction[] {
  const sign = dir === "asc" ? 1 : -1;
  const compare = (a: string | number, b: string | number) =>
    typeof a === "number" && typeof b === "number" ? a - b : collator.compare(String(a), String(b));
  return [...rows].sort(
    (a, b) =>
      sign * compare(value(a, key), value(b, key)) ||
      collator.compare(a.region, b.region) ||
      collator.compare(a.name, b.name),
  );
}

/** `live → 7 (70%) / 8 (30%)`, or `live → 7` without routing. */
export function formatAliasRouting(alias: Alias): string {
  if (!alias.routing) return `${alias.name} → ${alias.functionVersion}`;
  const extra = Math.round(alias.routing.weight * 1000) / 10;
  const primary = Math.round((100 - extra) * 10) / 10;
  return `${alias.name} → ${alias.functionVersion} (${primary}%) / ${alias.routing.additionalVersion} (${extra}%)`;
}
