/**
 * The accounts the console reads (accountTargets) and whether each answers (accountStatuses): the Accounts page,
 * the start-up check, and next the collector and every view, per account.
 *
 * Invariants:
 * - Targets are decided from the configuration and at most one GetCallerIdentity plus one ListAccounts (all pages),
 *   cached TARGETS_TTL_MS; statuses cost one GetCallerIdentity per account (through its role: one AssumeRole
 *   while the role's credentials last), cached STATUS_TTL_MS. Concurrent callers share one check in flight, and a
 *   failed discovery is not cached (lib/data/cache.ts).
 * - One account's failure never hides another's: each check settles on its own into a coded error that names
 *   the account and how it was reached (its role ARN, or the console's own credentials).
 * - An account is reachable only if the identity it answers with is in that account: credentials that act
 *   elsewhere are a misconfiguration, said as such, not a green row.
 * - At most CHECK_CONCURRENCY accounts are asked at once: an organization of hundreds must not burst STS.
 */
import "server-only";
import { listOrganizationAccounts } from "@/lib/aws/organizations";
import { getCallerIdentity } from "@/lib/aws/sts";
import { env } from "@/lib/config/env";
import type { AccountsConfig, AccountTarget } from "@/lib/core/accounts";
import {
  homeTarget,
  organizationTargets,
  roleTargets,
  type CallerIdentity,
  type OrganizationAccount,
} from "@/lib/core/accounts/targets";
import { mapWithConcurrency } from "@/lib/core/concurrency";
import { toOutcomeError } from "@/lib/core/errors";
import { createCache } from "./cache";

export type { AccountTarget } from "@/lib/core/accounts";

/** Accounts change rarely (an account joins the organization, a role is added): re-listed every 10 minutes. */
export const TARGETS_TTL_MS = 10 * 60_000;
/** A status a minute old at most: the page reflects a fixed trust policy soon, without one STS call per view. */
export const STATUS_TTL_MS = 60_000;
/** Accounts checked at once. */
export const CHECK_CONCURRENCY = 8;

export interface AccountStatus {
  target: AccountTarget;
  reachable: boolean;
  /** The identity the console acts as in that account. */
  callerArn: string | null;
  /** One account's failure never hides the others. */
  error: { code: string; message: string } | null;
  checkedAt: number;
}

/** The AWS calls account checks make: the real adapters in production, the same adapters on a sandbox in tests. */
export interface AccountChecksDeps {
  config: AccountsConfig;
  callerIdentity(account: AccountTarget | null): Promise<CallerIdentity>;
  organizationAccounts(): Promise<OrganizationAccount[]>;
  /** The caches' clock (default: the system clock, as lib/data/cache.ts has it). */
  cacheNow?: () => number;
}

export interface AccountChecks {
  targets(): Promise<AccountTarget[]>;
  /** `now`: when each account's answer came (its `checkedAt`). */
  statuses(now: () => number): Promise<AccountStatus[]>;
}

/** "111111111111 (member-1)", or the id alone when the account's name is unknown. */
export const accountLabel = (t: AccountTarget): string => (t.name ? `${t.id} (${t.name})` : t.id);

/** How the console reaches the account: its role ARN, or its own credentials. */
export const reachedVia = (t: AccountTarget): string => t.roleArn ?? "own credentials";

/** What an account's error message starts with: the account, and how it was reached unless AWS's text says it. */
const errorPrefix = (t: AccountTarget, message: string) =>
  t.roleArn !== null && message.includes(t.roleArn)
    ? `Account ${accountLabel(t)}: `
    : `Account ${accountLabel(t)} via ${reachedVia(t)}: `;

async function decideTargets(deps: AccountChecksDeps): Promise<AccountTarget[]> {
  const { config } = deps;
  if (config.mode === "roles") return roleTargets(config);
  const caller = await deps.callerIdentity(null);
  if (config.mode === "single") return [homeTarget(caller)];
  return organizationTargets(config, caller, await deps.organizationAccounts());
}

