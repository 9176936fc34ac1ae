/** Schema migrations, append-only: never edit a released entry, add a new one. Index + 1 is the version. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    region TEXT NOT NULL,
    function_name TEXT NOT NULL,
    alias TEXT NOT NULL,
    action TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    reason TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    plan_id TEXT
  );
  CREATE INDEX audit_log_target ON audit_log (region, function_name, alias, at);

  CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    region TEXT NOT NULL,
    function_name TEXT NOT NULL,
    alias TEXT NOT NULL,
    spec_json TEXT NOT NULL,
    state_json TEXT NOT NULL,
    status TEXT NOT NULL,
    last_revision_id TEXT,
    last_checks_json TEXT
  );
  -- One running plan per alias, enforced by the database rather than by a check-then-insert race.
  CREATE UNIQUE INDEX plans_one_running ON plans (region, function_name, alias) WHERE status = 'running';

  CREATE TABLE leases (
    key TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  `
  -- Published Lambda versions are immutable: the advisor reads each configuration once (version-configs.ts).
  CREATE TABLE lambda_version_configs (
    arn TEXT PRIMARY KEY,
    config_json TEXT NOT NULL,
    read_at INTEGER NOT NULL
  );
  CREATE TABLE lambda_inventory_cursors (
    scope TEXT PRIMARY KEY,
    marker TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
];
