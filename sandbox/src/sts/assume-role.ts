/**
 * sts:AssumeRole against the sandbox's accounts. Order as AWS checks: parameter validation (ValidationError,
 * 400), then the role's trust (AccessDenied, 403: unknown account or role, a denying trust policy, a missing or
 * wrong sts:ExternalId), then the requested duration against the role's MaxSessionDuration, or against one hour
 * when the caller is itself an assumed role (role chaining).
 */
import type { ResolvedAccount } from "../accounts/spec";
import { assumedRoleIdentity } from "../accounts/credentials";
import type { IssuedSession, SessionStore } from "../accounts/sessions";
import type { CallerIdentity } from "../http/types";

export class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AssumeRoleOutput {
  session: IssuedSession;
  assumedRoleId: string;
  arn: string;
}

const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/([\w+=,.@/-]+)$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;
const MIN_DURATION = 900;
const MAX_DURATION = 43_200;
const DEFAULT_DURATION = 3600;
/** AWS: a session from role chaining lasts at most one hour. */
const CHAINED_MAX = 3600;

const invalid = (value: string | null, member: string, constraint: string) =>
  new StsError(
    400,
    "ValidationError",
    `1 validation error detected: Value ${value === null ? "null" : `'${value}'`} at '${member}' failed to satisfy constraint: ${constraint}`,
  );

function checkLength(value: string, member: string, min: number, max: number): void {
  if (value.length < min)
    throw invalid(value, member, `Member must have length greater than or equal to ${min}`);
  if (value.length > max)
    throw invalid(value, member, `Member must have length less than or equal to ${max}`);
}

function parseDuration(raw: string | null): number {
  if (raw === null) return DEFAULT_DURATION;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n))
    throw invalid(raw, "durationSeconds", "Member must be an integer number of seconds");
  if (n < MIN_DURATION)
    throw invalid(raw, "durationSeconds", `Member must have value greater than or equal to ${MIN_DURATION}`);
  if (n > MAX_DURATION)
    throw invalid(raw, "durationSeconds", `Member must have value less than or equal to ${MAX_DURATION}`);
  return n;
}

export function assumeRole(
  params: URLSearchParams,
  caller: CallerIdentity,
  accounts: ReadonlyMap<string, ResolvedAccount>,
  sessions: SessionStore,
  now: number,
): AssumeRoleOutput {
  const roleArn = params.get("RoleArn");
  if (roleArn === null) throw invalid(null, "roleArn", "Member must not be null");
  checkLength(roleArn, "roleArn", 20, 2048);
  const arn = ROLE_ARN.exec(roleArn);
  if (!arn)
    throw invalid(roleArn, "roleArn", "Member must be a role ARN like arn:aws:iam::123456789012:role/name");
  const sessionName = params.get("RoleSessionName");
  if (sessionName === null) throw invalid(null, "roleSessionName", "Member must not be null");
  checkLength(sessionName, "roleSessionName", 2, 64);
  if (!SESSION_NAME.test(sessionName))
    throw invalid(
      sessionName,
      "roleSessionName",
      "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  const duration = parseDuration(params.get("DurationSeconds"));
  const externalId = params.get("ExternalId");
  if (externalId !== null) {
    checkLength(externalId, "externalId", 2, 1224);
    if (!EXTERNAL_ID.test(externalId))
      throw invalid(
        externalId,
        "externalId",
        "Member must satisfy regular expression pattern: [\\w+=,./@:-]*",
      );
  }

  const [, partition, accountId, roleName] = arn as unknown as [string, string, string, string];
  const account = partition === "aws" ? accounts.get(accountId) : undefined;
  // Sandbox roles live at path "/": an ARN with another path names a role that does not exist.
  const role = account?.roles.find((r) => r.name === roleName);
  const trusted = role && !role.deny && (role.externalId === null || role.externalId === externalId);
  if (!role || !trusted)
    throw new StsError(
      403,
      "AccessDenied",
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  if (caller.assumedRole && duration > CHAINED_MAX)
    throw new StsError(
      400,
      "ValidationError",
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
  if (duration > role.maxSessionSeconds)
    throw new StsError(
      400,
      "ValidationError",
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role (${role.maxSessionSeconds} s).`,
    );

  const session = sessions.issue({ accountId, roleName, sessionName, expiresAtMs: now + duration * 1000 });
  const identity = assumedRoleIdentity(accountId, roleName, sessionName);
  return { session, assumedRoleId: identity.userId, arn: identity.arn };
}
