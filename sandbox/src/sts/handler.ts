/**
 * STS over awsQuery (form-encoded `Action=…&Version=2011-06-15`, XML answers in the 2011-06-15 namespace), as
 * the JS SDK (`@aws-sdk/client-sts`) and botocore speak it: AssumeRole and GetCallerIdentity. Any other action
 * gets AWS's InvalidAction.
 */
import type { ResolvedAccount } from "../accounts/spec";
import type { SessionStore } from "../accounts/sessions";
import type { SandboxRequest, SandboxResponse, ServiceHandler } from "../http/types";
import { queryXmlError } from "../protocol/errors";
import { assumeRole, StsError } from "./assume-role";
import { xmlResponse } from "./xml";

export interface StsSetup {
  accounts: ReadonlyMap<string, ResolvedAccount>;
  sessions: SessionStore;
}

const VERSION = "2011-06-15";

/** The query parameters: the form body of a POST, or the URL's for a GET (both are valid awsQuery). */
function paramsOf(req: SandboxRequest): URLSearchParams {
  const params = new URLSearchParams(req.query);
  if (req.body.length > 0)
    for (const [k, v] of new URLSearchParams(req.body.toString("utf8"))) params.set(k, v);
  return params;
}

/** Expiration as STS writes it: ISO 8601 to the second. */
const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

export function createStsHandler(setup: StsSetup): ServiceHandler {
  return (req, ctx): SandboxResponse => {
    const params = paramsOf(req);
    const action = params.get("Action");
    const fail = (status: number, code: string, message: string): SandboxResponse => ({
      ...queryXmlError(status, code, message),
      operation: action ?? undefined,
    });
    if (!action) return fail(400, "MissingAction", "Missing Action");
    const version = params.get("Version");
    if (version !== null && version !== VERSION)
      return fail(400, "InvalidAction", `Could not find operation ${action} for version ${version}`);
    const caller = req.caller;
    if (!caller) return fail(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    if (action === "GetCallerIdentity")
      return {
        ...xmlResponse(action, { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn }),
        operation: action,
      };
    if (action === "AssumeRole") {
      try {
        const out = assumeRole(params, caller, setup.accounts, setup.sessions, ctx.now());
        return {
          ...xmlResponse(action, {
            Credentials: {
              AccessKeyId: out.session.accessKeyId,
              SecretAccessKey: out.session.secretAccessKey,
              SessionToken: out.session.sessionToken,
              Expiration: isoSeconds(out.session.expiresAtMs),
            },
            AssumedRoleUser: { AssumedRoleId: out.assumedRoleId, Arn: out.arn },
          }),
          operation: action,
        };
      } catch (e) {
        if (e instanceof StsError) return fail(e.status, e.code, e.message);
        throw e;
      }
    }
    return fail(400, "InvalidAction", `Could not find operation ${action} for version ${version ?? VERSION}`);
  };
}
