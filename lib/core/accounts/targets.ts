/**
 * Which accounts the console reads, and how it reaches each: decided from the configuration (and, in Organizations
 * mode, one ListAccounts answer) before any call to an account is made.
 *
 * Invariants:
 * - One target per account id, in a stable order: the home account first, then the configuration's (roles) or the
 *   organization's listing order.
 * - The home account (the console's own credentials) never gets a role: assuming a role in one's own account would
 *   need a trust policy nobody writes for it. Its telemetry is always read directly.
 * - The include/exclude filter applies in both modes (exclude wins; a role's account has no name, only its id
 *   matches). In Organizations mode only ACTIVE accounts are read (SUSPENDED and PENDING_CLOSURE ones refuse every
 *   call), and every role ARN is built in the caller's own partition.
 * - With a monitoring account (CloudWatch cross-account observability) every account but the home one reads its
 *   telemetry there.
 * - A filter that leaves no account is an error that says so, never an empty fleet that looks like a quiet one.
 */
import { FleetscopeError } from "@/lib/core/errors";
import {
  accountSelected,
  parseAccountId,
  roleArnIn,
  type AccountFilter,
  type AccountId,
  type AccountTarget,
  type RoleArn,
} from "./index";

/** What target building needs of the accounts configuration (env().accounts). */
export interface TargetSettings {
  roles: readonly RoleArn[];
  organizationRoleName: string | null;
  filter: AccountFilter;
  externalId: string | null;
  monitoringAccount: boolean;
}

/** The console's own identity, as GetCallerIdentity answers it. */
export interface CallerIdentity {
  accountId: AccountId;
  arn: string;
}

/** One account of an Organizations ListAccounts answer. */
export interface OrganizationAccount {
  id: string;
  name: string;
  status: string;
}

const selectsNone = (filter: AccountFilter, among: string) =>
  new FleetscopeError(
    "InvalidInput",
    `FLEETSCOPE_ACCOUNTS_INCLUDE / FLEETSCOPE_ACCOUNTS_EXCLUDE select none of ${among}` +
      ` (include: ${filter.include.join(", ") || "every account"}; exclude: ${filter.exclude.join(", ") || "none"})`,
  );

const telemetryOf = (settings: TargetSettings): AccountTarget["telemetry"] =>
  settings.monitoringAccount ? "monitoring-account" : "direct";

/** The console's own account, read with its own credentials. */
export function homeTarget(identity: CallerIdentity, name: string | null = null): AccountTarget {
  return {
    id: identity.accountId,
    name,
    source: "home",
    roleArn: null,
    externalId: null,
    telemetry: "direct",
  };
}

/** FLEETSCOPE_ACCOUNT_ROLES: one target per role ARN, in the order given. */
export function roleTargets(settings: TargetSettings): AccountTarget[] {
  const seen = new Set<string>();
  const targets: AccountTarget[] = [];
  for (const role of settings.roles) {
    // env validation refuses two roles in one account; a second one here would read the account twice.
    if (seen.has(role.accountId)) {
      throw new FleetscopeError(
        "InvalidInput",
        `FLEETSCOPE_ACCOUNT_ROLES names account ${role.accountId} twice (${role.arn})`,
      );
    }
    seen.add(role.accountId);
    if (!accountSelected({ id: role.accountId, name: null }, settings.filter)) continue;
    targets.push({
      id: role.accountId,
      name: null,
      source: "role",
      roleArn: role.arn,
      externalId: settings.externalId,
      telemetry: telemetryOf(settings),
    });
  }
  if (targets.length === 0)
    throw selectsNone(settings.filter, `the ${settings.roles.length} accounts of FLEETSCOPE_ACCOUNT_ROLES`);
  return targets;
}

/** The partition of an ARN ("aws", "aws-cn", "aws-us-gov"): role ARNs are built in the caller's own. */
export function partitionOf(arn: string): string {
  const partition = /^arn:(aws(?:-[a-z]+)*):/.exec(arn)?.[1];
  if (partition === undefined) {
    throw new FleetscopeError("InvalidInput", `The caller identity "${arn}" is not an AWS ARN`);
  }
  return partition;
}

/**
 * FLEETSCOPE_ORGANIZATION_ROLE_NAME: the organization's ACTIVE accounts the filter selects, the caller's own
 * account through the console's credentials, every other one through the role of that name.
 */
export function organizationTargets(
  settings: TargetSettings,
  caller: CallerIdentity,
  listing: readonly OrganizationAccount[],
): AccountTarget[] {
  const roleName = settings.organizationRoleName;
  if (roleName === null) {
    throw new FleetscopeError(
      "InvalidInput",
      "Organizations discovery needs FLEETSCOPE_ORGANIZATION_ROLE_NAME",
    );
  }
  const partition = partitionOf(caller.arn);
  const active = listing.filter((a) => a.status === "ACTIVE");
  const seen = new Set<string>();
  const targets: AccountTarget[] = [];
  for (const account of active) {
    const id = parseAccountId(account.id);
    if (seen.has(id) || !accountSelected({ id, name: account.name }, settings.filter)) continue;
    seen.add(id);
    targets.push(
      id === caller.accountId
        ? homeTarget(caller, account.name)
        : {
            id,
            name: account.name,
            source: "organization",
            roleArn: roleArnIn(partition, id, roleName),
            externalId: settings.externalId,
            telemetry: telemetryOf(settings),
          },
    );
  }
  if (targets.length === 0)
    throw selectsNone(settings.filter, `the organization's ${active.length} ACTIVE accounts`);
  // Home first: the account the console's own credentials reach is the one to check first when others fail.
  return [...targets.filter((t) => t.source === "home"), ...targets.filter((t) => t.source !== "home")];
}
