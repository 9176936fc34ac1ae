/**
 * The audit record of a traffic change (manual or planned) and its export. Every attempt is recorded, not only
 * successes: a refused or conflicting change is evidence too.
 */
import type { EpochMs } from "../units";
import { describeRouting, type RoutingTarget } from "./routing";

export type AuditAction =
  | "shift"
  | "promote"
  | "rollback"
  | "plan.start"
  | "plan.step"
  | "plan.promote"
  | "plan.rollback"
  | "plan.abort"
  | "plan.resume";

export type AuditOutcome = "applied" | "conflict" | "rejected" | "failed" | "noted";

export interface AuditEntry {
  id: number;
  at: EpochMs;
  actor: string;
  /** The AWS account of the function ('' only for entries recorded before accounts were, until adopted). */
  account: string;
  region: string;
  functionName: string;
  alias: string;
  action: AuditAction;
  before: RoutingTarget | null;
  after: RoutingTarget | null;
  reason: string;
  outcome: AuditOutcome;
  /** Error message, guard checks, the RevisionId… whatever explains the outcome. */
  detail: string;
  planId: string | null;
  /** The IAM role the change went through; null: the console's own credentials. */
  roleArn: string | null;
}

export const AUDIT_CSV_COLUMNS = [
  "id",
  "at",
  "actor",
  "region",
  "function",
  "alias",
  "action",
  "before",
  "after",
  "reason",
  "outcome",
  "detail",
  "plan_id",
  // Appended, not inserted: exports read by position before accounts keep their columns.
  "account",
  "role_arn",
] as const;

/** RFC 4180: quote every field that has a comma, quote, CR or LF; double the quotes inside. */
export function csvField(value: string): string {
  // A leading =, +, - or @ makes spreadsheets evaluate the cell; prefix a quote (OWASP CSV injection).
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditToCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((e) =>
    [
      String(e.id),
      new Date(e.at).toISOString(),
      e.actor,
      e.region,
      e.functionName,
      e.alias,
      e.action,
      e.before ? describeRouting(e.before) : "",
      e.after ? describeRouting(e.after) : "",
      e.reason,
      e.outcome,
      e.detail,
      e.planId ?? "",
      e.account,
      e.roleArn ?? "",
    ]
      .map(csvField)
      .join(","),
  );
  return [AUDIT_CSV_COLUMNS.join(","), ...rows].join("\r\n") + "\r\n";
}
