/**
 * Which account (and identity) a request acts as, from the access key id its SigV4 signature names:
 * - `ASIA…` issued by this sandbox's STS → that session's account and assumed role, if the session token matches
 *   and the session has not expired on the sandbox clock;
 * - `ASIA…` never issued (or with another token) → the invalid-token error;
 * - a key listed in `accessKeys` → that account's user; any other key → the management account's user (as the
 *   single-account sandbox always did: dummy credentials work).
 * Signatures are never verified.
 */
import type { CallerIdentity } from "../http/types";
import { uniqueId, type SessionStore } from "./sessions";

export const SANDBOX_USER = "fleetscope-sandbox";

export type CallerResolution =
  { ok: true; caller: CallerIdentity } | { ok: false; reason: "invalid-token" | "expired-token" };

export interface CredentialRules {
  sessions: SessionStore;
  management: string;
  /** Access key id → account id, for long-term keys of other accounts. */
  accessKeys: ReadonlyMap<string, string>;
  now: () => number;
}

/** The `accessKeys` option checked: long-term key ids only, each naming an account of the sandbox. */
export function accessKeyAccounts(
  keys: Record<string, string>,
  known: (id: string) => boolean,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, accountId] of Object.entries(keys)) {
    // ASIA… ids are this sandbox's STS sessions; a long-term key may be any other SigV4-safe id.
    if (!/^[\w+=,.@-]{1,128}$/.test(key) || key.startsWith("ASIA"))
      throw new RangeError(
        `accessKeys: '${key}' is not a long-term access key id (1-128 of [\w+=,.@-], not ASIA…)`,
      );
    if (!known(accountId))
      throw new RangeError(`accessKeys: ${key} maps to ${accountId}, not one of the sandbox's accounts`);
    out.set(key, accountId);
  }
  return out;
}

const ACCESS_KEY = /Credential=([^/\s,]+)\//;

/** The access key id and session token of a SigV4-signed request (Authorization header or presigned query). */
export function signedCredentials(
  headers: Record<string, string>,
  query: URLSearchParams,
): { accessKeyId: string | null; sessionToken: string | null } {
  const fromHeader = ACCESS_KEY.exec(headers.authorization ?? "")?.[1];
  const fromQuery = query.get("X-Amz-Credential")?.split("/")[0];
  return {
    accessKeyId: fromHeader ?? fromQuery ?? null,
    sessionToken: headers["x-amz-security-token"] ?? query.get("X-Amz-Security-Token"),
  };
}

export const userIdentity = (accountId: string): CallerIdentity => ({
  accountId,
  arn: `arn:aws:iam::${accountId}:user/${SANDBOX_USER}`,
  userId: uniqueId("AIDA", `${accountId}/${SANDBOX_USER}`),
  assumedRole: null,
});

export const roleUniqueId = (accountId: string, roleName: string): string =>
  uniqueId("AROA", `${accountId}/${roleName}`);

export const assumedRoleIdentity = (
  accountId: string,
  roleName: string,
  sessionName: string,
): CallerIdentity => ({
  accountId,
  arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
  userId: `${roleUniqueId(accountId, roleName)}:${sessionName}`,
  assumedRole: { roleName, sessionName },
});

export function resolveCaller(
  headers: Record<string, string>,
  query: URLSearchParams,
  rules: CredentialRules,
): CallerResolution {
  const { accessKeyId, sessionToken } = signedCredentials(headers, query);
  if (accessKeyId?.startsWith("ASIA")) {
    const session = rules.sessions.get(accessKeyId);
    if (!session || session.sessionToken !== sessionToken) return { ok: false, reason: "invalid-token" };
    if (rules.now() >= session.expiresAtMs) return { ok: false, reason: "expired-token" };
    return {
      ok: true,
      caller: assumedRoleIdentity(session.accountId, session.roleName, session.sessionName),
    };
  }
  const accountId = (accessKeyId && rules.accessKeys.get(accessKeyId)) ?? rules.management;
  return { ok: true, caller: userIdentity(accountId) };
}
