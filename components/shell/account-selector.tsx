"use client";

import { accountsParam, loadAccounts, showsAccounts, type KnownAccount } from "@/lib/url/shell";
import { useUrlUpdate } from "./use-url-update";
import { UrlProblem } from "./url-problem";

const labelOf = (a: KnownAccount) => (a.name ? `${a.id} (${a.name})` : a.id);

/**
 * Multi-select of the accounts the console reads, stored as `?accounts=` (absent = all), next to the region
 * filter. Not shown when the console reads one account: a single-account console looks as before.
 */
export function AccountSelector({ known }: { known: readonly KnownAccount[] }) {
  const { update, pending, searchParams } = useUrlUpdate();
  const { accounts: selected, problem } = loadAccounts(searchParams, known);
  // One account: no control, but a shared link naming another account still says it is not read.
  if (!showsAccounts(known))
    return known.length === 0 || problem === null ? null : (
      <div className="relative flex items-center" data-testid="account-selector">
        <UrlProblem id="accounts-problem" message={problem} floating="end" />
      </div>
    );

  const toggle = (id: string) => {
    const next = selected.includes(id) ? selected.filter((a) => a !== id) : [...selected, id];
    // Keep at least one account; all selected is the default and needs no parameter.
    if (next.length === 0) return;
    update({ accounts: accountsParam(next, known) });
  };

  const label =
    selected.length === known.length
      ? "All accounts"
      : known
          .filter((a) => selected.includes(a.id))
          .map((a) => a.name ?? a.id)
          .join(", ");
  return (
    <div className="relative flex items-center" data-testid="account-selector">
      <details className="relative" data-pending={pending || undefined}>
        <summary
          aria-describedby={problem ? "accounts-problem" : undefined}
          className="flex cursor-pointer list-none items-center gap-1.5 rounded-md border border-zinc-200 px-2.5 py-1 text-sm text-zinc-700 outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-700 dark:text-zinc-200"
          aria-label={`Accounts: ${label}`}
        >
          <span className="text-zinc-500 dark:text-zinc-400">Accounts</span>
          <span className="max-w-48 truncate font-medium">{label}</span>
          <span aria-hidden>▾</span>
        </summary>
        <fieldset className="absolute right-0 z-20 mt-1 min-w-56 rounded-md border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
          <legend className="sr-only">Accounts to show</legend>
          {known.map((a) => (
            <label
              key={a.id}
              className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 font-mono text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
            >
              <input
                type="checkbox"
                checked={selected.includes(a.id)}
                onChange={() => toggle(a.id)}
                className="accent-sky-600"
              />
              {labelOf(a)}
            </label>
          ))}
        </fieldset>
      </details>
      <UrlProblem id="accounts-problem" message={problem} floating="end" />
    </div>
  );
}
