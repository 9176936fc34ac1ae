/**
 * Schema migrations, append-only: never edit a released entry, add a new one. Index + 1 is the version.
 *
 * One history for both engines. Each entry is written in SQLite's dialect (the embedded default's files were
 * created by exactly this text, so it must not change) using only what `forPostgres` translates: INTEGER (a
 * 64-bit integer in SQLite; epoch ms needs BIGINT in PostgreSQL), REAL, `INTEGER PRIMARY KEY AUTOINCREMENT` and
 * `WITHOUT ROWID`. Everything else (partial indexes, ALTER TABLE … ADD COLUMN / RENAME TO, DROP, INSERT … SELECT,
 * defaults) is the same in both.
 */
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
  `
  -- The collector's rollups (lib/store/telemetry.ts): one row per function (metrics) or log group (REPORT
  -- lines) per bucket, at 1 min, 5 min, 1 h and 1 day. WITHOUT ROWID: the key is the row.
  CREATE TABLE metric_rollups (
    region TEXT NOT NULL,
    res INTEGER NOT NULL,
    t INTEGER NOT NULL,
    fn TEXT NOT NULL,
    invocations REAL NOT NULL,
    errors REAL NOT NULL,
    throttles REAL NOT NULL,
    duration_sum REAL,
    duration_count REAL,
    duration_max REAL,
    concurrency_max REAL,
    unreserved_max REAL,
    pc_executions_max REAL,
    pc_utilization_max REAL,
    pc_spillover REAL NOT NULL,
    iterator_age_max REAL,
    async_dropped REAL NOT NULL,
    recursive_dropped REAL NOT NULL,
    PRIMARY KEY (region, res, t, fn)
  ) WITHOUT ROWID;
  CREATE INDEX metric_rollups_fn ON metric_rollups (region, fn, res, t);

  CREATE TABLE log_rollups (
    region TEXT NOT NULL,
    res INTEGER NOT NULL,
    t INTEGER NOT NULL,
    log_group TEXT NOT NULL,
    reports INTEGER NOT NULL,
    cold_starts INTEGER NOT NULL,
    init_sum REAL NOT NULL,
    init_max REAL,
    billed_sum REAL NOT NULL,
    mem_max REAL,
    mem_size REAL,
    duration_sum REAL NOT NULL,
    duration_max REAL,
    timeouts INTEGER NOT NULL,
    ooms INTEGER NOT NULL,
    durations TEXT NOT NULL,
    PRIMARY KEY (region, res, t, log_group)
  ) WITHOUT ROWID;
  CREATE INDEX log_rollups_group ON log_rollups (region, log_group, res, t);

  -- Per region, source (metrics | logs) and resolution: the contiguous interval [from_ms, to_ms) whose buckets
  -- are complete in the store. Resolution 60 is what the collector read; coarser ones what it rolled up.
  CREATE TABLE rollup_coverage (
    region TEXT NOT NULL,
    source TEXT NOT NULL,
    res INTEGER NOT NULL,
    from_ms INTEGER NOT NULL,
    to_ms INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (region, source, res)
  );

  -- What the collector cost AWS, per region, source and hour.
  CREATE TABLE collector_costs (
    region TEXT NOT NULL,
    source TEXT NOT NULL,
    hour INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    bytes_scanned REAL NOT NULL,
    minutes INTEGER NOT NULL,
    PRIMARY KEY (region, source, hour)
  );

  -- Notable collector events (quota errors, failures), newest kept.
  CREATE TABLE collector_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    region TEXT NOT NULL,
    source TEXT NOT NULL,
    level TEXT NOT NULL,
    message TEXT NOT NULL
  );

  -- The Lambda inventory (lib/store/inventory.ts): one row per function, its $LATEST configuration and published
  -- version numbers from ListFunctions(FunctionVersion=ALL), and the per-function details (aliases, versions, concurrency) read within a request budget.
  CREATE TABLE inventory_functions (
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    config_json TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    details_json TEXT,
    details_revision_id TEXT,
    details_read_at INTEGER,
    published_versions TEXT NOT NULL DEFAULT '[]',
    listed_at INTEGER NOT NULL,
    PRIMARY KEY (region, name)
  );
  CREATE TABLE inventory_regions (
    region TEXT PRIMARY KEY,
    account_json TEXT NOT NULL,
    listed_at INTEGER NOT NULL
  );
  `,
  `
  -- SnapStart restores per log group and bucket (REPORT lines with a Restore Duration) and the sum of their Billed
  -- Restore Duration. NULL in rows written before the collector read them: "not collected", never 0.
  ALTER TABLE log_rollups ADD COLUMN restores INTEGER;
  ALTER TABLE log_rollups ADD COLUMN restore_billed_sum REAL;
  `,
  `
  -- Server-side sessions (lib/store/sessions.ts): a signed cookie is honoured only while its row exists, so
  -- logout, "end all sessions" and a rotated signing secret end sessions before their 12 hours are up.
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    principal_id TEXT NOT NULL,
    principal_name TEXT NOT NULL,
    role TEXT NOT NULL,
    via TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_expiry ON sessions (expires_at);
  `,
  `
  -- Async and stream metrics per function and bucket (AsyncEventsReceived, AsyncEventAge, DeadLetterErrors,
  -- DestinationDeliveryFailures, OffsetLag), collected only for functions CloudWatch lists as publishing them.
  -- NULL where no datapoint was read (not published, or written before these were collected): never 0.
  ALTER TABLE metric_rollups ADD COLUMN async_received REAL;
  ALTER TABLE metric_rollups ADD COLUMN async_age_max REAL;
  ALTER TABLE metric_rollups ADD COLUMN dead_letter_errors REAL;
  ALTER TABLE metric_rollups ADD COLUMN destination_failures REAL;
  ALTER TABLE metric_rollups ADD COLUMN offset_lag_max REAL;
  `,
  `
  -- How each function is invoked, as the collector read it (lib/store/triggers.ts): per function its resource
  -- policy's push sources, function URL, event invoke config and recursion setting, each part a value or the
  -- coded error it failed with, with the RevisionId it was read at; and per region the region-wide event source
  -- mapping listing. A function's mappings are that listing's, so one paged call serves the whole region.
  CREATE TABLE trigger_readings (
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    parts_json TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    read_at INTEGER NOT NULL,
    PRIMARY KEY (region, name)
  );
  CREATE TABLE trigger_mapping_listings (
    region TEXT PRIMARY KEY,
    mappings_json TEXT NOT NULL,
    listed_at INTEGER NOT NULL
  );
  `,
  `
  -- Error groups (lib/store/errors.ts, contract C3): one row per function version, minute and error fingerprint,
  -- written by the collector's logs step for the same window as the REPORT rollups (so the logs coverage says
  -- which minutes they cover). version '' is "the log stream does not say"; examples_json is ours (≤ 3).
  CREATE TABLE error_groups (
    region TEXT NOT NULL,
    fn TEXT NOT NULL,
    version TEXT NOT NULL,
    t INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    kind TEXT NOT NULL,
    error_type TEXT NOT NULL,
    pattern TEXT NOT NULL,
    sample TEXT NOT NULL,
    frame TEXT,
    count INTEGER NOT NULL,
    first_ms INTEGER NOT NULL,
    last_ms INTEGER NOT NULL,
    examples_json TEXT NOT NULL,
    PRIMARY KEY (region, fn, t, version, fingerprint)
  ) WITHOUT ROWID;
  CREATE INDEX error_groups_time ON error_groups (region, t);
  `,
  `
  -- Minutes of error groups that were read only in part (lib/store/errors.ts): one second of one log group held
  -- more error lines than Logs Insights returns, so that minute's counts are lower bounds. The errors coverage
  -- itself is rollup_coverage's source 'errors' (res 60).
  CREATE TABLE error_partial_minutes (
    region TEXT NOT NULL,
    t INTEGER NOT NULL,
    log_group TEXT NOT NULL,
    PRIMARY KEY (region, t, log_group)
  ) WITHOUT ROWID;
  `,
  `
  -- Team deployments (issue 16). A lease's generation grows each time it changes hands (or is taken again after
  -- lapsing), and a leader's writes check it in the same transaction (fencing): a paused old leader cannot write
  -- after a new one took over. Releasing keeps the row (expired) so the generation never goes back.
  ALTER TABLE leases ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
  -- The alias change a plan's runner is about to make, written (fenced) before its UpdateAlias: whoever drives
  -- the plan next recognises that change if it landed, instead of calling it someone else's.
  ALTER TABLE plans ADD COLUMN pending_json TEXT;
  `,
  `
  -- Several accounts (issue 17): a function is its account, region and name together, so every table keyed by
  -- region gains the account first in its key and in its region-led indexes. Tables keyed by region are rebuilt
  -- (a primary key cannot be altered in SQLite): CREATE the new one, copy, DROP, RENAME. Rows from before get
  -- account '' and are adopted by the collector's first start (lib/store/adopt.ts).
  CREATE TABLE metric_rollups_v11 (
    account TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    res INTEGER NOT NULL,
    t INTEGER NOT NULL,
    fn TEXT NOT NULL,
    invocations REAL NOT NULL,
    errors REAL NOT NULL,
    throttles REAL NOT NULL,
    duration_sum REAL,
    duration_count REAL,
    duration_max REAL,
    concurrency_max REAL,
    unreserved_max REAL,
    pc_executions_max REAL,
    pc_utilization_max REAL,
    pc_spillover REAL NOT NULL,
    iterator_age_max REAL,
    async_dropped REAL NOT NULL,
    recursive_dropped REAL NOT NULL,
    async_received REAL,
    async_age_max REAL,
    dead_letter_errors REAL,
    destination_failures REAL,
    offset_lag_max REAL,
    PRIMARY KEY (account, region, res, t, fn)
  ) WITHOUT ROWID;
  INSERT INTO metric_rollups_v11 (region, res, t, fn, invocations, errors, throttles, duration_sum, duration_count,
    duration_max, concurrency_max, unreserved_max, pc_executions_max, pc_utilization_max, pc_spillover,
    iterator_age_max, async_dropped, recursive_dropped, async_received, async_age_max, dead_letter_errors,
    destination_failures, offset_lag_max)
  SELECT region, res, t, fn, invocations, errors, throttles, duration_sum, duration_count, duration_max,
    concurrency_max, unreserved_max, pc_executions_max, pc_utilization_max, pc_spillover, iterator_age_max,
    async_dropped, recursive_dropped, async_received, async_age_max, dead_letter_errors, destination_failures,
    offset_lag_max
  FROM metric_rollups;
  DROP TABLE metric_rollups;
  ALTER TABLE metric_rollups_v11 RENAME TO metric_rollups;
  CREATE INDEX metric_rollups_fn ON metric_rollups (account, region, fn, res, t);

  CREATE TABLE log_rollups_v11 (
    account TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    res INTEGER NOT NULL,
    t INTEGER NOT NULL,
    log_group TEXT NOT NULL,
    reports INTEGER NOT NULL,
    cold_starts INTEGER NOT NULL,
    init_sum REAL NOT NULL,
    init_max REAL,
    billed_sum REAL NOT NULL,
    mem_max REAL,
    mem_size REAL,
    duration_sum REAL NOT NULL,
    duration_max REAL,
    timeouts INTEGER NOT NULL,
    ooms INTEGER NOT NULL,
    durations TEXT NOT NULL,
    restores INTEGER,
    restore_billed_sum REAL,
    PRIMARY KEY (account, region, res, t, log_group)
  ) WITHOUT ROWID;
  INSERT INTO log_rollups_v11 (region, res, t, log_group, reports, cold_starts, init_sum, init_max, billed_sum,
    mem_max, mem_size, duration_sum, duration_max, timeouts, ooms, durations, restores, restore_billed_sum)
  SELECT region, res, t, log_group, reports, cold_starts, init_sum, init_max, billed_sum, mem_max, mem_size,
    duration_sum, duration_max, timeouts, ooms, durations, restores, restore_billed_sum
  FROM log_rollups;
  DROP TABLE log_rollups;
  ALTER TABLE log_rollups_v11 RENAME TO log_rollups;
  CREATE INDEX log_rollups_group ON log_rollups (account, region, log_group, res, t);

  CREATE TABLE rollup_coverage_v11 (
    account TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    source TEXT NOT NULL,
    res INTEGER NOT NULL,
    from_ms INTEGER NOT NULL,
    to_ms INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, source, res)
  );
  INSERT INTO rollup_coverage_v11 (region, source, res, from_ms, to_ms, updated_at)
  SELECT region, source, res, from_ms, to_ms, updated_at FROM rollup_coverage;
  DROP TABLE rollup_coverage;
  ALTER TABLE rollup_coverage_v11 RENAME TO rollup_coverage;

  CREATE TABLE collector_costs_v11 (
    account TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    source TEXT NOT NULL,
    hour INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    bytes_scanned REAL NOT NULL,
    minutes INTEGER NOT NULL,
    PRIMARY KEY (account, region, source, hour)
  );
  INSERT INTO collector_costs_v11 (region, source, hour, requests, bytes_scanned, minutes)
  SELECT region, source, hour, requests, bytes_scanned, minutes FROM collector_costs;
  DROP TABLE collector_costs;
  ALTER TABLE collector_costs_v11 RENAME TO collector_costs;

  CREATE TABLE inventory_functions_v11 (
    account TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    config_json TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    details_json TEXT,
    details_revision_id TEXT,
    details_read_at INTEGER,
    published_versions TEXT NOT NULL DEFAULT '[]',
    listed_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, name)
  );
  INSERT INTO inventory_functions_v11 (region, name, config_json, revision_id, details_json, details_revision_id,
    details_read_at, published_versions, listed_at)
  SELECT region, name, config_json, revision_id, details_json, details_revision_id, details_read_at,
    published_versions, listed_at
  FROM inventory_functions;
  DROP TABLE inventory_functions;
  ALTER TABLE inventory_functions_v11 RENAME TO inventory_functions;

  CREATE TABLE inventory_regions_v11 (
    account TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    account_json TEXT NOT NULL,
    listed_at INTEGER NOT NULL,
    PRIMARY KEY (account, region)
  );
  INSERT INTO inventory_regions_v11 (region, account_json, listed_at)
  SELECT region, account_json, listed_at FROM inventory_regions;
  DROP TABLE inventory_regions;
  ALTER TABLE inventory_regions_v11 RENAME TO inventory_regions;

  CREATE TABLE trigger_readings_v11 (
    account TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    parts_json TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    read_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, name)
  );
  INSERT INTO trigger_readings_v11 (region, name, parts_json, revision_id, read_at)
  SELECT region, name, parts_json, revision_id, read_at FROM trigger_readings;
  DROP TABLE trigger_readings;
  ALTER TABLE trigger_readings_v11 RENAME TO trigger_readings;

  CREATE TABLE trigger_mapping_listings_v11 (
    account TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    mappings_json TEXT NOT NULL,
    listed_at INTEGER NOT NULL,
    PRIMARY KEY (account, region)
  );
  INSERT INTO trigger_mapping_listings_v11 (region, mappings_json, listed_at)
  SELECT region, mappings_json, listed_at FROM trigger_mapping_listings;
  DROP TABLE trigger_mapping_listings;
  ALTER TABLE trigger_mapping_listings_v11 RENAME TO trigger_mapping_listings;

  CREATE TABLE error_groups_v11 (
    account TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    fn TEXT NOT NULL,
    version TEXT NOT NULL,
    t INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    kind TEXT NOT NULL,
    error_type TEXT NOT NULL,
    pattern TEXT NOT NULL,
    sample TEXT NOT NULL,
    frame TEXT,
    count INTEGER NOT NULL,
    first_ms INTEGER NOT NULL,
    last_ms INTEGER NOT NULL,
    examples_json TEXT NOT NULL,
    PRIMARY KEY (account, region, fn, t, version, fingerprint)
  ) WITHOUT ROWID;
  INSERT INTO error_groups_v11 (region, fn, version, t, fingerprint, kind, error_type, pattern, sample, frame,
    count, first_ms, last_ms, examples_json)
  SELECT region, fn, version, t, fingerprint, kind, error_type, pattern, sample, frame, count, first_ms, last_ms,
    examples_json
  FROM error_groups;
  DROP TABLE error_groups;
  ALTER TABLE error_groups_v11 RENAME TO error_groups;
  CREATE INDEX error_groups_time ON error_groups (account, region, t);

  CREATE TABLE error_partial_minutes_v11 (
    account TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    t INTEGER NOT NULL,
    log_group TEXT NOT NULL,
    PRIMARY KEY (account, region, t, log_group)
  ) WITHOUT ROWID;
  INSERT INTO error_partial_minutes_v11 (region, t, log_group)
  SELECT region, t, log_group FROM error_partial_minutes;
  DROP TABLE error_partial_minutes;
  ALTER TABLE error_partial_minutes_v11 RENAME TO error_partial_minutes;

  -- Tables keyed by an id keep their rows and identity sequence: the account is added, the indexes rebuilt.
  ALTER TABLE audit_log ADD COLUMN account TEXT NOT NULL DEFAULT '';
  -- The role an alias change went through (NULL: the console's own credentials).
  ALTER TABLE audit_log ADD COLUMN role_arn TEXT;
  DROP INDEX audit_log_target;
  CREATE INDEX audit_log_target ON audit_log (account, region, function_name, alias, at);

  ALTER TABLE plans ADD COLUMN account TEXT NOT NULL DEFAULT '';
  DROP INDEX plans_one_running;
  CREATE UNIQUE INDEX plans_one_running ON plans (account, region, function_name, alias) WHERE status = 'running';

  ALTER TABLE collector_events ADD COLUMN account TEXT NOT NULL DEFAULT '';

  -- Cursors were keyed by an unqualified ARN prefix; now by scopeKey. A cursor only saves pages for an hour:
  -- dropping them starts each listing over once.
  DELETE FROM lambda_inventory_cursors;
  `,
  `
  -- Whether the collector reaches each account (lib/store/collector-accounts.ts), written by the leading collector
  -- only when that changes (and once per lease it gains): every replica's status page and the Advisor read it,
  -- where the pruned events table could lose it. failing_since and the error are NULL while the state is 'ok'.
  CREATE TABLE collector_accounts (
    account TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    error_code TEXT,
    error_message TEXT,
    failing_since INTEGER,
    updated_at INTEGER NOT NULL
  );
  `,
];

/** The one translation from the history's SQLite text to PostgreSQL DDL (unit-tested on every entry). */
export function forPostgres(migration: string): string {
  return migration
    .replace(/\bINTEGER PRIMARY KEY AUTOINCREMENT\b/g, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
    .replace(/\bINTEGER\b/g, "BIGINT")
    .replace(/\bREAL\b/g, "DOUBLE PRECISION")
    .replace(/\)\s*WITHOUT ROWID/g, ")");
}
