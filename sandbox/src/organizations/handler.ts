/**
 * AWS Organizations over awsJson1_1 (`X-Amz-Target: AWSOrganizationsV20161128.*`): ListAccounts and
 * DescribeOrganization. A sandbox started without `accounts` is in no organization
 * (AWSOrganizationsNotInUseException). ListAccounts answers only in the management account (a member gets
 * AccessDeniedException); DescribeOrganization answers in any account of the organization, as AWS documents.
 */
import type { ResolvedAccount } from "../accounts/spec";
import type { AccountDirectory, SandboxResponse, ServiceHandler } from "../http/types";
import { jsonResponse, organizationsError } from "../protocol/errors";
import { targetOperation } from "../protocol/route";
import { describeOrganization, organizationAccounts, type OrganizationAccount } from "./model";

export interface OrganizationsSetup {
  directory: AccountDirectory;
  accounts: ResolvedAccount[];
  /** The sandbox clock at start: accounts joined before it. */
  startedAtMs: number;
}

const MAX_RESULTS = 20;

class OrganizationsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

function parseBody(body: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8") || "{}");
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new OrganizationsError(400, "SerializationException", "The request body is not a JSON object");
}

const invalidInput = (reason: string, message: string) =>
  new OrganizationsError(400, "InvalidInputException", message, reason);

/** NextToken is the base64 offset of the next page; a foreign or stale token is refused as AWS does. */
function page(accounts: OrganizationAccount[], input: Record<string, unknown>) {
  const max = input.MaxResults ?? MAX_RESULTS;
  if (typeof max !== "number" || !Number.isInteger(max))
    throw invalidInput("INVALID_INPUT", "MaxResults must be an integer from 1 to 20.");
  if (max < 1) throw invalidInput("MIN_VALUE_EXCEEDED", `MaxResults ${max} is less than the minimum, 1.`);
  if (max > MAX_RESULTS)
    throw invalidInput("MAX_VALUE_EXCEEDED", `MaxResults ${max} is more than the maximum, 20.`);
  let start = 0;
  if (input.NextToken !== undefined && input.NextToken !== null) {
    const raw =
      typeof input.NextToken === "string" ? Buffer.from(input.NextToken, "base64").toString("utf8") : "";
    const m = /^accounts:(\d+)$/.exec(raw);
    start = m ? Number(m[1]) : -1;
    if (start <= 0 || start >= accounts.length)
      throw invalidInput(
        "INVALID_PAGINATION_TOKEN",
        "The NextToken is not valid for this ListAccounts call.",
      );
  }
  const end = start + max;
  return {
    Accounts: accounts.slice(start, end),
    ...(end < accounts.length ? { NextToken: Buffer.from(`accounts:${end}`).toString("base64") } : {}),
  };
}

export function createOrganizationsHandler(setup: OrganizationsSetup): ServiceHandler {
  return (req, ctx): SandboxResponse => {
    const operation = targetOperation(req.headers) ?? undefined;
    try {
      if (operation !== "ListAccounts" && operation !== "DescribeOrganization")
        throw new OrganizationsError(
          400,
          "UnknownOperationException",
          `The sandbox does not implement Organizations operation ${operation ?? "(none)"}`,
        );
      const input = parseBody(req.body);
      const caller = ctx.account.accountId;
      if (!setup.directory.organization)
        throw new OrganizationsError(
          400,
          "AWSOrganizationsNotInUseException",
          `Your account is not a member of an organization. (Account ${caller}: the sandbox was started without accounts.)`,
        );
      if (operation === "DescribeOrganization")
        return jsonResponse(200, describeOrganization(setup.accounts), operation);
      if (caller !== setup.directory.management)
        throw new OrganizationsError(
          403,
          "AccessDeniedException",
          `You don't have permissions to access this resource. Account ${caller} is a member account; ListAccounts answers in the management account ${setup.directory.management}.`,
        );
      return jsonResponse(
        200,
        page(organizationAccounts(setup.accounts, setup.startedAtMs), input),
        operation,
      );
    } catch (e) {
      if (!(e instanceof OrganizationsError)) throw e;
      return {
        ...organizationsError(e.status, e.code, e.message, e.reason ? { Reason: e.reason } : {}),
        operation,
      };
    }
  };
}
