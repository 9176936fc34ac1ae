/**
 * The account configuration from the console's environment (lib/config/env-schema.ts passes the raw strings).
 * Pure and total: every bad variable is reported with the entry at fault, all at once, so a deploy learns the
 * whole list in one start-up.
 *
 * Modes: `single` (the console's own account), `roles` (FLEETSCOPE_ACCOUNT_ROLES: one role ARN per account),
 * `organization` (FLEETSCOPE_ORGANIZATION_ROLE_NAME: Organizations discovery, that role assumed in each account).
 */
import { isFleetscopeError } from "@/lib/core/errors";
import { parseRoleArn, isRoleName, type RoleArn } from "./role-arn";
import { parseFilterEntry, type AccountFilter } from "./filter";

export type AccountsConfig = {
  mode: "single" | "roles" | "organization";
  /** mode "roles" */
  roles: RoleArn[];
  /** mode "organization" */
  organizationRoleName: string | null;
  filter: AccountFilter;
  externalId: string | null;
  sessionName: string;
  monitoringAccount: boolean;
};

/** The variables as the environment holds them (unset or empty: undefined). */
export interface AccountsVariables {
  FLEETSCOPE_ACCOUNT_ROLES?: string;
  FLEETSCOPE_ORGANIZATION_ROLE_NAME?: string;
  FLEETSCOPE_ACCOUNTS_INCLUDE?: string;
  FLEETSCOPE_ACCOUNTS_EXCLUDE?: string;
  FLEETSCOPE_ROLE_EXTERNAL_ID?: string;
  FLEETSCOPE_ROLE_SESSION_NAME?: string;
}

export interface EnvProblem {
  variable: keyof AccountsVariables;
  message: string;
}

export type AccountsParse =
  { ok: true; config: Omit<AccountsConfig, "monitoringAccount"> } | { ok: false; problems: EnvProblem[] };

export const DEFAULT_SESSION_NAME = "fleetscope";
// STS AssumeRole's documented patterns (RoleSessionName, ExternalId).
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

const messageOf = (e: unknown) => (isFleetscopeError(e) ? e.message : String(e));

/** Splits on commas (and, for ARNs, whitespace: an ARN holds neither); drops empty entries. */
const entries = (raw: string | undefined, separators: RegExp): string[] =>
  (raw ?? "")
    .split(separators)
    .map((s) => s.trim())
    .filter(Boolean);

export function parseAccountsVariables(v: AccountsVariables): AccountsParse {
  const problems: EnvProblem[] = [];
  const problem = (variable: keyof AccountsVariables, message: string) =>
    problems.push({ variable, message });

  const roles: RoleArn[] = [];
  for (const raw of entries(v.FLEETSCOPE_ACCOUNT_ROLES, /[\s,]+/)) {
    try {
      roles.push(parseRoleArn(raw));
    } catch (e) {
      problem("FLEETSCOPE_ACCOUNT_ROLES", messageOf(e));
    }
  }
  const byAccount = new Map<string, string>();
  for (const role of roles) {
    const earlier = byAccount.get(role.accountId);
    if (earlier !== undefined)
      problem(
        "FLEETSCOPE_ACCOUNT_ROLES",
        `account ${role.accountId} is listed twice ("${earlier}" and "${role.arn}"): give one role per account`,
      );
    else byAccount.set(role.accountId, role.arn);
  }
  const partitions = [...new Set(roles.map((r) => r.partition))];
  if (partitions.length > 1)
    problem(
      "FLEETSCOPE_ACCOUNT_ROLES",
      `mixes partitions (${partitions.join(", ")}): one set of console credentials can only assume roles in its own partition`,
    );
  if (v.FLEETSCOPE_ACCOUNT_ROLES !== undefined && roles.length === 0 && problems.length === 0)
    problem("FLEETSCOPE_ACCOUNT_ROLES", "lists no role ARN");

  const organizationRoleName = v.FLEETSCOPE_ORGANIZATION_ROLE_NAME?.trim() || null;
  if (organizationRoleName !== null && !isRoleName(organizationRoleName))
    problem(
      "FLEETSCOPE_ORGANIZATION_ROLE_NAME",
      `"${organizationRoleName}" is not an IAM role name: 1 to 64 of letters, digits and +=,.@_-`,
    );
  if (organizationRoleName !== null && v.FLEETSCOPE_ACCOUNT_ROLES !== undefined)
    problem(
      "FLEETSCOPE_ORGANIZATION_ROLE_NAME",
      "cannot be set together with FLEETSCOPE_ACCOUNT_ROLES: choose Organizations discovery or a list of roles",
    );
  const mode =
    organizationRoleName !== null
      ? "organization"
      : v.FLEETSCOPE_ACCOUNT_ROLES !== undefined
        ? "roles"
        : "single";

  const filter: AccountFilter = { include: [], exclude: [] };
  for (const [variable, list] of [
    ["FLEETSCOPE_ACCOUNTS_INCLUDE", filter.include],
    ["FLEETSCOPE_ACCOUNTS_EXCLUDE", filter.exclude],
  ] as const) {
    // Account names may hold spaces: filters split on commas only.
    for (const raw of entries(v[variable], /,/)) {
      try {
        list.push(parseFilterEntry(raw));
      } catch (e) {
        problem(variable, messageOf(e));
      }
    }
  }

  const externalId = v.FLEETSCOPE_ROLE_EXTERNAL_ID ?? null;
  if (externalId !== null && !EXTERNAL_ID.test(externalId))
    problem(
      "FLEETSCOPE_ROLE_EXTERNAL_ID",
      `"${externalId}" is not a valid external ID: 2 to 1224 of letters, digits and +=,.@:/_-`,
    );
  const sessionName = v.FLEETSCOPE_ROLE_SESSION_NAME ?? DEFAULT_SESSION_NAME;
  if (!SESSION_NAME.test(sessionName))
    problem(
      "FLEETSCOPE_ROLE_SESSION_NAME",
      `"${sessionName}" is not a valid role session name: 2 to 64 of letters, digits and +=,.@_-`,
    );

  // Settings that only apply to assumed roles would be silently ignored in single mode: say so instead.
  if (mode === "single")
    for (const variable of [
      "FLEETSCOPE_ACCOUNTS_INCLUDE",
      "FLEETSCOPE_ACCOUNTS_EXCLUDE",
      "FLEETSCOPE_ROLE_EXTERNAL_ID",
    ] as const)
      if (v[variable] !== undefined)
        problem(
          variable,
          "applies only with FLEETSCOPE_ACCOUNT_ROLES or FLEETSCOPE_ORGANIZATION_ROLE_NAME, and neither is set",
        );

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      mode,
      roles: mode === "roles" ? roles : [],
      organizationRoleName,
      filter,
      externalId,
      sessionName,
    },
  };
}
