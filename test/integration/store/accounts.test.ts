/**
 * The store keyed by account (migration 11), on both engines: two accounts with the same region and function
 * name never share a row in any table; rows from before accounts (account '') are adopted into one account once,
 * in batches of bounded size, adding legacy collector costs into the account's and stopping a legacy plan the
 * account's own running plan superseded; a database at version 10 is upgraded keeping every row; and SQLite's
 * fleet reads still run on an index with both the account and the region fixed.
 */
import { sql, type KyselyPlugin, type QueryId } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import type { AccountId } from "@/lib/core/accounts/account-id";
import type { Scope } from "@/lib/core/accounts/scope";
import type { ErrorGroupRow } from "@/lib/core/error-groups/types";
import type { AccountSettings, FunctionConfig } from "@/lib/core/lambda/types";
import { emptyLog, emptyMetric } from "@/lib/core/rollup/types";
import type { PlanSpec } from "@/lib/core/traffic/plan";
import { initialPlanState } from "@/lib/core/traffic/plan";
import { bytes, epochMs, ratio, seconds } from "@/lib/core/units";
import { createStore, type Store } from "@/lib/store";
import { ADOPTION_ACTOR, adoptLegacyAccount, SUPERSEDED_REASON } from "@/lib/store/adopt";
import { MIGRATIONS } from "@/lib/store/migrations";
import { openDatabase, type Db } from "@/lib/store/database";
import type { TriggerReading } from "@/lib/store/triggers";
import { config } from "../../unit/core/advisor-fixtures";
import { databaseAtVersion, DIALECTS, describeStores } from "../../support/stores";

const A = "111111111111" as AccountId;
const B = "222222222222" as AccountId;
const REGION = "us-east-1";
const inA: Scope = { account: A, region: REGION };
const inB: Scope = { account: B, region: REGION };
const FN = "checkout";
const T0 = Date.UTC(2026, 11, 7, 12, 0);
const M = 60_000;
const H = 3_600_000;

const fnConfig = (account: AccountId, revisionId: string): FunctionConfig =>
  config({
    name: FN,
    revisionId,
    arn: `arn:aws:lambda:${REGION}:${account}:function:${FN}`,
  });

const settings = (functionCount: number): AccountSettings => ({
  region: REGION,
  concurrentExecutions: 1000,
  unreservedConcurrentExecutions: 900,
  totalCodeSize: bytes(1),
  codeSizeLimit: bytes(2),
  codeSizeZipped: bytes(3),
  codeSizeUnzipped: bytes(4),
  functionCount,
});

const reading = (revisionId: string): TriggerReading => ({
  parts: {
    pushSources: { ok: true, value: [] },
    url: { ok: true, value: null },
    async: { ok: true, value: null },
    recursion: { ok: true, value: "Terminate" },
  },
  revisionId,
  readAt: T0,
  retriedAt: {},
});

const errorRow = (account: AccountId, count: number): ErrorGroupRow => ({
  account,
  region: REGION,
  fn: FN,
  version: "1",
  t: T0,
  fingerprint: "f",
  kind: "unhandled",
  errorType: "Error",
  pattern: "boom",
  sample: "boom",
  frame: null,
  count,
  firstMs: T0,
  lastMs: T0,
  examples: [],
});

const spec = (account: AccountId): PlanSpec => ({
  account,
  region: REGION,
  functionName: FN,
  alias: "live",
  stableVersion: "1",
  newVersion: "2",
  shape: { kind: "canary", weight: ratio(0.1), stepSeconds: seconds(60) },
  guards: { maxErrorRateIncrease: ratio(0.02), maxP99Ratio: null, alarmName: null, minInvocations: 10 },
  maxWaitFactor: 3,
});

/** Writes the same function in the same region of both accounts, each with its own values (A: 1, B: 2). */

