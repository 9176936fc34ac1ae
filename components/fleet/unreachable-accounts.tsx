/**
 * One message per selected account the console cannot reach (accountStatuses), naming the account and its
 * error, above panels that still show every other account. An account that fails never hides the others, and
 * the accounts themselves not being decidable (ListAccounts or GetCallerIdentity failed) is said once.
 */
import { Notice } from "@/components/ui/notice";
import type { AccountStatus } from "@/lib/data/accounts";

export interface UnreachableAccount {
  account: string;
  /** "111111111111 (member-1)", or the id alone. */
  label: string;
  error: { code: string; message: string };
}

/** The selected accounts that did not answer, in the order the statuses come (the accounts' order). */
export function unreachableAccounts(
  statuses: readonly Pick<AccountStatus, "target" | "reachable" | "error">[],
  selected: readonly string[],
): UnreachableAccount[] {
  return statuses.flatMap((s) =>
    s.reachable || !selected.includes(s.target.id)
      ? []
      : [
          {
            account: s.target.id,
            label: s.target.name ? `${s.target.id} (${s.target.name})` : s.target.id,
            error: s.error ?? { code: "Unavailable", message: "the account did not answer" },
          },
        ],
  );
}

/** Settled by the page: the statuses, or why they could not be read. */
export type AccountStatusesOutcome =
  { ok: true; value: readonly AccountStatus[] } | { ok: false; error: { code: string; message: string } };

export async function UnreachableAccounts({
  statuses,
  selected,
}: {
  statuses: Promise<AccountStatusesOutcome>;
  selected: readonly string[];
}) {
  const outcome = await statuses;
  if (!outcome.ok)
    return (
      <div data-testid="unreachable-accounts">
        <Notice tone="warn" title={`The accounts could not be checked (${outcome.error.code})`}>
          <p className="break-words font-mono text-xs">{outcome.error.message}</p>
        </Notice>
      </div>
    );
  const down = unreachableAccounts(outcome.value, selected);
  if (down.length === 0) return null;
  return (
    <div className="space-y-2" data-testid="unreachable-accounts">
      {down.map((a) => (
        <div key={a.account} data-account={a.account} data-testid="unreachable-account">
          <Notice tone="warn" title={`Account ${a.label} is unreachable (${a.error.code})`}>
            <p className="break-words font-mono text-xs">{a.error.message}</p>
            <p className="mt-1 text-xs">
              What the store holds of it is shown as collected; every other account is shown as usual.
            </p>
          </Notice>
        </div>
      ))}
    </div>
  );
}
