import type { AccountTarget } from "@/lib/core/accounts";
import { formatRelativeTime } from "@/lib/core/format";
import { epochMs } from "@/lib/core/units";
import type { AccountStatus } from "@/lib/data/accounts";

const utc = (t: number) => new Date(t).toISOString().slice(11, 19);

/** How the console reaches the account, in the words of its configuration. */
function ReachedThrough({ target }: { target: AccountTarget }) {
  if (target.roleArn === null) return <>own credentials</>;
  return (
    <>
      {target.source === "organization" ? "Organizations role " : "role "}
      <span className="whitespace-nowrap font-mono text-xs">{target.roleArn}</span>
    </>
  );
}

/**
 * One row per account the console reads, reachable or not: a failing account shows its coded error in its own
 * row, so a trust policy missing in one account never hides the others.
 */
export function AccountsTable({ statuses, now }: { statuses: readonly AccountStatus[]; now: number }) {
  return (
    <table className="w-full text-sm" aria-label="Accounts">
      <thead className="text-left text-zinc-500 dark:text-zinc-400">
        <tr>
          <th className="py-1 pr-3 font-medium">Account</th>
          <th className="pr-3 font-medium">Reached through</th>
          <th className="pr-3 font-medium">Telemetry</th>
          <th className="pr-3 font-medium">Status</th>
          <th className="font-medium">Checked</th>
        </tr>
      </thead>
      <tbody>
        {statuses.map(({ target, reachable, callerArn, error, checkedAt }) => (
          <tr
            key={target.id}
            data-account={target.id}
            data-reachable={reachable ? "true" : "false"}
            className="border-t border-zinc-100 align-top dark:border-zinc-800"
          >
            <td className="py-1.5 pr-3">
              <span className="font-mono">{target.id}</span>
              {target.name ? (
                <span className="ml-2 text-zinc-500 dark:text-zinc-400">{target.name}</span>
              ) : null}
            </td>
            <td className="py-1.5 pr-3">
              <ReachedThrough target={target} />
            </td>
            <td className="py-1.5 pr-3">
              {target.telemetry === "monitoring-account" ? "monitoring account" : "direct"}
            </td>
            <td className="py-1.5 pr-3" data-testid="account-status">
              {reachable ? (
                <span className="text-emerald-700 dark:text-emerald-400">
                  reachable as <span className="break-all font-mono text-xs">{callerArn}</span>
                </span>
              ) : (
                <span className="break-words text-red-700 dark:text-red-400">
                  {error ? `${error.code}: ${error.message}` : "unreachable"}
                </span>
              )}
            </td>
            <td className="whitespace-nowrap py-1.5 text-zinc-500 dark:text-zinc-400">
              <time dateTime={new Date(checkedAt).toISOString()}>{utc(checkedAt)} UTC</time> (
              {formatRelativeTime(epochMs(checkedAt), epochMs(now))})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
