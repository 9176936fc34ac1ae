/**
 * Error groups of a window from the collector's per-minute rows (contract C3): rows of one fingerprint, across
 * minutes, versions, functions, regions and accounts, merge into one group. Pure.
 *
 * Invariants:
 * - A function is its account, region and name: two accounts' same-named functions are counted, listed and
 *   linked apart (their aliases too).
 * - A row's count is distinct requests in its (function, version, minute); a group's count is the sum of its
 *   rows' (a request fails once, in one minute, on one version).
 * - Trend slots are the range's chart slots (the bucket's period, epoch-aligned). A slot the errors coverage does
 *   not cover whole is null (not read), never 0; a covered slot without rows is 0.
 * - `newInCanary` names each alias whose additional (canary) version has the group while its primary version
 *   never does in the window. A row without a version could be either: its function is never marked.
 * - Examples: at most MAX_EXAMPLES, newest first, one per request id.
 * - Worst first: failures (unhandled, timeout, out of memory) before logged errors, then by count, then newest.
 */
import type { Alias } from "@/lib/core/lambda/types";
import { isCovered, type Interval } from "@/lib/core/rollup/tiling";
import { slotInWindow } from "@/lib/core/time/bucket";
import type { ErrorGroupRow, ErrorKind } from "@/lib/core/error-groups/types";

export const MAX_EXAMPLES = 5;

export interface TrendSlot {
  t: number;
  /** null: the slot is not wholly collected. */
  count: number | null;
}

export interface VersionUse {
  account: string;
  region: string;
  fn: string;
  /** null: the collector could not tell which version served these requests. */
  version: string | null;
  count: number;
  /** Aliases that route to this version: as primary (weight = 1 − canary weight) or as canary. */
  aliases: { alias: string; role: "primary" | "canary"; weight: number }[];
}

export interface GroupExample {
  account: string;
  region: string;
  fn: string;
  version: string | null;
  requestId: string;
  atMs: number;
  traceId: string | null;
}

export interface ErrorGroup {
  fingerprint: string;
  kind: ErrorKind;
  errorType: string;
  pattern: string;
  sample: string;
  frame: string | null;
  count: number;
  trend: TrendSlot[];
  firstMs: number;
  lastMs: number;
  /** Most affected first. */
  functions: { account: string; region: string; fn: string; count: number }[];
  versions: VersionUse[];
  newInCanary: { account: string; region: string; fn: string; alias: string; version: string }[];
  examples: GroupExample[];
}

export const isFailure = (k: ErrorKind) => k !== "logged";

/** Where the trend is drawn: the chart slots of [start, end) and what the errors coverage holds of them. */
export interface TrendGrid {
  start: number;
  end: number;
  stepMs: number;
  /** Intervals every read region covers (merged, sorted). */
  covered: readonly Interval[];
}

/** Aliases of stored function details, by fnKey. */
export type AliasesByFunction = ReadonlyMap<string, readonly Alias[]>;

/** One function's key: its account, region and name (functionRefKey's shape). */
export const fnKey = (f: { account: string; region: string; fn: string }) =>
  `${f.account}:${f.region}:${f.fn}`;

export function slotStarts(grid: TrendGrid): number[] {
  const out: number[] = [];
  for (let t = Math.floor(grid.start / grid.stepMs) * grid.stepMs; t < grid.end; t += grid.stepMs)
    out.push(t);
  return out;
}

function trendOf(rows: readonly ErrorGroupRow[], grid: TrendGrid): TrendSlot[] {
  const counts = new Map<number, number>();
  for (const r of rows) {
    const slot = Math.floor(r.t / grid.stepMs) * grid.stepMs;
    counts.set(slot, (counts.get(slot) ?? 0) + r.count);
  }
  return slotStarts(grid).map((t) => {
    const part = slotInWindow(t, grid.stepMs, grid);
    return { t, count: isCovered(grid.covered, part.from, part.to) ? (counts.get(t) ?? 0) : null };
  });
}

function rolesOf(aliases: readonly Alias[], version: string | null): VersionUse["aliases"] {
  if (version === null) return [];
  const out: VersionUse["aliases"] = [];
  for (const a of aliases) {
    const canaryWeight = a.routing?.weight ?? 0;
    if (a.functionVersion === version) out.push({ alias: a.name, role: "primary", weight: 1 - canaryWeight });
    if (a.routing?.additionalVersion === version)
      out.push({ alias: a.name, role: "canary", weight: canaryWeight });
  }
  return out;
}

