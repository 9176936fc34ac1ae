/**
 * Error groups as the collector stores them (contract C3): one row per (account, region, function, version,
 * minute, fingerprint), written by the collector's own errors step (lib/collector/errors-step.ts) with their own
 * coverage — rollup_coverage's source "errors" at 60 s, per account-region — which says which minutes they cover (a
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
 * - Read in the same order on both engines: sorted here, by code units, not by the database's collation.
 */
import { sql } from "kysely";
import { scopeKey, type Scope } from "@/lib/core/accounts/scope";
import { z } from "zod";
import { invalidInput } from "@/lib/core/errors";
import type { ErrorExample, ErrorGroupRow, ErrorKind } from "@/lib/core/error-groups/types";
import type { Db } from "./database";
import { atomically, byCodeUnits, chunked, lastByKey } from "./writes";

export interface Coverage {
  from: number;
  to: number;
  updatedAt: number;
}

export interface PartialMinute {
  account: string;
  region: string;
  t: number;
  logGroup: string;
}

export interface ErrorStore {
  put(rows: ErrorGroupRow[]): Promise<void>;
  /** Rows of [from, to) of `scope`, its partly read minutes, and the coverage widened to include [from, to). */
  putWindow(
    scope: Scope,
    window: { from: number; to: number },
    rows: ErrorGroupRow[],
    partial: readonly { t: number; logGroup: string }[],
    now: number,
  ): Promise<void>;
  /** The minutes of `scope` whose error groups are collected (one contiguous interval), or null. */
  coverage(scope: Scope): Promise<Coverage | null>;
  /** Partly read minutes of `scopes` in [from, to), oldest first. */
  partialMinutes(q: { scopes: readonly Scope[]; from: number; to: number }): Promise<PartialMinute[]>;
  /** Rows of `scopes` (and `fn`) with minute t in [from, to), oldest first. */
  rows(q: { scopes: readonly Scope[]; fn?: string; from: number; to: number }): Promise<ErrorGroupRow[]>;
  /** Deletes rows of minutes before `beforeMs`; returns how many. */
  prune(beforeMs: number): Promise<number>;
}

