/**
 * The process's store: one SQLite connection opened on first use from FLEETSCOPE_DATABASE_URL, with the
 * repositories built on it. The store's composition root: the one file of lib/store that reads lib/config (the
 * database URL and the clock); everything else in lib/store depends on lib/core only. Server-only; tests build repositories on their own `openDatabase(":memory:")`.
 */
import "server-only";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import { createAuditLog, type AuditLog } from "./audit-log";
import { openDatabase, type Db } from "./database";
import { createErrorStore, type ErrorStore } from "./errors";
import { createInventoryStore, type InventoryStore } from "./inventory";
import { createLeases, type Leases } from "./leases";
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
});

// Kept on globalThis so Next's dev-mode module reloading does not open a second connection per edit.
const holder = globalThis as typeof globalThis & { __fleetscopeStore?: Store };

export function store(): Store {
  holder.__fleetscopeStore ??= createStore(openDatabase(env().databaseUrl, undefined, systemClock.now));
  return holder.__fleetscopeStore;
}
