/**
 * The accounts a sandbox simulates, as the caller describes them, and their validation with defaults applied.
 *
 * Invariants of a resolved list: at least one account; ids are 12 digits and unique; names unique; index 0 keeps
 * the base seed (so a one-account sandbox generates exactly today's fleet), index i defaults to base + 1000·i;
 * every role name is an IAM role name and unique within its account. Errors name the account and the field.
 */
import { accountIdFor } from "../fleet/generate";

export interface SandboxRoleSpec {
  name: string;
  /** The trust policy requires this sts:ExternalId. */
  externalId?: string;
  /** The trust policy (or an SCP) refuses every AssumeRole: AccessDenied. */
  deny?: boolean;
  /** MaxSessionDuration, AWS default 3600. */
  maxSessionSeconds?: number;
}

export interface SandboxAccountSpec {
  /** 12 digits; default accountIdFor(seed). */
  id?: string;
  /** Its Organizations name, e.g. "management", "member-1". */
  name: string;
  /** Default: index 0 keeps the base seed, index i: base seed + 1000 * i. */
  seed?: number;
  /** Default: the sandbox option. */
  functionsPerRegion?: number;
  /** Default: the sandbox option. */
  regions?: string[];
  /** Default [{ name: "fleetscope" }, { name: "OrganizationAccountAccessRole" }]. */
  roles?: SandboxRoleSpec[];
  /** Account concurrency limit (GetAccountSettings), default 1000. */
  concurrentExecutions?: number;
}

export interface ResolvedRole {
  name: string;
  externalId: string | null;
  deny: boolean;
  maxSessionSeconds: number;
}

export interface ResolvedAccount {
  id: string;
  name: string;
  seed: number;
  functionsPerRegion: number | undefined;
  regions: string[] | undefined;
  roles: ResolvedRole[];
  concurrentExecutions: number;
}

export const DEFAULT_ROLE_NAMES = ["fleetscope", "OrganizationAccountAccessRole"];
export const DEFAULT_MAX_SESSION_SECONDS = 3600;
/** IAM: MaxSessionDuration is 1 to 12 hours. */
const MAX_SESSION_RANGE = [3600, 43_200] as const;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SEED_STRIDE = 1000;

export interface AccountDefaults {
  seed: number;
  functionsPerRegion?: number;
  regions?: string[];
}

function resolveRole(account: string, role: SandboxRoleSpec): ResolvedRole {
  const where = `account '${account}' role '${role.name}'`;
  if (!ROLE_NAME.test(role.name))
    throw new RangeError(`${where}: a role name is 1-64 characters of [A-Za-z0-9+=,.@_-]`);
  if (role.externalId !== undefined && !EXTERNAL_ID.test(role.externalId))
    throw new RangeError(`${where}: externalId must be 2-1224 characters of [A-Za-z0-9+=,.@:/_-]`);
  const max = role.maxSessionSeconds ?? DEFAULT_MAX_SESSION_SECONDS;
  if (!Number.isInteger(max) || max < MAX_SESSION_RANGE[0] || max > MAX_SESSION_RANGE[1])
    throw new RangeError(`${where}: maxSessionSeconds must be an integer in 3600..43200, got ${max}`);
  return {
    name: role.name,
    externalId: role.externalId ?? null,
    deny: role.deny ?? false,
    maxSessionSeconds: max,
  };
}

/** Resolves `accounts` (or the single implicit account when omitted) with defaults, or throws naming the culprit. */
export function resolveAccounts(
  specs: SandboxAccountSpec[] | undefined,
  defaults: AccountDefaults,
): ResolvedAccount[] {
  const list = specs ?? [{ name: "management" }];
  if (list.length === 0)
    throw new RangeError("accounts must list at least one account (accounts[0] is the management account)");
  const ids = new Map<string, string>();
  const names = new Set<string>();
  return list.map((spec, i) => {
    const label = spec.name || `#${i}`;
    if (!spec.name || spec.name.length > 50)
      throw new RangeError(`accounts[${i}]: name must be 1-50 characters, got '${spec.name}'`);
    if (names.has(spec.name)) throw new RangeError(`accounts[${i}]: the name '${spec.name}' is used twice`);
    names.add(spec.name);
    const seed = spec.seed ?? defaults.seed + SEED_STRIDE * i;
    if (!Number.isInteger(seed) || seed < 0)
      throw new RangeError(`account '${label}': seed must be a non-negative integer`);
    const id = spec.id ?? accountIdFor(seed);
    if (!/^\d{12}$/.test(id)) throw new RangeError(`account '${label}': id must be 12 digits, got '${id}'`);
    const other = ids.get(id);
    if (other !== undefined)
      throw new RangeError(`accounts '${other}' and '${label}' both have the id ${id}`);
    ids.set(id, label);
    const concurrentExecutions = spec.concurrentExecutions ?? 1000;
    if (!Number.isInteger(concurrentExecutions) || concurrentExecutions < 1)
      throw new RangeError(
        `account '${label}': concurrentExecutions must be a positive integer, got ${concurrentExecutions}`,
      );
    const roles = (spec.roles ?? DEFAULT_ROLE_NAMES.map((name) => ({ name }))).map((r) =>
      resolveRole(label, r),
    );
    const roleNames = new Set<string>();
    for (const r of roles) {
      // IAM role names are unique case-insensitively within an account.
      if (roleNames.has(r.name.toLowerCase()))
        throw new RangeError(`account '${label}': role '${r.name}' is listed twice`);
      roleNames.add(r.name.toLowerCase());
    }
    return {
      id,
      name: spec.name,
      seed,
      functionsPerRegion: spec.functionsPerRegion ?? defaults.functionsPerRegion,
      regions: spec.regions ?? defaults.regions,
      roles,
      concurrentExecutions,
    };
  });
}
