import { Notice } from "@/components/ui/notice";

/**
 * The accounts to read could not be decided (GetCallerIdentity or ListAccounts with the console's own credentials
 * failed): said once at the top of a fleet-wide page, which then shows what it can instead of failing.
 */
export function AccountsUndecided({ error }: { error: { code: string; message: string } | null }) {
  if (!error) return null;
  return (
    <div data-testid="accounts-undecided">
      <Notice tone="error" title={`The accounts to read could not be decided (${error.code})`}>
        <p className="break-words font-mono text-xs">{error.message}</p>
        <p className="text-xs">
          See <a href="/accounts">Accounts</a> for how the console reaches each account.
        </p>
      </Notice>
    </div>
  );
}
