/**
 * Error groups as the collector stores them (contract C3): one row per (region, function, version, minute,
 * fingerprint), written by the collector's own errors step (lib/collector/errors-step.ts) with their own
 * coverage — rollup_coverage's source "errors" at 60 s, per region — which says which minutes they cover (a
 * covered minute without a row had no error; the logs coverage says nothing about errors).
 *
 * Invariants:
 * - `putWindow` stores a window's rows, its partly read minutes and widens the coverage in one transaction, so a
 *   failed step leaves nothing behind and a covered minute always has its rows.
 * - A partly read minute (one second of one log group held more error lines than Insights returns) is covered
 *   and its counts are lower bounds: `partialMinutes` says which, for the page to say so.
 * - `put` replaces a row with the same key (a window read again writes the same rows).
 * - A null version is stored as '' (a primary-key column cannot hold NULL usefully) and read back as null.
 * - Rows are our own; a row whose examples do not parse (zod) reads with no examples rather than failing a page.
 * - Pruned like the 1-minute rollups (the collector's maintenance step).
 */
import { z } from "zod";
import type { ErrorExample, ErrorGroupRow, ErrorKind } from "@/lib/core/error-groups/types";
import type { Db } from "./database";

export interface Coverage {
  from: number;
  to: number;
  updatedAt: number;
}

export interface PartialMinute {
  region: string;
  t: number;
  logGroup: string;
}

export interface ErrorStore {
  put(rows: ErrorGroupRow[]): void;
  /** Rows of [from, to) of `region`, its partly read minutes, and the coverage widened to include [from, to). */
  putWindow(
    region: string,
    window: { from: number; to: number },
    rows: ErrorGroupRow[],
    partial: readonly { t: number; logGroup: string }[],
    now: number,
  ): void;
  /** The minutes of `region` whose error groups are collected (one contiguous interval), or null. */
  coverage(region: string): Coverage | null;
  /** Partly read minutes of `regions` in [from, to), oldest first. */
  partialMinutes(q: { regions: string[]; from: number; to: number }): PartialMinute[];
  /** Rows of `regions` (and `fn`) with minute t in [from, to), oldest first. */
  rows(q: { regions: string[]; fn?: string; from: number; to: number }): ErrorGroupRow[];
  /** Deletes rows of minutes before `beforeMs`; returns how many. */
  prune(beforeMs: number): number;
}

interface Stored {
  region: string;
  fn: string;
  version: string;
  t: number;
  fingerprint: string;
  kind: string;
  error_type: string;
  pattern: string;
  sample: string;
  frame: string | null;
  count: number;
  first_ms: number;
  last_ms: number;
  examples_json: string;
}

const KINDS: ReadonlySet<string> = new Set<ErrorKind>(["unhandled", "timeout", "oom", "logged"]);

const examples = z.array(
  z.object({ requestId: z.string(), atMs: z.number(), traceId: z.string().nullable() }),
);

function readExamples(json: string): ErrorExample[] {
  try {
    const r = examples.safeParse(JSON.parse(json));
    return r.success ? r.data : [];
  } catch {
    return [];
  }
}

function fromStored(r: Stored): ErrorGroupRow | null {
  if (!KINDS.has(r.kind)) return null;
  return {
    region: r.region,
    fn: r.fn,
    version: r.version === "" ? null : r.version,
    t: r.t,
    fingerprint: r.fingerprint,
    kind: r.kind as ErrorKind,
    errorType: r.error_type,
    pattern: r.pattern,
    sample: r.sample,
    frame: r.frame,
    count: r.count,
    firstMs: r.first_ms,
    lastMs: r.last_ms,
    examples: readExamples(r.examples_json),
  };
}