/** An applied alias change of `account`'s FN, as the audit log records it. */
const shift = (account: string, at: number, detail: string, roleArn: string | null = null) => ({
  at: epochMs(at),
  actor: "op",
  account,
  region: REGION,
  functionName: FN,
  alias: "live",
  action: "shift" as const,
  before: null,
  after: null,
  reason: "",
  outcome: "applied" as const,
  detail,
  planId: null,
  roleArn,
});

async function writeBoth(store: Store): Promise<void> {
  for (const [scope, n] of [
    [inA, 1],
    [inB, 2],
  ] as const) {
    await store.telemetry.putMetrics([{ ...emptyMetric(scope, FN, 60, T0), invocations: n }]);
    await store.telemetry.putLogs([{ ...emptyLog(scope, `/aws/lambda/${FN}`, 60, T0), reports: n }]);
    await store.telemetry.setCoverage(scope, "metrics", 60, T0, T0 + n * M, n);
    await store.telemetry.addCost(scope, "metrics", T0, { requests: n, bytesScanned: 0, minutes: 1 });
    await store.telemetry.addEvent({
      at: n,
      account: scope.account,
      region: REGION,
      source: "metrics",
      level: "warn",
      message: `event ${n}`,
    });
    await store.errors.putWindow(
      scope,
      { from: T0, to: T0 + n * M },
      [errorRow(scope.account, n)],
      [{ t: T0, logGroup: `/aws/lambda/${FN}-${n}` }],
      n,
    );
    await store.inventory.putConfigs(scope, [fnConfig(scope.account, `rev-${n}`)], n);
    await store.inventory.putAccount(scope, settings(n), n);
    await store.triggers.put(scope, FN, reading(`rev-${n}`));
    await store.triggers.putListing(scope, [], n);
    await store.versionConfigs.setCursor(scope, `marker-${n}`, T0);
    await store.audit.record(
      shift(scope.account, T0 + n, `change ${n}`, n === 2 ? `arn:aws:iam::${B}:role/fleetscope` : null),
    );
  }
}