function versionsOf(rows: readonly ErrorGroupRow[], aliases: AliasesByFunction): VersionUse[] {
  const byVersion = new Map<string, VersionUse>();
  for (const r of rows) {
    const key = `${fnKey(r)}\u0000${r.version ?? ""}`;
    const v = byVersion.get(key);
    if (v) v.count += r.count;
    else
      byVersion.set(key, {
        account: r.account,
        region: r.region,
        fn: r.fn,
        version: r.version,
        count: r.count,
        aliases: rolesOf(aliases.get(fnKey(r)) ?? [], r.version),
      });
  }
  return [...byVersion.values()].sort((a, b) => b.count - a.count);
}

function newInCanary(versions: readonly VersionUse[], aliases: AliasesByFunction): ErrorGroup["newInCanary"] {
  const out: ErrorGroup["newInCanary"] = [];
  const fns = new Map<string, VersionUse[]>();
  for (const v of versions) fns.set(fnKey(v), [...(fns.get(fnKey(v)) ?? []), v]);
  for (const [key, seen] of fns) {
    if (seen.some((v) => v.version === null)) continue;
    const has = new Set(seen.map((v) => v.version));
    const { account, region, fn } = seen[0] as VersionUse;
    for (const a of aliases.get(key) ?? []) {
      const canary = a.routing?.additionalVersion;
      if (canary && has.has(canary) && !has.has(a.functionVersion))
        out.push({ account, region, fn, alias: a.name, version: canary });
    }
  }
  return out;
}

function examplesOf(rows: readonly ErrorGroupRow[]): GroupExample[] {
  const all = rows.flatMap((r) =>
    r.examples.map((e) => ({ account: r.account, region: r.region, fn: r.fn, version: r.version, ...e })),
  );
  all.sort((a, b) => b.atMs - a.atMs);
  const seen = new Set<string>();
  const out: GroupExample[] = [];
  for (const e of all) {
    if (seen.has(e.requestId)) continue;
    seen.add(e.requestId);
    out.push(e);
    if (out.length === MAX_EXAMPLES) break;
  }
  return out;
}

function functionsOf(rows: readonly ErrorGroupRow[]): ErrorGroup["functions"] {
  const by = new Map<string, ErrorGroup["functions"][number]>();
  for (const r of rows) {
    const f = by.get(fnKey(r));
    if (f) f.count += r.count;
    else by.set(fnKey(r), { account: r.account, region: r.region, fn: r.fn, count: r.count });
  }
  return [...by.values()].sort((a, b) => b.count - a.count);
}

/** The newest row's text wins (a fingerprint's rows share type and pattern; a newer sample is more telling). */
function mergeOne(rows: readonly ErrorGroupRow[], grid: TrendGrid, aliases: AliasesByFunction): ErrorGroup {
  const newest = rows.reduce((a, b) => (b.lastMs > a.lastMs ? b : a));
  const versions = versionsOf(rows, aliases);
  return {
    fingerprint: newest.fingerprint,
    kind: newest.kind,
    errorType: newest.errorType,
    pattern: newest.pattern,
    sample: newest.sample,
    frame: newest.frame,
    count: rows.reduce((n, r) => n + r.count, 0),
    trend: trendOf(rows, grid),
    firstMs: Math.min(...rows.map((r) => r.firstMs)),
    lastMs: Math.max(...rows.map((r) => r.lastMs)),
    functions: functionsOf(rows),
    versions,
    newInCanary: newInCanary(versions, aliases),
    examples: examplesOf(rows),
  };
}

export function compareGroups(a: ErrorGroup, b: ErrorGroup): number {
  const failure = Number(isFailure(b.kind)) - Number(isFailure(a.kind));
  return failure || b.count - a.count || b.lastMs - a.lastMs || a.fingerprint.localeCompare(b.fingerprint);
}

export function mergeErrorGroups(
  rows: readonly ErrorGroupRow[],
  grid: TrendGrid,
  aliases: AliasesByFunction,
): ErrorGroup[] {
  const byFingerprint = new Map<string, ErrorGroupRow[]>();
  for (const r of rows) {
    const list = byFingerprint.get(r.fingerprint);
    if (list) list.push(r);
    else byFingerprint.set(r.fingerprint, [r]);
  }
  return [...byFingerprint.values()].map((g) => mergeOne(g, grid, aliases)).sort(compareGroups);
}