interface Stored {
  account: string;
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
    account: r.account,
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

const COLUMNS = sql.raw(
  "account, region, fn, version, t, fingerprint, kind, error_type, pattern, sample, frame, count, first_ms, last_ms, examples_json",
);
const COLUMN_COUNT = 15;

const errorKey = (r: ErrorGroupRow) =>
  [r.account, r.region, r.fn, r.t, r.version ?? "", r.fingerprint].join("\u0000");

// The stored order, the same on both engines: minute, then function, version and fingerprint by code units.
const storedOrder = (a: Stored, b: Stored) =>
  a.t - b.t ||
  byCodeUnits(a.fn, b.fn) ||
  byCodeUnits(a.version, b.version) ||
  byCodeUnits(a.fingerprint, b.fingerprint);

/** Upserts `rows` (a row with the same key is replaced), in chunks, on `db` (a transaction). */
async function upsertRows(db: Db, rows: readonly ErrorGroupRow[]): Promise<void> {
  for (const chunk of chunked(lastByKey(rows, errorKey), COLUMN_COUNT)) {
    const values = chunk.map(
      (r) =>
        sql`(${r.account}, ${r.region}, ${r.fn}, ${r.version ?? ""}, ${r.t}, ${r.fingerprint}, ${r.kind}, ${r.errorType},
          ${r.pattern}, ${r.sample}, ${r.frame}, ${r.count}, ${r.firstMs}, ${r.lastMs},
          ${JSON.stringify(r.examples.slice(0, 3))})`,
    );
    await sql`
      INSERT INTO error_groups (${COLUMNS}) VALUES ${sql.join(values)}
      ON CONFLICT (account, region, fn, t, version, fingerprint) DO UPDATE SET kind = excluded.kind,
        error_type = excluded.error_type, pattern = excluded.pattern, sample = excluded.sample,
        frame = excluded.frame, count = excluded.count, first_ms = excluded.first_ms, last_ms = excluded.last_ms,
        examples_json = excluded.examples_json`.execute(db.kysely);
  }
}

/** Each scope once, in first-asked order. */
const distinctScopes = (scopes: readonly Scope[]): Scope[] => lastByKey(scopes, scopeKey);

/** Rows of any of `scopes`: one (account, region) pair each, so every branch is an index range. */
const anyScope = (scopes: readonly Scope[]) =>
  sql.join(
    scopes.map((s) => sql`(account = ${s.account} AND region = ${s.region})`),
    sql` OR `,
  );

/** A row's place in the order the scopes were asked in. */
function rankOf(scopes: readonly Scope[]): (r: { account: string; region: string }) => number {
  const rank = new Map(scopes.map((s, i) => [scopeKey(s), i]));
  return (r) => rank.get(`${r.account}:${r.region}`) ?? scopes.length;
}

export function createErrorStore(db: Db): ErrorStore {
  const k = db.kysely;
  return {
    put: (rows) => (rows.length === 0 ? Promise.resolve() : atomically(db, (tx) => upsertRows(tx, rows))),
    putWindow: (scope, window, rows, partial, now) =>
      atomically(db, async (tx) => {
        // The window's coverage is the scope's: a row of another account or region would be covered by nothing.
        const stray = rows.find((r) => r.account !== scope.account || r.region !== scope.region);
        if (stray)
          throw invalidInput(
            `Error group of ${stray.account}/${stray.region} ${stray.fn} given in a window of ${scopeKey(scope)}.`,
            { account: stray.account, region: stray.region, scope: scopeKey(scope) },
          );
        await upsertRows(tx, rows);
        await sql`DELETE FROM error_partial_minutes WHERE account = ${scope.account} AND region = ${scope.region}
          AND t >= ${window.from} AND t < ${window.to}`.execute(tx.kysely);
        const minutes = lastByKey(partial, (p) => `${p.t}\u0000${p.logGroup}`);
        for (const chunk of chunked(minutes, 4)) {
          await sql`
            INSERT INTO error_partial_minutes (account, region, t, log_group)
            VALUES ${sql.join(chunk.map((p) => sql`(${scope.account}, ${scope.region}, ${p.t}, ${p.logGroup})`))}
            ON CONFLICT (account, region, t, log_group) DO NOTHING`.execute(tx.kysely);
        }
        // The errors coverage lives with the rollups' (telemetry.prune moves its start with the 1-minute
        // retention). Widened, never narrowed: CASE rather than scalar MIN/MAX, which PostgreSQL lacks.
        await sql`
          INSERT INTO rollup_coverage (account, region, source, res, from_ms, to_ms, updated_at)
          VALUES (${scope.account}, ${scope.region}, 'errors', 60, ${window.from}, ${window.to}, ${now})
          ON CONFLICT (account, region, source, res) DO UPDATE SET
            from_ms = CASE WHEN excluded.from_ms < rollup_coverage.from_ms
                           THEN excluded.from_ms ELSE rollup_coverage.from_ms END,
            to_ms = CASE WHEN excluded.to_ms > rollup_coverage.to_ms
                         THEN excluded.to_ms ELSE rollup_coverage.to_ms END,
            updated_at = excluded.updated_at`.execute(tx.kysely);
      }),
    async coverage(scope) {
      const { rows } = await sql<{ from_ms: number; to_ms: number; updated_at: number }>`
        SELECT from_ms, to_ms, updated_at FROM rollup_coverage
        WHERE account = ${scope.account} AND region = ${scope.region} AND source = 'errors' AND res = 60`.execute(
        k,
      );
      const r = rows[0];
      return r ? { from: r.from_ms, to: r.to_ms, updatedAt: r.updated_at } : null;
    },
    async partialMinutes({ scopes, from, to }) {
      const unique = distinctScopes(scopes);
      if (unique.length === 0) return [];
      const { rows } = await sql<{ account: string; region: string; t: number; log_group: string }>`
        SELECT account, region, t, log_group FROM error_partial_minutes
        WHERE (${anyScope(unique)}) AND t >= ${from} AND t < ${to}`.execute(k);
      // Oldest first; within a minute, scopes in the order asked, then log groups by code units.
      const rank = rankOf(unique);
      return rows
        .sort((a, b) => a.t - b.t || rank(a) - rank(b) || byCodeUnits(a.log_group, b.log_group))
        .map((r) => ({ account: r.account, region: r.region, t: r.t, logGroup: r.log_group }));
    },
    async rows({ scopes, fn, from, to }) {
      const unique = distinctScopes(scopes);
      if (unique.length === 0) return [];
      const { rows } = await sql<Stored>`
        SELECT ${COLUMNS} FROM error_groups
        WHERE (${anyScope(unique)}) ${fn === undefined ? sql`` : sql`AND fn = ${fn}`}
          AND t >= ${from} AND t < ${to}`.execute(k);
      // Oldest first; within a minute, scopes in the order asked, then the stored order.
      const rank = rankOf(unique);
      return rows
        .sort((a, b) => a.t - b.t || rank(a) - rank(b) || storedOrder(a, b))
        .flatMap((s) => fromStored(s) ?? []);
    },
    prune: (beforeMs) =>
      atomically(db, async (tx) => {
        const groups = await sql`DELETE FROM error_groups WHERE t < ${beforeMs}`.execute(tx.kysely);
        const partial = await sql`DELETE FROM error_partial_minutes WHERE t < ${beforeMs}`.execute(tx.kysely);
        return Number(groups.numAffectedRows ?? 0) + Number(partial.numAffectedRows ?? 0);
      }),
  };
}
