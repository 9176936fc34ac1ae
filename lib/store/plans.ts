/**
 * Durable plan state. The database (a partial unique index) guarantees one running plan per alias; `create`
 * turns that violation into a Conflict on either engine. State is written only after the alias change it
 * describes succeeded; the change a runner is about to make is written first as the plan's `pending` change, so
 * whoever drives the plan next (after a crash or a takeover) can tell whether it landed.
 */
import { randomUUID } from "node:crypto";
import { sql, type RawBuilder } from "kysely";
import type { Scope } from "@/lib/core/accounts/scope";
import { conflict, notFound } from "@/lib/core/errors";
import type { GuardCheck } from "@/lib/core/traffic/guards";
import type { PlanSpec, PlanState } from "@/lib/core/traffic/plan";
import type { RoutingTarget } from "@/lib/core/traffic/routing";
import { epochMs, type EpochMs } from "@/lib/core/units";
import type { Db } from "./database";

/** An alias change the runner sent (or is about to send) and has not yet seen succeed. */
export interface PendingChange {
  action: "setWeight" | "promote" | "rollback";
  /** The routing the change sets. */
  target: RoutingTarget;
  /** The alias RevisionId the change was based on (the plan's lastRevisionId when it was decided). */
  basedOnRevisionId: string | null;
  /** When it was decided (epoch ms). */
  at: number;
  /**
   * The plan-runner lease generation that wrote it: a change written under another generation may still be in
   * flight from a paused old leader, so the next driver fences it off on the AWS side (runner.ts) before acting.
   */
  generation: number;
}

export interface StoredPlan {
  id: string;
  /** The account of the plan's alias (spec.account; '' only for plans stored before accounts were, until adopted). */
  account: string;
  createdAt: EpochMs;
  updatedAt: EpochMs;
  actor: string;
  spec: PlanSpec;
  state: PlanState;
  /** The RevisionId our last UpdateAlias produced: any other revision means someone else changed the alias. */
  lastRevisionId: string | null;
  lastChecks: GuardCheck[] | null;
  /** The change in flight, written before its UpdateAlias and cleared with the state that records it. */
  pending: PendingChange | null;
}

export interface PlanPatch {
  state: PlanState;
  now: number;
  /** undefined or null: keep the stored one. */
  lastRevisionId?: string | null;
  /** undefined or null: keep the stored ones. */
  lastChecks?: GuardCheck[] | null;
  /** undefined: keep; null: clear; a change: set. */
  pending?: PendingChange | null;
}

interface Row {
  id: string;
  account: string;
  created_at: number;
  updated_at: number;
  actor: string;
  spec_json: string;
  state_json: string;
  last_revision_id: string | null;
  last_checks_json: string | null;
  pending_json: string | null;
}

// Our own rows, written only by this module from typed values: parsed back without re-validation.
const toPlan = (r: Row): StoredPlan => ({
  id: r.id,
  account: r.account,
  createdAt: epochMs(Number(r.created_at)),
  updatedAt: epochMs(Number(r.updated_at)),
  actor: r.actor,
  // Specs stored before accounts were lack one: the column (adopted by adoptLegacyAccount) is the account.
  spec: { ...(JSON.parse(r.spec_json) as PlanSpec), account: r.account as PlanSpec["account"] },
  state: JSON.parse(r.state_json) as PlanState,
  lastRevisionId: r.last_revision_id,
  lastChecks: r.last_checks_json ? (JSON.parse(r.last_checks_json) as GuardCheck[]) : null,
  pending: r.pending_json ? (JSON.parse(r.pending_json) as PendingChange) : null,
});

export interface PlanStore {
  create(input: { actor: string; spec: PlanSpec; state: PlanState; now: number }): Promise<StoredPlan>;
  get(id: string): Promise<StoredPlan | null>;
  running(): Promise<StoredPlan[]>;
  runningFor(scope: Scope, functionName: string, alias: string): Promise<StoredPlan | null>;
  recent(limit?: number): Promise<StoredPlan[]>;
  save(id: string, patch: PlanPatch): Promise<StoredPlan>;
  /**
   * Compare-and-set: saves only while the plan is running and its pending change is still exactly `expect.pending`
   * (one UPDATE, so an abort or another driver's save committed meanwhile wins); null when nothing matched.
   */
  saveIf(id: string, expect: { pending: PendingChange | null }, patch: PlanPatch): Promise<StoredPlan | null>;
}