describeStores("the store keyed by account", (fresh) => {
  it("keeps two accounts' same-named function in the same region apart in every table", async () => {
    const store = createStore(await fresh());
    await writeBoth(store);
    for (const [scope, n] of [
      [inA, 1],
      [inB, 2],
    ] as const) {
      const t = store.telemetry;
      expect((await t.metricRows(scope, 60, T0, T0 + M)).map((r) => [r.account, r.invocations])).toEqual([
        [scope.account, n],
      ]);
      expect(
        (await t.metricTotals(scope, 60, T0, T0 + M)).map((r) => [r.account, r.fn, r.invocations]),
      ).toEqual([[scope.account, FN, n]]);
      expect((await t.functionMetricBuckets(scope, FN, 60, T0, T0 + M, M)).map((r) => r.invocations)).toEqual(
        [n],
      );
      expect((await t.logTotals(scope, 60, T0, T0 + M)).map((r) => [r.account, r.reports])).toEqual([
        [scope.account, n],
      ]);
      expect((await t.logRows(scope, 60, T0, T0 + M)).map((r) => r.reports)).toEqual([n]);
      expect(await t.coverage(scope, "metrics", 60)).toEqual({ from: T0, to: T0 + n * M, updatedAt: n });
      expect(await store.errors.coverage(scope)).toEqual({ from: T0, to: T0 + n * M, updatedAt: n });
      expect(
        (await store.errors.rows({ scopes: [scope], from: T0, to: T0 + M })).map((r) => r.count),
      ).toEqual([n]);
      expect(await store.errors.partialMinutes({ scopes: [scope], from: T0, to: T0 + M })).toEqual([
        { account: scope.account, region: REGION, t: T0, logGroup: `/aws/lambda/${FN}-${n}` },
      ]);
      expect((await store.inventory.get(scope, FN))?.config.revisionId).toBe(`rev-${n}`);
      expect((await store.inventory.account(scope))?.settings.functionCount).toBe(n);
      expect((await store.triggers.get(scope, FN))?.revisionId).toBe(`rev-${n}`);
      expect(await store.triggers.listedAt(scope)).toBe(n);
      expect(await store.versionConfigs.cursor(scope, T0)).toBe(`marker-${n}`);
      expect((await store.audit.list({ account: scope.account })).map((e) => e.detail)).toEqual([
        `change ${n}`,
      ]);
    }
    // Read together, each row keeps its account; the scopes' order is the order asked.
    const both = await store.errors.rows({ scopes: [inB, inA], from: T0, to: T0 + M });
    expect(both.map((r) => [r.account, r.count])).toEqual([
      [B, 2],
      [A, 1],
    ]);
    expect((await store.telemetry.costs(T0)).map((c) => [c.account, c.requests]).sort()).toEqual([
      [A, 1],
      [B, 2],
    ]);
    expect((await store.telemetry.events(10)).map((e) => [e.account, e.message])).toEqual([
      [B, "event 2"],
      [A, "event 1"],
    ]);
    expect((await store.audit.list()).map((e) => [e.account, e.roleArn])).toEqual([
      [B, `arn:aws:iam::${B}:role/fleetscope`],
      [A, null],
    ]);
    // Removing or rewriting in one account leaves the other's rows.
    expect(await store.inventory.retain(inA, new Set())).toBe(1);
    expect(await store.triggers.retain(inA, new Set())).toBe(1);
    expect(await store.inventory.get(inB, FN)).not.toBeNull();
    expect(await store.triggers.get(inB, FN)).not.toBeNull();
    await store.versionConfigs.setCursor(inA, null, T0);
    expect(await store.versionConfigs.cursor(inB, T0)).toBe("marker-2");
  });

  it("refuses an error window holding another account's rows, writing nothing", async () => {
    const store = createStore(await fresh());
    await expect(
      store.errors.putWindow(inA, { from: T0, to: T0 + M }, [errorRow(B, 1)], [], 1),
    ).rejects.toMatchObject({ code: "InvalidInput", message: expect.stringContaining(B) });
    expect(await store.errors.rows({ scopes: [inA, inB], from: 0, to: T0 + M })).toEqual([]);
    expect(await store.errors.coverage(inA)).toBeNull();
  });

  it("runs one plan per alias per account: the same alias may run in two accounts", async () => {
    const { plans } = createStore(await fresh());
    const a = await plans.create({ actor: "op", spec: spec(A), state: initialPlanState(), now: T0 });
    const b = await plans.create({ actor: "op", spec: spec(B), state: initialPlanState(), now: T0 + 1 });
    await expect(
      plans.create({ actor: "op", spec: spec(B), state: initialPlanState(), now: T0 + 2 }),
    ).rejects.toMatchObject({ code: "Conflict" });
    expect(await plans.runningFor(inA, FN, "live")).toMatchObject({
      id: a.id,
      account: A,
      spec: { account: A },
    });
    expect(await plans.runningFor(inB, FN, "live")).toMatchObject({
      id: b.id,
      account: B,
      spec: { account: B },
    });
    expect(
      await plans.runningFor({ account: "333333333333" as AccountId, region: REGION }, FN, "live"),
    ).toBeNull();
  });

  it("adopts rows written before accounts into one account, once, keeping the account's own newer rows", async () => {
    const db = await fresh();
    const store = createStore(db);
    await insertLegacyRows(db);
    // The account already holds a coverage row with the same key (written after the upgrade): it wins.
    await store.telemetry.setCoverage(inA, "metrics", 60, T0, T0 + 9 * M, 9);
    expect(await store.inventory.get(inA, FN)).toBeNull();

    expect(await store.adoptLegacyAccount(A)).toBe(LEGACY_ROWS - 1);
    await expectAdopted(store, A);
    expect(await store.telemetry.coverage(inA, "metrics", 60)).toEqual({
      from: T0,
      to: T0 + 9 * M,
      updatedAt: 9,
    });
    // Idempotent, and a second account adopts nothing.
    expect(await store.adoptLegacyAccount(A)).toBe(0);
    expect(await store.adoptLegacyAccount(B)).toBe(0);
    expect(await store.inventory.get(inB, FN)).toBeNull();
    for (const table of LEGACY_TABLES) {
      const { rows } = await sql<{ n: number }>`
        SELECT COUNT(*) AS n FROM ${sql.table(table)} WHERE account = ''`.execute(db.kysely);
      expect(Number(rows[0]?.n), table).toBe(0);
    }
  });

  it("leaves the collector's store-wide events at no account, before and after accounts", async () => {
    const db = await fresh();
    const store = createStore(db);
    // A retention failure from before accounts, and one the collector wrote since (no account either).
    await sql`INSERT INTO collector_events (at, region, source, level, message)
      VALUES (1, '*', 'maintenance', 'error', 'old retention failure')`.execute(db.kysely);
    const wide = { region: "*", source: "accounts", level: "error" as const };
    await store.telemetry.addEvent({ ...wide, at: 2, account: "", message: "accounts undecided" });
    await store.telemetry.addEvent({ ...wide, at: 3, account: "", region: REGION, message: "legacy step" });

    expect(await store.adoptLegacyAccount(A)).toBe(1);
    expect((await store.telemetry.events(10)).map((e) => [e.message, e.account])).toEqual([
      ["legacy step", A],
      ["accounts undecided", ""],
      ["old retention failure", ""],
    ]);
    expect(await store.adoptLegacyAccount(A)).toBe(0);
  });

  it("adopts in batches of at most the batch size, ending as one batch does; a second call moves nothing", async () => {
    const adopt = async (batchSize: number) => {
      const db = await fresh();
      await writeMixedRows(db);
      const statements: Statement[] = [];
      const moved = await adoptLegacyAccount(observed(db, statements), A, { batchSize });
      return { db, moved, statements, contents: await tableContents(db) };
    };
    const whole = await adopt(1_000);
    const batched = await adopt(2);

    expect(batched.moved).toBe(whole.moved);
    expect(batched.contents).toEqual(whole.contents);
    for (const [table, rows] of Object.entries(batched.contents)) {
      expect(rows.length, table).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.account)), table).toEqual(new Set([A]));
    }
    // The account's rows on a legacy key won (metrics) or were added to (costs); the others moved as they were.
    const store = createStore(batched.db);
    expect((await store.telemetry.metricRows(inA, 60, T0, T0 + 10 * M)).map((r) => r.invocations)).toEqual([
      1, 101, 3, 103, 5, 9,
    ]);
    expect((await store.telemetry.costs(T0)).map((c) => c.requests)).toEqual([1, 12, 3, 14, 5]);

    const writes = (s: Statement[]) => s.filter((w) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(w.sql));
    expect(Math.max(...writes(batched.statements).map((w) => w.rows))).toBe(2);
    expect(Math.max(...writes(whole.statements).map((w) => w.rows))).toBeGreaterThan(2);
    const metricMoves = (s: Statement[]) => writes(s).filter((w) => /UPDATE "metric_rollups"/.test(w.sql));
    expect(metricMoves(batched.statements).length).toBeGreaterThan(1);
    expect(metricMoves(whole.statements)).toHaveLength(1);

    expect(await adoptLegacyAccount(batched.db, A, { batchSize: 2 })).toBe(0);
    expect(await tableContents(batched.db)).toEqual(batched.contents);
  });

  it("adds a legacy collector-cost hour into the account's own hour instead of dropping it", async () => {
    const db = await fresh();
    const store = createStore(db);
    await insertLegacyRows(db);
    // Legacy hour T0: 7 requests, 0 bytes, 1 minute.
    await store.telemetry.addCost(inA, "metrics", T0, { requests: 5, bytesScanned: 2.5, minutes: 3 });

    expect(await store.adoptLegacyAccount(A)).toBe(LEGACY_ROWS);
    expect(
      (await store.telemetry.costs(T0)).map((c) => [
        c.account,
        c.source,
        c.hour,
        c.requests,
        c.bytesScanned,
        c.minutes,
      ]),
    ).toEqual([[A, "metrics", T0, 12, 2.5, 4]]);
  });

  it("adopts a legacy running plan the account's own running plan superseded as aborted; others keep running", async () => {
    const db = await fresh();
    const store = createStore(db);
    const current = await store.plans.create({
      actor: "op",
      spec: spec(A),
      state: initialPlanState(),
      now: T0,
    });
    await insertLegacyRows(db); // "legacy-plan", running on the same alias
    await sql.raw(legacyPlan("legacy-canary", "canary", "running")).execute(db.kysely);
    // Its change in flight when the console stopped: stale now that another plan drives the alias.
    await sql`UPDATE plans SET pending_json = '{"weight":0.1}' WHERE id = 'legacy-plan'`.execute(db.kysely);
    const now = T0 + 5 * M;

    expect(await adoptLegacyAccount(db, A, { now })).toBe(LEGACY_ROWS + 1);
    expect(await store.plans.get("legacy-plan")).toMatchObject({
      account: A,
      updatedAt: now,
      state: { ...initialPlanState(), status: "aborted", reason: SUPERSEDED_REASON },
      pending: null,
    });
    expect(await store.plans.get("legacy-canary")).toMatchObject({
      account: A,
      state: initialPlanState(),
    });
    // What the runner drives, and what the traffic pages list.
    expect((await store.plans.running()).map((p) => p.id).sort()).toEqual(
      [current.id, "legacy-canary"].sort(),
    );
    expect((await store.plans.runningFor(inA, FN, "live"))?.id).toBe(current.id);
    expect((await store.plans.recent()).map((p) => [p.id, p.account, p.state.status]).sort()).toEqual(
      [
        [current.id, A, "running"],
        ["legacy-canary", A, "running"],
        ["legacy-plan", A, "aborted"],
      ].sort(),
    );
    expect(await store.audit.list({ planId: "legacy-plan" })).toEqual([
      expect.objectContaining({
        at: now,
        actor: ADOPTION_ACTOR,
        account: A,
        region: REGION,
        functionName: FN,
        alias: "live",
        action: "plan.abort",
        outcome: "noted",
        detail: expect.stringContaining(current.id),
        roleArn: null,
      }),
    ]);
    expect(await adoptLegacyAccount(db, A, { now })).toBe(0);
  });

  it("stamps a superseded plan with the database's clock when given no time", async () => {
    const db = await fresh();
    const store = createStore(db);
    await store.plans.create({ actor: "op", spec: spec(A), state: initialPlanState(), now: T0 });
    await insertLegacyRows(db);

    await store.adoptLegacyAccount(A);
    const stopped = await store.plans.get("legacy-plan");
    // Epoch milliseconds (not seconds), and the audit entry's time is the plan's.
    expect(stopped?.updatedAt).toBeGreaterThan(Date.UTC(2024, 0, 1));
    expect((await store.audit.list({ planId: "legacy-plan" })).map((e) => e.at)).toEqual([
      stopped?.updatedAt,
    ]);
  });
});