async function checkAccount(
  deps: AccountChecksDeps,
  target: AccountTarget,
  now: () => number,
): Promise<AccountStatus> {
  const failed = (code: string, message: string): AccountStatus => ({
    target,
    reachable: false,
    callerArn: null,
    error: { code, message: `${errorPrefix(target, message)}${message}` },
    checkedAt: now(),
  });
  try {
    const identity = await deps.callerIdentity(target);
    if (identity.accountId !== target.id) {
      return failed(
        "InvalidInput",
        `the credentials act as ${identity.arn}, in account ${identity.accountId}, not in this account`,
      );
    }
    return { target, reachable: true, callerArn: identity.arn, error: null, checkedAt: now() };
  } catch (e) {
    const { code, message } = toOutcomeError(e);
    return failed(code, message);
  }
}

export function createAccountChecks(deps: AccountChecksDeps): AccountChecks {
  const clock = deps.cacheNow ? { now: deps.cacheNow } : {};
  const targetsCache = createCache<AccountTarget[]>({ ttlMs: TARGETS_TTL_MS, maxEntries: 1, ...clock });
  const statusCache = createCache<AccountStatus[]>({ ttlMs: STATUS_TTL_MS, maxEntries: 1, ...clock });
  const targets = () => targetsCache.get("targets", () => decideTargets(deps));
  return {
    targets,
    statuses: (now) =>
      statusCache.get("statuses", async () =>
        mapWithConcurrency(await targets(), CHECK_CONCURRENCY, (t) => checkAccount(deps, t, now)),
      ),
  };
}

// On globalThis: Next bundles instrumentation apart from the pages, and the start-up check should spare the first
// view of the Accounts page its STS calls (one cache per process, not per bundle).
const holder = globalThis as typeof globalThis & { __fleetscopeAccountChecks?: AccountChecks };
const defaultChecks = (): AccountChecks =>
  (holder.__fleetscopeAccountChecks ??= createAccountChecks({
    config: env().accounts,
    callerIdentity: getCallerIdentity,
    organizationAccounts: listOrganizationAccounts,
  }));

/** Every account the console reads, with how it reaches each (cached 10 minutes). */
export const accountTargets = (): Promise<AccountTarget[]> => defaultChecks().targets();

/**
 * Every account's reachability (cached a minute). Rejects only when the accounts themselves cannot be decided
 * (GetCallerIdentity or ListAccounts with the console's own credentials failed); one account failing is a row.
 * `now` is the caller's clock (pages and the start-up hook hold the system clock).
 */
export const accountStatuses = (now: () => number): Promise<AccountStatus[]> => defaultChecks().statuses(now);

/** One start-up log line per account: "account 1111… (member-1) via arn:…: reachable as arn:…". */
export function statusLine(s: AccountStatus): string {
  const via = `account ${accountLabel(s.target)} via ${reachedVia(s.target)}`;
  if (s.reachable) return `${via}: reachable as ${s.callerArn}`;
  const error = s.error ?? { code: "Unavailable", message: "no answer" };
  // The message already names the account and its role: the line says them once.
  const prefix = [`Account ${accountLabel(s.target)}: `, errorPrefix(s.target, "")].find((p) =>
    error.message.startsWith(p),
  );
  const detail = prefix === undefined ? error.message : error.message.slice(prefix.length);
  return `${via}: unreachable: ${error.code}: ${detail}`;
}

/**
 * The start-up check (instrumentation.ts): logs one line per account, in the background. Never throws: a console
 * whose accounts cannot be reached still starts, and its Accounts page says why.
 */
export async function logAccountCheck(
  now: () => number,
  log: (line: string) => void = (line) => console.log(`[fleetscope] ${line}`),
): Promise<void> {
  try {
    for (const s of await accountStatuses(now)) log(statusLine(s));
  } catch (e) {
    const { code, message } = toOutcomeError(e);
    log(`the accounts could not be determined: ${code}: ${message}`);
  }
}
