/**
 * The process's store: one SQLite file or one PostgreSQL pool, opened on first use from FLEETSCOPE_DATABASE_URL,
 * with the repositories built on it. Every repository method is async (PostgreSQL is a network away).
 * The store's composition root: the one file of lib/store that reads lib/config (the database URL, pool settings
 * and the clock); everything else in lib/store depends on lib/core only. Server-only; tests build stores on
 * their own `openDatabase(…)` (test/support/stores.ts runs a suite on both engines).
 */
import "server-only";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import type { AccountId } from "@/lib/core/accounts/account-id";
import { adoptLegacyAccount } from "./adopt";
import { createAuditLog, type AuditLog } from "./audit-log";
import { createCollectorAccountStore, type CollectorAccountStore } from "./collector-accounts";
import { sql } from "kysely";
import { FleetscopeError } from "@/lib/core/errors";
import { openDatabase, storeBusy, type Db } from "./database";
import { createErrorStore, type ErrorStore } from "./errors";
import { createInventoryStore, type InventoryStore } from "./inventory";
import { checkFence, createLeases, type Fence, type Leases } from "./leases";
import { createPlanStore, type PlanStore } from "./plans";
import { createSessionStore, type SessionStore } from "./sessions";
import { createSettings, type Settings } from "./settings";
import { createTelemetryStore, type TelemetryStore } from "./telemetry";
import { createTriggerStore, type TriggerStore } from "./triggers";
import { createVersionConfigStore, type VersionConfigStore } from "./version-configs";

export interface Store {
  db: Db;
  audit: AuditLog;
  plans: PlanStore;
  leases: Leases;
  settings: Settings;
  sessions: SessionStore;
  versionConfigs: VersionConfigStore;
  telemetry: TelemetryStore;
  inventory: InventoryStore;
  triggers: TriggerStore;
  errors: ErrorStore;
  /** Whether the collector reaches each account (written by the leading collector only). */
  collectorAccounts: CollectorAccountStore;
  /**
   * Runs `write` in one transaction that first checks `fence` (lib/store/leases.ts): every write the leader of
   * a lease makes goes through here, so a leader that lost its lease writes nothing. Throws a coded LeaseLost
   * error (and writes nothing) when the lease changed hands. `write` gets a store bound to the transaction.
   */
  fenced<T>(fence: Fence, write: (tx: Store) => Promise<T>): Promise<T>;
  /**
   * Gives rows stored before accounts were recorded (account '') to `account`, in every table, in one
   * transaction; returns how many moved (0 once done). The collector calls it once per start (lib/store/adopt.ts).
   */
  adoptLegacyAccount(account: AccountId): Promise<number>;
  /** One trivial round trip (`SELECT 1`): resolves when the database answers (health checks). */
  ping(): Promise<void>;
}

export function leaseLost(fence: Fence): FleetscopeError {
  return new FleetscopeError(
    "LeaseLost",
    `Lease "${fence.key}" (generation ${fence.generation}) is no longer held by ${fence.owner}: nothing written.`,
    { lease: fence.key, generation: fence.generation },
  );
}

export const createStore = (db: Db): Store => ({
  db,
  audit: createAuditLog(db),
  plans: createPlanStore(db),
  leases: createLeases(db),
  settings: createSettings(db),
  sessions: createSessionStore(db),
  versionConfigs: createVersionConfigStore(db),
  telemetry: createTelemetryStore(db),
  inventory: createInventoryStore(db),
  triggers: createTriggerStore(db),
  errors: createErrorStore(db),
  collectorAccounts: createCollectorAccountStore(db),
  fenced: (fence, write) =>
    db.kysely.transaction().execute(async (trx) => {
      const tx: Db = { dialect: db.dialect, kysely: trx, close: db.close };
      if (!(await checkFence(tx, fence))) throw leaseLost(fence);
      return write(createStore(tx));
    }),
  adoptLegacyAccount: (account) => adoptLegacyAccount(db, account),
  ping: async () => {
    // A full pool answers at once rather than after the connect timeout: a health check must say "busy" in time.
    const busy = db.saturated?.() ?? null;
    if (busy !== null) throw storeBusy(busy);
    await sql`SELECT 1`.execute(db.kysely);
  },
});

// Kept on globalThis so Next's dev-mode module reloading does not open a second connection per edit.
const holder = globalThis as typeof globalThis & { __fleetscopeStore?: Store };

export function store(): Store {
  const e = env();
  holder.__fleetscopeStore ??= createStore(
    openDatabase(e.databaseUrl, {
      now: systemClock.now,
      poolSize: e.databasePoolSize,
      statementTimeoutMs: e.databaseStatementTimeoutMs,
      connectTimeoutMs: e.databaseConnectTimeoutMs,
      idleInTransactionTimeoutMs: Math.max(5_000, Math.floor((e.leaseSeconds * 1000) / 2)),
    }),
  );
  return holder.__fleetscopeStore;
}
