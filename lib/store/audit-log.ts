/** The audit log: append-only rows, read newest first. Routing is stored as JSON and re-validated on read. */
import { z } from "zod";
import type { AuditAction, AuditEntry, AuditOutcome } from "@/lib/core/traffic/audit";
import type { RoutingTarget } from "@/lib/core/traffic/routing";
import { epochMs, ratio } from "@/lib/core/units";
import type { Db } from "./database";

export type NewAuditEntry = Omit<AuditEntry, "id">;

export interface AuditFilter {
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
  record(entry: NewAuditEntry): AuditEntry;
  list(filter?: AuditFilter): AuditEntry[];
}

export function createAuditLog(db: Db): AuditLog {
  const insert = db.prepare(
    `INSERT INTO audit_log (at, actor, region, function_name, alias, action, before_json, after_json, reason,
       outcome, detail, plan_id)
     VALUES (@at, @actor, @region, @functionName, @alias, @action, @before, @after, @reason, @outcome, @detail, @planId)`,
  );
  return {
    record(entry) {
      const r = insert.run({
        ...entry,
        before: entry.before ? JSON.stringify(entry.before) : null,
        after: entry.after ? JSON.stringify(entry.after) : null,
      });
      return { ...entry, id: Number(r.lastInsertRowid) };
    },
    list(filter = {}) {
      const where: string[] = [];
      const params: Record<string, string | number> = {
        limit: Math.min(Math.max(filter.limit ?? 500, 1), 10_000),
      };
      const add = (column: string, key: string, value: string | undefined) => {
        if (!value) return;
        where.push(`${column} = @${key}`);
        params[key] = value;
      };
      add("region", "region", filter.region);
      add("function_name", "fn", filter.functionName);
      add("alias", "alias", filter.alias);
      add("plan_id", "planId", filter.planId);
      if (filter.from !== undefined) {
        where.push("at >= @from");
        params.from = filter.from;
      }
      if (filter.to !== undefined) {
        where.push("at < @to");
        params.to = filter.to;
      }
      const rows = db
        .prepare(
          `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT @limit`,
        )
        .all(params) as Row[];
      return rows.map((r) => ({
        id: r.id,
        at: epochMs(r.at),
        actor: r.actor,
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
      }));
    },
  };
}