/** SQLite reports the partial unique index by message, PostgreSQL by SQLSTATE 23505 (unique_violation). */
function isUniqueViolation(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  return (e as { code?: unknown }).code === "23505" || /UNIQUE constraint failed/.test(e.message);
}

const pendingJson = (p: PendingChange | null) => (p ? JSON.stringify(p) : null);

/** The one UPDATE both saves make; `also` narrows its WHERE (compare-and-set). */
function update(
  id: string,
  { state, now, lastRevisionId, lastChecks, pending }: PlanPatch,
  also: RawBuilder<unknown>,
) {
  const setPending = pending === undefined ? sql`` : sql`, pending_json = ${pendingJson(pending)}`;
  return sql<Row>`
    UPDATE plans SET state_json = ${JSON.stringify(state)}, status = ${state.status}, updated_at = ${now},
      last_revision_id = COALESCE(${lastRevisionId ?? null}, last_revision_id),
      last_checks_json = COALESCE(${lastChecks ? JSON.stringify(lastChecks) : null}, last_checks_json)
      ${setPending}
    WHERE id = ${id} ${also}
    RETURNING *`;
}

export function createPlanStore(db: Db): PlanStore {
  const k = db.kysely;
  const one = async (q: Promise<{ rows: Row[] }>) => {
    const r = (await q).rows[0];
    return r ? toPlan(r) : null;
  };
  const get = (id: string) => one(sql<Row>`SELECT * FROM plans WHERE id = ${id}`.execute(k));

  return {
    async create({ actor, spec, state, now }) {
      try {
        const { rows } = await sql<Row>`
          INSERT INTO plans (id, created_at, updated_at, actor, account, region, function_name, alias, spec_json,
            state_json, status)
          VALUES (${randomUUID()}, ${now}, ${now}, ${actor}, ${spec.account}, ${spec.region}, ${spec.functionName}, ${spec.alias},
            ${JSON.stringify(spec)}, ${JSON.stringify(state)}, ${state.status})
          RETURNING *`.execute(k);
        return toPlan(rows[0] as Row);
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw conflict(
            `A plan is already running on ${spec.functionName}:${spec.alias} (account ${spec.account}, ${spec.region}).`,
            {
              account: spec.account,
              region: spec.region,
              functionName: spec.functionName,
              alias: spec.alias,
            },
          );
        }
        throw e;
      }
    },
    get,
    async running() {
      const { rows } = await sql<Row>`
        SELECT * FROM plans WHERE status = 'running' ORDER BY created_at, id`.execute(k);
      return rows.map(toPlan);
    },
    runningFor: (scope, fn, alias) =>
      one(
        sql<Row>`
          SELECT * FROM plans
          WHERE status = 'running' AND account = ${scope.account} AND region = ${scope.region}
            AND function_name = ${fn} AND alias = ${alias}`.execute(k),
      ),
    async recent(limit = 50) {
      const { rows } =
        await sql<Row>`SELECT * FROM plans ORDER BY created_at DESC, id LIMIT ${limit}`.execute(k);
      return rows.map(toPlan);
    },
    async save(id, patch) {
      const saved = await one(update(id, patch, sql``).execute(k));
      if (!saved) throw notFound(`Plan ${id} does not exist.`, { planId: id });
      return saved;
    },
    saveIf: (id, expect, patch) =>
      one(
        update(
          id,
          patch,
          // The exact text this module stored (JSON.stringify of the parsed value gives it back); IS NOT DISTINCT
          // FROM compares NULL too, on SQLite (3.39+) and PostgreSQL alike.
          sql`AND status = 'running' AND pending_json IS NOT DISTINCT FROM ${pendingJson(expect.pending)}`,
        ).execute(k),
      ),
  };
}
