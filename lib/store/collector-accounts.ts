/**
 * Whether the collector reaches each account: one row per account, the leading collector's view of it ('ok', or
 * 'failing' with the coded error it failed with). Other replicas' status pages and the Advisor read it; the events
 * table (telemetry.ts) keeps only the newest few hundred rows, so it cannot be where this state lives.
 *
 * Invariants:
 * - Only the collector writes, through its fenced transaction (lib/collector/writer.ts): a collector that lost
 *   its lease writes nothing here either.
 * - A row is whole: 'ok' has no error and no failingSince; 'failing' has both.
 * - failingSince is when the account began failing and stays while it keeps failing, whatever its error becomes
 *   (and across a restart that finds it failing still); it is set afresh when a failure follows an 'ok'.
 */
import { sql } from "kysely";
import { epochMs, type EpochMs } from "@/lib/core/units";
import type { Db } from "./database";
import { byCodeUnits } from "./writes";

export type CollectorAccountState = "ok" | "failing";

/** The coded error an account fails with (FleetscopeError's code and message). */
export interface CollectorAccountError {
  code: string;
  message: string;
}

export interface CollectorAccountRow {
  account: string;
  state: CollectorAccountState;
  /** Null when ok. */
  error: CollectorAccountError | null;
  /** When it began failing; null when ok. */
  failingSince: EpochMs | null;
  /** When the collector last wrote this row (a change of state or error, or its first try under a new lease). */
  updatedAt: EpochMs;
}

/** A failing account's error and when the collector saw it begin failing. */
export interface CollectorAccountFailure extends CollectorAccountError {
  since: EpochMs;
}

export interface CollectorAccountStore {
  /** Records, at `at`, `account` as reached (`failure` null) or as failing with `failure`. */
  put(account: string, failure: CollectorAccountFailure | null, at: EpochMs): Promise<void>;
  /** The rows of `accounts` (default: every row), by account id; an account never written has none. */
  list(accounts?: readonly string[]): Promise<CollectorAccountRow[]>;
}

interface Row {
  account: string;
  state: string;
  error_code: string | null;
  error_message: string | null;
  failing_since: number | null;
  updated_at: number;
}

/** Like an event's message (telemetry.ts): an AWS error text is short, a runaway one is cut. */
const MAX_MESSAGE = 2000;

const toRow = (r: Row): CollectorAccountRow => {
  const failing = r.state === "failing";
  return {
    account: r.account,
    state: failing ? "failing" : "ok",
    error: failing ? { code: r.error_code ?? "", message: r.error_message ?? "" } : null,
    failingSince: failing && r.failing_since !== null ? epochMs(Number(r.failing_since)) : null,
    updatedAt: epochMs(Number(r.updated_at)),
  };
};

export function createCollectorAccountStore(db: Db): CollectorAccountStore {
  const k = db.kysely;
  return {
    async put(account, failure, at) {
      const state: CollectorAccountState = failure === null ? "ok" : "failing";
      await sql`
        INSERT INTO collector_accounts (account, state, error_code, error_message, failing_since, updated_at)
        VALUES (${account}, ${state}, ${failure?.code ?? null}, ${failure?.message.slice(0, MAX_MESSAGE) ?? null},
          ${failure?.since ?? null}, ${at})
        ON CONFLICT (account) DO UPDATE SET
          state = excluded.state,
          error_code = excluded.error_code,
          error_message = excluded.error_message,
          failing_since = CASE WHEN collector_accounts.state = 'failing' AND excluded.state = 'failing'
                               THEN collector_accounts.failing_since ELSE excluded.failing_since END,
          updated_at = excluded.updated_at`.execute(k);
    },
    async list(accounts) {
      if (accounts?.length === 0) return [];
      const { rows } = await (
        accounts === undefined
          ? sql<Row>`SELECT account, state, error_code, error_message, failing_since, updated_at
              FROM collector_accounts`
          : sql<Row>`SELECT account, state, error_code, error_message, failing_since, updated_at
              FROM collector_accounts WHERE account IN (${sql.join([...new Set(accounts)])})`
      ).execute(k);
      // Sorted here: ORDER BY follows PostgreSQL's collation, SQLite's is by bytes.
      return rows.map(toRow).sort((a, b) => byCodeUnits(a.account, b.account));
    },
  };
}