interface Statement {
  sql: string;
  /** Rows the statement inserted, updated or deleted. */
  rows: number;
}

/** `db`, with every statement it runs (its SQL and the rows it changed) appended to `log`. */
function observed(db: Db, log: Statement[]): Db {
  const executor = db.kysely.getExecutor();
  const compiled = new Map<QueryId, string>();
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      compiled.set(queryId, executor.compileQuery(node, queryId).sql);
      return node;
    },
    async transformResult({ result, queryId }) {
      log.push({ sql: compiled.get(queryId) ?? "", rows: Number(result.numAffectedRows ?? 0) });
      return result;
    },
  };
  return { ...db, kysely: db.kysely.withPlugin(plugin) };
}

/** Every row of the tables `writeMixedRows` writes, in a stable order. */
async function tableContents(db: Db): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of MIXED_TABLES) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db.kysely);
    out[table] = rows
      .map((r) => ({ text: JSON.stringify(r), row: r }))
      .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
      .map((r) => r.row);
  }
  return out;
}

const legacyPlan = (id: string, alias: string, status: string) =>
  `INSERT INTO plans (id, created_at, updated_at, actor, region, function_name, alias, spec_json, state_json, status)
   VALUES ('${id}', 1, 1, 'op', '${REGION}', '${FN}', '${alias}',
     '${JSON.stringify({ ...spec(A), alias, account: undefined })}',
     '${JSON.stringify({ ...initialPlanState(), status })}', '${status}')`;

