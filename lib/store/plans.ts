/**
 * Durable plan state. The database (a partial unique index) guarantees one running plan per alias; `create`
 * turns that violation into a Conflict. State is written only after the alias change it describes succeeded.
 */
import { randomUUID } from "node:crypto";
import { conflict } from "@/lib/core/errors";
import type { GuardCheck } from "@/lib/core/traffic/guards";
import type { PlanSpec, PlanState } from "@/lib/core/traffic/plan";
import { epochMs, type EpochMs } from "@/lib/core/units";
import type { Db } from "./database";

export interface StoredPlan {
  id: string;
  createdAt: EpochMs;
  updatedAt: EpochMs;
  actor: string;
  spec: PlanSpec;
  state: PlanState;
  /** The RevisionId our last UpdateAlias produced: any other revision means someone else changed the alias. */
  lastRevisionId: string | null;
  lastChecks: GuardCheck[] | null;
}

interface Row {
  id: string;
  created_at: number;
  updated_at: number;
  actor: string;
  spec_json: string;
  state_json: string;
  last_revision_id: string | null;
  last_checks_json: string | null;
}

// Our own rows, written only by this module from typed values: parsed back without re-validation.
const toPlan = (r: Row): StoredPlan => ({
  id: r.id,
  createdAt: epochMs(r.created_at),
  updatedAt: epochMs(r.updated_at),
  actor: r.actor,
  spec: JSON.parse(r.spec_json) as PlanSpec,
  state: JSON.parse(r.state_json) as PlanState,
  lastRevisionId: r.last_revision_id,
  lastChecks: r.last_checks_json ? (JSON.parse(r.last_checks_json) as GuardCheck[]) : null,
});

export interface PlanStore {
  create(input: { actor: string; spec: PlanSpec; state: PlanState; now: number }): StoredPlan;
  get(id: string): StoredPlan | null;
  running(): StoredPlan[];
  runningFor(region: string, functionName: string, alias: string): StoredPlan | null;
  recent(limit?: number): StoredPlan[];
  save(
    id: string,
    patch: {
      state: PlanState;
      now: number;
      lastRevisionId?: string | null;
      lastChecks?: GuardCheck[] | null;
    },
  ): StoredPlan;
}

export function createPlanStore(db: Db): PlanStore {
  const insert = db.prepare(
    `INSERT INTO plans (id, created_at, updated_at, actor, region, function_name, alias, spec_json, state_json, status)
     VALUES (@id, @now, @now, @actor, @region, @fn, @alias, @spec, @state, @status)`,
  );
  const byId = db.prepare("SELECT * FROM plans WHERE id = ?");
  const running = db.prepare("SELECT * FROM plans WHERE status = 'running' ORDER BY created_at");
  const runningFor = db.prepare(
    "SELECT * FROM plans WHERE status = 'running' AND region = ? AND function_name = ? AND alias = ?",
  );
  const recent = db.prepare("SELECT * FROM plans ORDER BY created_at DESC LIMIT ?");
  const update = db.prepare(
    `UPDATE plans SET state_json = @state, status = @status, updated_at = @now,
       last_revision_id = COALESCE(@rev, last_revision_id), last_checks_json = COALESCE(@checks, last_checks_json)
     WHERE id = @id`,
  );

  const get = (id: string) => {
    const r = byId.get(id) as Row | undefined;
    return r ? toPlan(r) : null;
  };

  return {
    create({ actor, spec, state, now }) {
      const id = randomUUID();
      try {
        insert.run({
          id,
          now,
          actor,
          region: spec.region,
          fn: spec.functionName,
          alias: spec.alias,
          spec: JSON.stringify(spec),
          state: JSON.stringify(state),
          status: state.status,
        });
      } catch (e) {
        if (e instanceof Error && /UNIQUE constraint failed/.test(e.message)) {
          throw conflict(`A plan is already running on ${spec.functionName}:${spec.alias}.`, {
            functionName: spec.functionName,
            alias: spec.alias,
          });
        }
        throw e;
      }
      return get(id) as StoredPlan;
    },
    get,
    running: () => (running.all() as Row[]).map(toPlan),
    runningFor(region, fn, alias) {
      const r = runningFor.get(region, fn, alias) as Row | undefined;
      return r ? toPlan(r) : null;
    },
    recent: (limit = 50) => (recent.all(limit) as Row[]).map(toPlan),
    save(id, { state, now, lastRevisionId, lastChecks }) {
      update.run({
        id,
        now,
        state: JSON.stringify(state),
        status: state.status,
        rev: lastRevisionId ?? null,
        checks: lastChecks ? JSON.stringify(lastChecks) : null,
      });
      return get(id) as StoredPlan;
    },
  };
}
