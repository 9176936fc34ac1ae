/**
 * Credentials per account: the console's own (its home account) or a role it assumes in another account.
 *
 * A role's credentials come from `fromTemporaryCredentials` (@aws-sdk/credential-providers): one AssumeRole
 * (DurationSeconds 3600, RoleSessionName from FLEETSCOPE_ROLE_SESSION_NAME, the target's external ID), signed
 * with the credentials the home clients use, through an STS client with the same endpoint, timeouts and retry
 * as every other client (clientConfig).
 *
 * Invariants:
 * - One provider per role ARN + external ID for the life of the process, shared by every client of that account
 *   (each service and region): the account has one role session, not one per client.
 * - The session is renewed when it is within REFRESH_WINDOW_MS of its Expiration, the window the SDK's clients
 *   use to ask for new credentials (@smithy/core `EXPIRATION_MS`), so a client never signs with an expired token.
 *   Concurrent callers during a renewal share one AssumeRole.
 * - A failed AssumeRole is a FleetscopeError naming the role and what to check (errors.ts assumeRoleError); the
 *   next call tries again.
 */
import "server-only";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { env, type Env } from "@/lib/config/env";
import type { AccountTarget } from "@/lib/core/accounts/target";
import { clientConfig, type CredentialsProvider } from "./client-config";
import { assumeRoleError } from "./errors";

/** The SDK renews credentials this long before they expire (@smithy/core EXPIRATION_MS, 5 minutes). */
export const REFRESH_WINDOW_MS = 300_000;
/** AWS's default maximum session duration for a role (MaxSessionDuration). */
export const SESSION_SECONDS = 3600;

type Identity = Awaited<ReturnType<CredentialsProvider>>;

const providers = new Map<string, CredentialsProvider>();

/** STS is called in the console's first region (regional STS endpoints; the role is global). */
export const stsRegion = (settings: Pick<Env, "regions">): string => settings.regions[0] ?? "us-east-1";

/** undefined: the console's own credentials (the SDK chain, or the sandbox's dummy keys as clientConfig decides). */
export function credentialsFor(
  target: AccountTarget | null,
  settings: Env = env(),
): CredentialsProvider | undefined {
  if (target === null || target.roleArn === null) return undefined;
  const key = `${target.roleArn}\u0000${target.externalId ?? ""}`;
  let provider = providers.get(key);
  if (!provider) {
    provider = sharedSession(
      assumeRole(target.roleArn, target.externalId, settings),
      target.roleArn,
      target.externalId,
    );
    providers.set(key, provider);
  }
  return provider;
}

function assumeRole(roleArn: string, externalId: string | null, settings: Env): CredentialsProvider {
  const { credentials, ...sts } = clientConfig(stsRegion(settings), settings);
  return fromTemporaryCredentials({
    params: {
      RoleArn: roleArn,
      RoleSessionName: settings.accounts.sessionName,
      DurationSeconds: SESSION_SECONDS,
      ...(externalId !== null ? { ExternalId: externalId } : {}),
    },
    // undefined: the STS client falls back to the SDK's standard chain, as the home clients do.
    ...(credentials !== undefined ? { masterCredentials: credentials } : {}),
    clientConfig: sts,
  });
}

const needsRenewal = (identity: Identity, nowMs: number) =>
  identity.expiration !== undefined && identity.expiration.getTime() - nowMs < REFRESH_WINDOW_MS;

/** One role session for every client of the account: kept until it nears expiry, renewed once for all. */
function sharedSession(
  assume: CredentialsProvider,
  roleArn: string,
  externalId: string | null,
): CredentialsProvider {
  let current: Identity | undefined;
  let pending: Promise<Identity> | undefined;
  return async (properties) => {
    // A caller may insist on new credentials (forceRefresh, as the SDK's identity providers allow).
    const force = (properties as { forceRefresh?: boolean } | undefined)?.forceRefresh === true;
    // The SDK's clients judge expiry by Date.now() (@smithy/core isIdentityExpired): this check must read the same
    // clock, not an injected one, or a client would be handed the session it just judged expired.
    // eslint-disable-next-line no-restricted-properties -- see above
    if (current && !force && !needsRenewal(current, Date.now())) return current;
    pending ??= assume(properties)
      .then(
        (identity) => (current = identity),
        (e: unknown) => {
          throw assumeRoleError(e, roleArn, externalId !== null);
        },
      )
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