const MIXED_TABLES = [
  "metric_rollups",
  "collector_costs",
  "error_partial_minutes",
  "audit_log",
  "collector_events",
  "plans",
];

/**
 * Five legacy rows in each of MIXED_TABLES, with rows the account wrote after the upgrade between them: on two legacy
 * keys (a metric minute, which the account's row keeps; a cost hour, which adds up), on a key of its own, and in
 * the tables keyed by an id (so a batch there mixes both accounts' rows).
 */
async function writeMixedRows(db: Db): Promise<void> {
  const store = createStore(db);
  const run = (statement: string) => sql.raw(statement).execute(db.kysely);
  for (let i = 0; i < 5; i++) {
    await run(`INSERT INTO metric_rollups (region, res, t, fn, invocations, errors, throttles, pc_spillover,
      async_dropped, recursive_dropped) VALUES ('${REGION}', 60, ${T0 + i * M}, '${FN}', ${i + 1}, 0, 0, 0, 0, 0)`);
    await run(`INSERT INTO collector_costs (region, source, hour, requests, bytes_scanned, minutes)
      VALUES ('${REGION}', 'metrics', ${T0 + i * H}, ${i + 1}, 0, 1)`);
    await run(`INSERT INTO error_partial_minutes (region, t, log_group)
      VALUES ('${REGION}', ${T0 + i * M}, '/aws/lambda/${FN}')`);
    await run(`INSERT INTO audit_log (at, actor, region, function_name, alias, action, reason, outcome, detail)
      VALUES (${T0 + i}, 'op', '${REGION}', '${FN}', 'live', 'shift', '', 'applied', 'legacy ${i}')`);
    await run(`INSERT INTO collector_events (at, region, source, level, message)
      VALUES (${i}, '${REGION}', 'metrics', 'warn', 'legacy ${i}')`);
    await run(legacyPlan(`legacy-${i}`, `alias-${i}`, i % 2 === 0 ? "running" : "succeeded"));
    if (i % 2 === 1) {
      await store.telemetry.putMetrics([{ ...emptyMetric(inA, FN, 60, T0 + i * M), invocations: 100 + i }]);
      await store.telemetry.addCost(inA, "metrics", T0 + i * H, {
        requests: 10,
        bytesScanned: 0,
        minutes: 1,
      });
      await store.telemetry.addEvent({
        at: 10 + i,
        account: A,
        region: REGION,
        source: "metrics",
        level: "warn",
        message: `event ${i}`,
      });
      await store.audit.record(shift(A, T0 + 10 + i, `change ${i}`));
    }
  }
  await store.telemetry.putMetrics([{ ...emptyMetric(inA, FN, 60, T0 + 9 * M), invocations: 9 }]);
}

