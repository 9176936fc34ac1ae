/**
 * The audit log: append-only rows, read newest first (by id: the order they were written in). Routing is stored
 * as JSON and re-validated on read. Filters and the time bounds are applied in SQL, before the limit.
 */
import { sql, type RawBuilder } from "kysely";
import { z } from "zod";
import type { AuditAction, AuditEntry, AuditOutcome } from "@/lib/core/traffic/audit";
import type { RoutingTarget } from "@/lib/core/traffic/routing";
import { epochMs, ratio } from "@/lib/core/units";
import type { Db } from "./database";

export type NewAuditEntry = Omit<AuditEntry, "id">;

export interface AuditFilter {
  account?: string;
  region?: string;
  functionName?: string;
  alias?: string;
  planId?: string;
  /** Only entries at or after `from` and before `to` (epoch ms), bounded in SQL before the limit applies. */
  from?: number;
  to?: number;
  limit?: number;
}

const routingJson = z
  .object({
    primaryVersion: z.string(),
    routing: z.object({ additionalVersion: z.string(), weight: z.number() }).nullable(),
  })
  .nullable();

interface Row {
  id: number;
  at: number;
  actor: string;
  account: string;
  region: string;
  function_name: string;
  alias: string;
  action: string;
  before_json: string | null;
  after_json: string | null;
  reason: string;
  outcome: string;
  detail: string;
  plan_id: string | null;
  role_arn: string | null;
}

const toTarget = (json: string | null): RoutingTarget | null => {
  if (json === null) return null;
  const t = routingJson.parse(JSON.parse(json));
  return (
    t && {
      primaryVersion: t.primaryVersion,
      routing: t.routing && { ...t.routing, weight: ratio(t.routing.weight) },
    }
  );
};

export interface AuditLog {
  record(entry: NewAuditEntry): Promise<AuditEntry>;
  list(filter?: AuditFilter): Promise<AuditEntry[]>;
}

export function createAuditLog(db: Db): AuditLog {
  const k = db.kysely;
  return {
    async record(entry) {
      const before = entry.before ? JSON.stringify(entry.before) : null;
      const after = entry.after ? JSON.stringify(entry.after) : null;
      const { rows } = await sql<{ id: number }>`
        INSERT INTO audit_log (at, actor, account, region, function_name, alias, action, before_json, after_json,
          reason, outcome, detail, plan_id, role_arn)
        VALUES (${entry.at}, ${entry.actor}, ${entry.account}, ${entry.region}, ${entry.functionName}, ${entry.alias},
          ${entry.action}, ${before}, ${after}, ${entry.reason}, ${entry.outcome}, ${entry.detail}, ${entry.planId},
          ${entry.roleArn})
        RETURNING id`.execute(k);
      return { ...entry, id: Number(rows[0]?.id) };
    },
    async list(filter = {}) {
      const limit = Math.min(Math.max(filter.limit ?? 500, 1), 10_000);
      const where: RawBuilder<unknown>[] = [];
      if (filter.account) where.push(sql`account = ${filter.account}`);
      if (filter.region) where.push(sql`region = ${filter.region}`);
      if (filter.functionName) where.push(sql`function_name = ${filter.functionName}`);
      if (filter.alias) where.push(sql`alias = ${filter.alias}`);
      if (filter.planId) where.push(sql`plan_id = ${filter.planId}`);
      if (filter.from !== undefined) where.push(sql`at >= ${filter.from}`);
      if (filter.to !== undefined) where.push(sql`at < ${filter.to}`);
      const { rows } = await sql<Row>`
        SELECT * FROM audit_log ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
        ORDER BY id DESC LIMIT ${limit}`.execute(k);
      return rows.map((r) => ({
        id: Number(r.id),
        at: epochMs(Number(r.at)),
        actor: r.actor,
        account: r.account,
        region: r.region,
        functionName: r.function_name,
        alias: r.alias,
        action: r.action as AuditAction,
        before: toTarget(r.before_json),
        after: toTarget(r.after_json),
        reason: r.reason,
        outcome: r.outcome as AuditOutcome,
        detail: r.detail,
        planId: r.plan_id,
        roleArn: r.role_arn,
      }));
    },
  };
}
