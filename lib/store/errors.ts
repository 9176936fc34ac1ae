/**
 * Error groups as the collector stores them (contract C3): one row per (region, function, version, minute,
 * fingerprint), written by the collector's logs step for the same window as the REPORT rollups, so the logs
 * coverage (`telemetry.coverage(region, "logs", 60)`) says which minutes they cover.
 *
 * Invariants:
 * - `put` replaces a row with the same key (a window read again after a failed step writes the same rows).
 * - A null version is stored as '' (a primary-key column cannot hold NULL usefully) and read back as null.
 * - Rows are our own; a row whose examples do not parse (zod) reads with no examples rather than failing a page.
 * - Pruned like the 1-minute rollups (the collector's maintenance step).
 */
import { z } from "zod";
import type { ErrorExample, ErrorGroupRow, ErrorKind } from "@/lib/core/error-groups/types";
import type { Db } from "./database";

export interface ErrorStore {
  put(rows: ErrorGroupRow[]): void;
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
  return {
    put: (rows) => put(rows),
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
    prune: (beforeMs) => prune.run(beforeMs).changes,
  };
}