/** Every table with an account column, each given one row by `insertLegacyRows`. */
const LEGACY_TABLES = [
  "metric_rollups",
  "log_rollups",
  "rollup_coverage",
  "collector_costs",
  "collector_events",
  "inventory_functions",
  "inventory_regions",
  "trigger_readings",
  "trigger_mapping_listings",
  "error_groups",
  "error_partial_minutes",
  "audit_log",
  "plans",
];
const LEGACY_ROWS = LEGACY_TABLES.length;

/** One row per table as the release before accounts wrote it: no account column named (the upgrade's ''). */
const LEGACY_INSERTS = [
  `INSERT INTO metric_rollups (region, res, t, fn, invocations, errors, throttles, pc_spillover, async_dropped,
     recursive_dropped) VALUES ('${REGION}', 60, ${T0}, '${FN}', 7, 0, 0, 0, 0, 0)`,
  `INSERT INTO log_rollups (region, res, t, log_group, reports, cold_starts, init_sum, billed_sum, duration_sum,
     timeouts, ooms, durations) VALUES ('${REGION}', 60, ${T0}, '/aws/lambda/${FN}', 7, 0, 0, 0, 0, 0, 0, '')`,
  `INSERT INTO rollup_coverage (region, source, res, from_ms, to_ms, updated_at)
     VALUES ('${REGION}', 'metrics', 60, ${T0}, ${T0 + M}, 1)`,
  `INSERT INTO collector_costs (region, source, hour, requests, bytes_scanned, minutes)
     VALUES ('${REGION}', 'metrics', ${T0}, 7, 0, 1)`,
  `INSERT INTO collector_events (at, region, source, level, message)
     VALUES (1, '${REGION}', 'metrics', 'warn', 'legacy event')`,
  `INSERT INTO inventory_functions (region, name, config_json, revision_id, published_versions, listed_at)
     VALUES ('${REGION}', '${FN}', '${JSON.stringify(fnConfig(A, "rev-legacy"))}', 'rev-legacy', '[]', 1)`,
  `INSERT INTO inventory_regions (region, account_json, listed_at)
     VALUES ('${REGION}', '${JSON.stringify(settings(7))}', 1)`,
  `INSERT INTO trigger_readings (region, name, parts_json, revision_id, read_at)
     VALUES ('${REGION}', '${FN}', '${JSON.stringify({ parts: reading("x").parts, retriedAt: {} })}', 'rev-legacy', 1)`,
  `INSERT INTO trigger_mapping_listings (region, mappings_json, listed_at) VALUES ('${REGION}', '[]', 7)`,
  `INSERT INTO error_groups (region, fn, version, t, fingerprint, kind, error_type, pattern, sample, frame, count,
     first_ms, last_ms, examples_json)
     VALUES ('${REGION}', '${FN}', '1', ${T0}, 'f', 'unhandled', 'Error', 'boom', 'boom', NULL, 7, ${T0}, ${T0}, '[]')`,
  `INSERT INTO error_partial_minutes (region, t, log_group) VALUES ('${REGION}', ${T0}, '/aws/lambda/${FN}')`,
  `INSERT INTO audit_log (at, actor, region, function_name, alias, action, reason, outcome, detail)
     VALUES (${T0}, 'op', '${REGION}', '${FN}', 'live', 'shift', '', 'applied', 'legacy change')`,
  `INSERT INTO plans (id, created_at, updated_at, actor, region, function_name, alias, spec_json, state_json, status)
     VALUES ('legacy-plan', 1, 1, 'op', '${REGION}', '${FN}', 'live',
       '${JSON.stringify({ ...spec(A), account: undefined })}', '${JSON.stringify(initialPlanState())}', 'running')`,
];

