import type { Metadata } from "next";
import { connection } from "next/server";
import { AccountsTable } from "@/components/accounts/accounts-table";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import type { AccountsConfig } from "@/lib/core/accounts";
import { settle } from "@/lib/core/errors";
import { accountStatuses } from "@/lib/data/accounts";

export const metadata: Metadata = { title: "Accounts" };

/** The configured mode, in one phrase. */
function modeLine(config: AccountsConfig): string {
  const monitoring = config.monitoringAccount
    ? "; telemetry read in this console's CloudWatch monitoring account"
    : "";
  if (config.mode === "roles")
    return `${config.roles.length} role${config.roles.length === 1 ? "" : "s"} from FLEETSCOPE_ACCOUNT_ROLES${monitoring}`;
  if (config.mode === "organization")
    return `Organizations discovery, role "${config.organizationRoleName}" in each account${monitoring}`;
  return `one account: the one the console's own credentials belong to${monitoring}`;
}

/**
 * Which accounts the console reads, how it reaches each and whether each answers (checked at most once a minute).
 * An account that fails shows its error in its row; only a failed discovery (the console's own credentials, or
 * ListAccounts) replaces the table, with a notice saying why, never an error page.
 */
export default async function AccountsPage() {
  await connection();
  const config = env().accounts;
  const statuses = await settle(accountStatuses(systemClock.now));
  const now = systemClock.now();
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-lg font-semibold">Accounts</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400" data-testid="accounts-mode">
          {modeLine(config)}
        </p>
      </div>
      <p className="max-w-4xl text-sm text-zinc-600 dark:text-zinc-300">
        Without configuration the console reads the one account its own credentials belong to. To read more,
        set <code>FLEETSCOPE_ACCOUNT_ROLES</code> to the role ARNs to assume, one per account; or set{" "}
        <code>FLEETSCOPE_ORGANIZATION_ROLE_NAME</code> to a role name, and the console lists the
        organization&apos;s active accounts (from its management or a delegated administrator account) and
        assumes that role in each, filtered by <code>FLEETSCOPE_ACCOUNTS_INCLUDE</code> and{" "}
        <code>FLEETSCOPE_ACCOUNTS_EXCLUDE</code> (ids or name globs). With{" "}
        <code>FLEETSCOPE_MONITORING_ACCOUNT=true</code> the console&apos;s own account is a CloudWatch
        cross-account monitoring account and the others&apos; metrics, logs and traces are read there. Roles
        may require <code>FLEETSCOPE_ROLE_EXTERNAL_ID</code>.
      </p>
      <Panel title="Reachability" id="accounts">
        {statuses.ok ? (
          <AccountsTable statuses={statuses.value} now={now} />
        ) : (
          <Notice tone="error" title="The accounts could not be determined">
            <p className="break-words font-mono text-xs" data-testid="accounts-unavailable">
              {statuses.error.code}: {statuses.error.message}
            </p>
          </Notice>
        )}
      </Panel>
    </div>
  );
}
