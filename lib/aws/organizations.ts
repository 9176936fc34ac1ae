/**
 * The Organizations port: the accounts of the console's organization. Only ListAccounts, every page, with the
 * console's own credentials (the management account or a delegated administrator); no SDK type leaves this
 * file.
 *
 * Invariants: Organizations has one endpoint per partition (us-east-1, cn-northwest-1, us-gov-west-1), chosen
 * from the console's first region; every failure is a FleetscopeError (outside an organization: InvalidInput
 * saying so; a member account: AccessDenied); an account without a 12-digit id is Unavailable, never dropped.
 */
import "server-only";
import { ListAccountsCommand, type Account } from "@aws-sdk/client-organizations";
import { env } from "@/lib/config/env";
import { isAccountId, type AccountId } from "@/lib/core/accounts/account-id";
import { FleetscopeError } from "@/lib/core/errors";
import { organizationsClient } from "./clients";
import { stsRegion } from "./credentials";
import { mapAwsErrors } from "./errors";

export interface OrganizationAccount {
  id: AccountId;
  name: string;
  email: string;
  /**
   * ACTIVE, SUSPENDED, PENDING_ACTIVATION, PENDING_CLOSURE, CLOSED: ListAccounts' `State`, which replaced the
   * deprecated `Status` (AWS stopped sending Status after 2026-09-09); Status is read only when State is absent.
   */
  status: string;
}

/** ListAccounts' largest page (MaxResults 1–20). */
const PAGE_SIZE = 20;
/** A page that keeps answering a NextToken is a broken endpoint, not an organization: AWS allows 10,000 accounts. */
const MAX_PAGES = 10_000 / PAGE_SIZE + 1;

/** The Organizations endpoint's region for the partition of `region`. */
export function organizationsRegion(region: string): string {
  if (region.startsWith("cn-")) return "cn-northwest-1";
  if (region.startsWith("us-gov-")) return "us-gov-west-1";
  return "us-east-1";
}

function toAccount(a: Account): OrganizationAccount {
  if (a.Id === undefined || !isAccountId(a.Id))
    throw new FleetscopeError(
      "Unavailable",
      `Organizations ListAccounts: an account has no 12-digit Id (got ${JSON.stringify(a.Id)})`,
    );
  return { id: a.Id, name: a.Name ?? "", email: a.Email ?? "", status: a.State ?? a.Status ?? "UNKNOWN" };
}

export async function listOrganizationAccounts({
  signal,
  pageSize = PAGE_SIZE,
}: { signal?: AbortSignal; pageSize?: number } = {}): Promise<OrganizationAccount[]> {
  const client = organizationsClient(organizationsRegion(stsRegion(env())), null);
  const accounts: OrganizationAccount[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await mapAwsErrors("Organizations ListAccounts", () =>
      client.send(new ListAccountsCommand({ MaxResults: pageSize, NextToken: token }), {
        abortSignal: signal,
      }),
    );
    accounts.push(...(out.Accounts ?? []).map(toAccount));
    token = out.NextToken;
    if (!token) return accounts;
  }
  throw new FleetscopeError(
    "Unavailable",
    `Organizations ListAccounts: still paging after ${MAX_PAGES} pages; the endpoint keeps answering a NextToken`,
  );
}