async function insertLegacyRows(db: Db): Promise<void> {
  for (const statement of LEGACY_INSERTS) await sql.raw(statement).execute(db.kysely);
}

/** What the legacy rows read as once they belong to `account`. */
async function expectAdopted(store: Store, account: AccountId): Promise<void> {
  const scope = { account, region: REGION };
  expect((await store.telemetry.metricTotals(scope, 60, T0, T0 + M)).map((r) => r.invocations)).toEqual([7]);
  expect((await store.telemetry.logTotals(scope, 60, T0, T0 + M)).map((r) => r.reports)).toEqual([7]);
  expect((await store.telemetry.costs(T0)).map((c) => [c.account, c.requests])).toEqual([[account, 7]]);
  expect((await store.telemetry.events(10)).map((e) => [e.account, e.message])).toEqual([
    [account, "legacy event"],
  ]);
  expect((await store.inventory.get(scope, FN))?.config.revisionId).toBe("rev-legacy");
  expect((await store.inventory.account(scope))?.settings.functionCount).toBe(7);
  expect((await store.triggers.get(scope, FN))?.revisionId).toBe("rev-legacy");
  expect(await store.triggers.listedAt(scope)).toBe(7);
  expect((await store.errors.rows({ scopes: [scope], from: T0, to: T0 + M })).map((r) => r.count)).toEqual([
    7,
  ]);
  expect(await store.errors.partialMinutes({ scopes: [scope], from: T0, to: T0 + M })).toHaveLength(1);
  expect((await store.audit.list({ account })).map((e) => e.detail)).toEqual(["legacy change"]);
  const plan = await store.plans.runningFor(scope, FN, "live");
  expect(plan).toMatchObject({ id: "legacy-plan", account, spec: { account, functionName: FN } });
}

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe.each(DIALECTS)("upgrading a version-10 database (%s)", (dialect) => {
  it("applies version 11 keeping every row (account ''), which adoption then gives to the account", async () => {
    const db = openDatabase(await databaseAtVersion(dialect, 10, LEGACY_INSERTS, cleanup));
    cleanup.push(() => db.close());
    const store = createStore(db);
    const { rows } = await sql<{ version: number }>`
      SELECT version FROM schema_migrations ORDER BY version`.execute(db.kysely);
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((_, i) => i + 1));
    for (const table of LEGACY_TABLES) {
      const { rows: counted } = await sql<{ n: number }>`
        SELECT COUNT(*) AS n FROM ${sql.table(table)} WHERE account = ''`.execute(db.kysely);
      expect(Number(counted[0]?.n), table).toBe(1);
    }
    expect(await store.adoptLegacyAccount(A)).toBe(LEGACY_ROWS);
    await expectAdopted(store, A);
    expect(await store.adoptLegacyAccount(A)).toBe(0);
  });
});

