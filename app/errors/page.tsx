import type { Metadata } from "next";
import { AccountsUndecided } from "@/components/accounts/accounts-undecided";
import { fleetAccounts } from "@/lib/data/telemetry/fleet-scopes";
import Link from "next/link";
import { rangeBucket } from "@/app/range-bucket";
import { ErrorsTable } from "@/components/errors/errors-table";
import { PartialMinutesNote } from "@/components/errors/partial-minutes-note";
import { ReconciliationLine } from "@/components/errors/reconciliation-line";
import { PanelStatusLine } from "@/components/fleet/panel-status";
import { formatDateTime as utcMinute } from "@/lib/core/format";
import { Notice } from "@/components/ui/notice";
import { Empty } from "@/components/ui/panel";
import { UrlProblem } from "@/components/shell/url-problem";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import { parseAccountId } from "@/lib/core/accounts";
import { getErrorGroups, type ErrorGroupsView } from "@/lib/data/errors";
import { loadErrorsParams } from "@/lib/url/errors";
import {
  loadShell,
  selectedScopes,
  shellQuery,
  showsAccounts,
  SHELL_KEYS,
  type SearchParams,
} from "@/lib/url/shell";

export const metadata: Metadata = { title: "Errors" };

/**
 * Error groups of the selected accounts × regions (or one function of one account) over the header's range,
 * worst first, from the store.
 */
export default async function ErrorsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const now = systemClock.now(); // the request's one instant
  const { targets, error: accountsError } = await fleetAccounts();
  const params = loadErrorsParams(
    sp,
    env().regions,
    targets.map((t) => t.id),
  );
  const shell = loadShell(sp, env().regions, now, targets);
  const range = rangeBucket(shell.range, now);
  if (!range.ok) return range.page;
  const { bucket } = range;
  // `?account=` (the function page's link) narrows to one account; otherwise the shell's accounts.
  const accounts = params.account ? [params.account] : shell.accounts;
  const scopes = selectedScopes(accounts.map(parseAccountId), params.regions);
  const showAccount = showsAccounts(targets);
  // A store that cannot be read degrades the page with a message, like the function page's panel.
  let view: ErrorGroupsView | null = null;
  let storeProblem: string | null = null;
  try {
    view = await getErrorGroups({ scopes, fn: params.fn, range: bucket });
  } catch (e) {
    storeProblem = e instanceof Error ? e.message : String(e);
  }
  const linkQuery = shellQuery(sp);
  return (
    <div className="space-y-4">
      <AccountsUndecided error={accountsError} />
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold">
          Errors
          {params.fn ? (
            <>
              {" "}
              of{" "}
              <span className="font-mono" data-testid="errors-function">
                {params.fn}
              </span>
            </>
          ) : null}
        </h1>
        <p
          className="text-sm tabular-nums text-zinc-500 dark:text-zinc-400"
          data-testid="range"
          data-start={bucket.start}
          data-end={bucket.end}
        >
          {showAccount ? `${accounts.join(", ")} · ` : ""}
          {params.regions.join(", ")} · {utcMinute(bucket.start)} – {utcMinute(bucket.end)} · from the store ·{" "}
          {view?.awsRequests ?? 0} AWS requests
        </p>
      </div>
      <form method="get" action="/errors" className="flex flex-wrap items-end gap-2 text-sm" role="search">
        {SHELL_KEYS.map((k) => {
          const v = new URLSearchParams(linkQuery).get(k);
          return v ? <input key={k} type="hidden" name={k} value={v} /> : null;
        })}
        <label className="flex flex-col gap-1">
          Function
          <input
            name="fn"
            defaultValue={params.fn ?? ""}
            placeholder="every function"
            aria-label="Function name"
            aria-describedby={params.problems.fn ? "fn-problem" : undefined}
            className="rounded border px-2 py-1 font-mono dark:bg-zinc-900"
          />
          <UrlProblem id="fn-problem" message={params.problems.fn ?? null} />
        </label>
        {params.region ? <input type="hidden" name="region" value={params.region} /> : null}
        {params.account ? <input type="hidden" name="account" value={params.account} /> : null}
        <button type="submit" className="rounded border px-3 py-1">
          Filter
        </button>
        <UrlProblem id="region-problem" message={params.problems.region ?? null} />
        <UrlProblem id="account-problem" message={params.problems.account ?? null} />
        {params.fn || params.region || params.account || params.problems.region || params.problems.account ? (
          <Link href={`/errors${linkQuery}`} className="text-sky-700 underline dark:text-sky-400">
            every function
          </Link>
        ) : null}
      </form>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Errors grouped by kind, type and message with ids, numbers and quoted values masked (and the top stack
        frame when there is one), from the collector&apos;s reading of each closed minute of the logs.
        Timeouts and out-of-memory kills are groups of their own; &quot;Logged&quot; groups are ERROR lines of
        requests that did not fail, which the Errors metric does not count.
      </p>
      <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="logged-scope-note">
        To keep the cost down, the collector reads a function&apos;s logs for a minute only when its Errors
        metric says it failed around then: &quot;Logged&quot; groups (handled <code>level: ERROR</code> lines)
        are counted only in minutes where the same function also failed, so they are lower bounds. Failures
        themselves are not affected: every function the metric counts a failure for has its logs of those
        minutes read.
      </p>
      {view === null ? (
        <Notice tone="error" title="Error groups could not be read from the store">
          {storeProblem}
        </Notice>
      ) : (
        <ErrorsBody view={view} linkQuery={linkQuery} showAccount={showAccount} />
      )}
    </div>
  );
}

function ErrorsBody({
  view,
  linkQuery,
  showAccount,
}: {
  view: ErrorGroupsView;
  linkQuery: string;
  showAccount: boolean;
}) {
  const nothingCollected = view.windows.every((w) => w.errors === null);
  return (
    <>
      <div className="space-y-1 text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
        {view.windows.map((w) => (
          <p
            key={`${w.account}/${w.region}`}
            data-testid="errors-window"
            data-account={w.account}
            data-region={w.region}
            data-from={w.errors?.from}
            data-to={w.errors?.to}
            data-partial={w.partialMinutes.length}
            data-compared-from={w.compared?.from}
            data-compared-to={w.compared?.to}
          >
            {showAccount ? `${w.account}/` : ""}
            {w.region}:{" "}
            {w.errors
              ? `errors read ${utcMinute(w.errors.from)} – ${utcMinute(w.errors.to)}`
              : "no minute of this range has its errors collected yet"}
          </p>
        ))}
        <PanelStatusLine status={view.status} />
      </div>
      <PartialMinutesNote windows={view.windows} />
      <ReconciliationLine
        total={view.reconciliation.total}
        functions={view.reconciliation.functions}
        showAccount={showAccount}
      />
      {nothingCollected ? (
        <Empty>Error groups are not known for this range yet: the collector has not read its errors.</Empty>
      ) : view.groups.length === 0 ? (
        <Empty>No errors logged in the collected minutes of this range.</Empty>
      ) : (
        <ErrorsTable groups={view.groups} linkQuery={linkQuery} showAccount={showAccount} />
      )}
    </>
  );
}