export function createErrorStore(db: Db): ErrorStore {
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO error_groups (region, fn, version, t, fingerprint, kind, error_type, pattern, sample,
       frame, count, first_ms, last_ms, examples_json)
     VALUES (@region, @fn, @version, @t, @fingerprint, @kind, @errorType, @pattern, @sample, @frame, @count,
       @firstMs, @lastMs, @examples)`,
  );
  const ofRegion = db.prepare(
    "SELECT * FROM error_groups WHERE region = ? AND t >= ? AND t < ? ORDER BY t, fn, version, fingerprint",
  );
  const ofFunction = db.prepare(
    "SELECT * FROM error_groups WHERE region = ? AND fn = ? AND t >= ? AND t < ? ORDER BY t, version, fingerprint",
  );
  const prune = db.prepare("DELETE FROM error_groups WHERE t < ?");
  const prunePartial = db.prepare("DELETE FROM error_partial_minutes WHERE t < ?");
  // The errors coverage lives with the rollups' (telemetry.prune moves its start with the 1-minute retention).
  const getCoverage = db.prepare(
    "SELECT from_ms, to_ms, updated_at FROM rollup_coverage WHERE region = ? AND source = 'errors' AND res = 60",
  );
  const widenCoverage = db.prepare(
    `INSERT INTO rollup_coverage (region, source, res, from_ms, to_ms, updated_at) VALUES (?, 'errors', 60, ?, ?, ?)
     ON CONFLICT (region, source, res) DO UPDATE SET from_ms = MIN(from_ms, excluded.from_ms),
       to_ms = MAX(to_ms, excluded.to_ms), updated_at = excluded.updated_at`,
  );
  const clearPartial = db.prepare("DELETE FROM error_partial_minutes WHERE region = ? AND t >= ? AND t < ?");
  const addPartial = db.prepare(
    "INSERT OR IGNORE INTO error_partial_minutes (region, t, log_group) VALUES (?, ?, ?)",
  );
  const partialOf = db.prepare(
    "SELECT region, t, log_group FROM error_partial_minutes WHERE region = ? AND t >= ? AND t < ? ORDER BY t, log_group",
  );
  const put = db.transaction((rows: readonly ErrorGroupRow[]) => {
    for (const r of rows)
      upsert.run({
        region: r.region,
        fn: r.fn,
        version: r.version ?? "",
        t: r.t,
        fingerprint: r.fingerprint,
        kind: r.kind,
        errorType: r.errorType,
        pattern: r.pattern,
        sample: r.sample,
        frame: r.frame,
        count: r.count,
        firstMs: r.firstMs,
        lastMs: r.lastMs,
        examples: JSON.stringify(r.examples.slice(0, 3)),
      });
  });
  const putWindow = db.transaction(
    (
      region: string,
      window: { from: number; to: number },
      rows: readonly ErrorGroupRow[],
      partial: readonly { t: number; logGroup: string }[],
      now: number,
    ) => {
      put(rows);
      clearPartial.run(region, window.from, window.to);
      for (const p of partial) addPartial.run(region, p.t, p.logGroup);
      widenCoverage.run(region, window.from, window.to, now);
    },
  );
  return {
    put: (rows) => put(rows),
    putWindow: (region, window, rows, partial, now) => putWindow(region, window, rows, partial, now),
    coverage(region) {
      const r = getCoverage.get(region) as { from_ms: number; to_ms: number; updated_at: number } | undefined;
      return r ? { from: r.from_ms, to: r.to_ms, updatedAt: r.updated_at } : null;
    },
    partialMinutes({ regions, from, to }) {
      return [...new Set(regions)]
        .flatMap((region) =>
          (partialOf.all(region, from, to) as { region: string; t: number; log_group: string }[]).map(
            (r) => ({
              region: r.region,
              t: r.t,
              logGroup: r.log_group,
            }),
          ),
        )
        .sort((a, b) => a.t - b.t);
    },
    rows({ regions, fn, from, to }) {
      const out: ErrorGroupRow[] = [];
      for (const region of [...new Set(regions)]) {
        const stored = (
          fn === undefined ? ofRegion.all(region, from, to) : ofFunction.all(region, fn, from, to)
        ) as Stored[];
        for (const s of stored) {
          const row = fromStored(s);
          if (row) out.push(row);
        }
      }
      return out.sort((a, b) => a.t - b.t);
    },
    prune: (beforeMs) => prune.run(beforeMs).changes + prunePartial.run(beforeMs).changes,
  };
}
