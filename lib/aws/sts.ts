/**
 * The STS port: who the console is in an account. Only GetCallerIdentity (AssumeRole is the credential
 * provider's, ./credentials); no SDK type leaves this file.
 *
 * Invariants: the call goes through the account's own STS client (its role session, or the console's
 * credentials for the home account), so it proves the role can be assumed and used; every failure is a
 * FleetscopeError (AssumeRole failures name the role); an answer without a 12-digit account is Unavailable.
 */
import "server-only";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { env } from "@/lib/config/env";
import { isAccountId, type AccountId } from "@/lib/core/accounts/account-id";
import type { AccountTarget } from "@/lib/core/accounts/target";
import { FleetscopeError } from "@/lib/core/errors";
import { stsClient } from "./clients";
import { stsRegion } from "./credentials";
import { mapAwsErrors } from "./errors";

export interface CallerIdentity {
  accountId: AccountId;
  /** arn:aws:iam::<acct>:user/… for long-term keys, arn:aws:sts::<acct>:assumed-role/<role>/<session> for a role. */
  arn: string;
}

/** null: the console's own identity (its home account). */
export async function getCallerIdentity(
  account: AccountTarget | null,
  { signal }: { signal?: AbortSignal } = {},
): Promise<CallerIdentity> {
  const where = account?.roleArn ? ` through ${account.roleArn}` : "";
  const out = await mapAwsErrors(`STS GetCallerIdentity${where}`, () =>
    stsClient(stsRegion(env()), account).send(new GetCallerIdentityCommand({}), { abortSignal: signal }),
  );
  if (out.Account === undefined || !isAccountId(out.Account) || typeof out.Arn !== "string")
    throw new FleetscopeError(
      "Unavailable",
      `STS GetCallerIdentity${where}: the answer has no 12-digit Account and Arn (got ${JSON.stringify(out.Account)})`,
    );
  return { accountId: out.Account, arn: out.Arn };
}