describe("SQLite read plans with accounts", () => {
  const plan = async (db: Db, query: ReturnType<typeof sql>) =>
    (await sql<{ detail: string }>`EXPLAIN QUERY PLAN ${query}`.execute(db.kysely)).rows
      .map((r) => r.detail)
      .join("\n");

  it("fixes both the account and the region in the index of every fleet and function read", async () => {
    const db = openDatabase(":memory:");
    cleanup.push(() => db.close());
    // The reads as the telemetry and error stores issue them (lib/store/telemetry.ts, errors.ts).
    const fleetTotals = await plan(
      db,
      sql`SELECT fn, SUM(invocations) FROM metric_rollups
        WHERE account = ${A} AND region = ${REGION} AND res = 60 AND t >= 0 AND t < 1 GROUP BY fn`,
    );
    expect(fleetTotals).toMatch(
      /USING PRIMARY KEY \(account=\? AND region=\? AND res=\? AND t>\? AND t<\?\)/,
    );
    const regionBuckets = await plan(
      db,
      sql`SELECT t - (t % 300000) AS bucket, SUM(invocations) FROM metric_rollups INDEXED BY metric_rollups_fn
        WHERE account = ${A} AND region = ${REGION} AND res = 60 AND fn = '' AND t >= 0 AND t < 1
        GROUP BY bucket`,
    );
    expect(regionBuckets).toMatch(
      /USING INDEX metric_rollups_fn \(account=\? AND region=\? AND fn=\? AND res=\? AND t>\? AND t<\?\)/,
    );
    const logBuckets = await plan(
      db,
      sql`SELECT SUM(reports) FROM log_rollups INDEXED BY log_rollups_group
        WHERE account = ${A} AND region = ${REGION} AND log_group = 'g' AND res = 60 AND t >= 0 AND t < 1`,
    );
    expect(logBuckets).toMatch(
      /USING INDEX log_rollups_group \(account=\? AND region=\? AND log_group=\? AND res=\? AND t>\? AND t<\?\)/,
    );
    const errors = await plan(
      db,
      sql`SELECT * FROM error_groups WHERE ((account = ${A} AND region = ${REGION}) OR
        (account = ${B} AND region = ${REGION})) AND t >= 0 AND t < 1`,
    );
    expect(errors).toMatch(/\(account=\? AND region=\?/);
    expect(errors).not.toMatch(/^SCAN error_groups$/m);
  });
});
