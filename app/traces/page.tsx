import Link from "next/link";
import { AccountsUndecided } from "@/components/accounts/accounts-undecided";
import { fleetAccounts } from "@/lib/data/telemetry/fleet-scopes";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { TraceList, type TraceListItem } from "@/components/trace/trace-list";
import { Notice } from "@/components/ui/notice";
import { PageLoading } from "@/components/ui/page-loading";
import { Empty, Panel } from "@/components/ui/panel";
import { UrlProblem } from "@/components/shell/url-problem";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import type { AccountTarget } from "@/lib/core/accounts";
import { isFleetscopeError } from "@/lib/core/errors";
import { classifyId } from "@/lib/core/traces/ids";
import { accountLabel } from "@/lib/data/accounts";
import { defaultTarget } from "@/lib/data/account-scopes";
import {
  listTracesAcross,
  type AccountTraceList,
  type TraceList as TraceListData,
} from "@/lib/data/traces/list-traces";
import { first } from "@/lib/url/params";
import { requestHref } from "@/lib/url/requests";
import {
  loadAccounts,
  loadRange,
  rangeWindow,
  SHELL_KEYS,
  showsAccounts,
  type SearchParams,
} from "@/lib/url/shell";
import {
  loadTraceListParams,
  MAP_FILTER_KEYS,
  olderTracesHref,
  traceHref,
  type TraceListParams,
} from "@/lib/url/traces";

export const metadata = { title: "Traces" };

const input =
  "rounded-md border border-zinc-200 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950";

/** Each listed account's list (or its failure), or the query's own error (a bad function name) for all. */
async function load(
  sp: SearchParams,
  p: TraceListParams,
  accounts: readonly AccountTarget[],
): Promise<{ lists: AccountTraceList[]; error: string | null }> {
  const now = systemClock.now(); // the request's one instant
  const range = rangeWindow(loadRange(sp, now).range, now);
  try {
    const lists = await listTracesAcross(accounts, {
      region: p.region,
      functionName: p.fn,
      filter: p.filter,
      ...range,
      // A NextToken belongs to one account's list: it is only sent when the list is narrowed to that account.
      nextToken: p.account !== undefined ? p.next : undefined,
    });
    return { lists, error: null };
  } catch (e) {
    if (!isFleetscopeError(e)) throw e;
    return { lists: [], error: e.message };
  }
}

type Props = { searchParams: Promise<SearchParams> };

/**
 * The loading state lives here, not in a traces/loading.tsx: that would also wrap each trace's page, which
 * then could not answer 404 (a streamed page has already sent 200).
 */
export default function TracesPage(props: Props) {
  return (
    <Suspense fallback={<PageLoading what="traces" />}>
      <Traces {...props} />
    </Suspense>
  );
}

async function Traces({ searchParams }: Props) {
  const sp = await searchParams;
  const regions = env().regions;
  const { targets, error: accountsError } = await fleetAccounts();
  const p = loadTraceListParams(
    sp,
    regions,
    targets.map((t) => t.id),
  );
  // The shell's accounts (absent: every account read), or the one account the list is narrowed to.
  const selected = new Set(p.account !== undefined ? [p.account] : loadAccounts(sp, targets).accounts);
  const listed = targets.filter((t) => selected.has(t.id));
  const manyAccounts = showsAccounts(targets);
  const labels = manyAccounts ? new Map(targets.map((t) => [t.id as string, accountLabel(t)])) : null;

  // One box takes a trace id or a request id and opens it, in the account chosen next to it.
  const id = first(sp.id)?.trim();
  let idProblem: string | null = null;
  if (id) {
    const kind = classifyId(id);
    const account = p.account ?? listed[0]?.id ?? (await defaultTarget()).id;
    const where = { account, region: p.region };
    if (kind === "trace") redirect(traceHref(id, where));
    if (kind === "request") redirect(requestHref(id.toLowerCase(), { ...where, fn: p.fn }));
    idProblem = `"${id.slice(0, 80)}" is neither an X-Ray trace id (1-5759e988-bd862e3fe1be46a994272793) nor a Lambda request id (a UUID).`;
  }

  const { lists, error } = await load(sp, p, listed);
  const filtered = Object.values(p.filter).some((v) => v !== undefined && v !== false);

  const keep = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) {
    const value = first(v);
    if (value !== undefined && k !== "next" && k !== "id") keep.set(k, value);
  }
  const ok = lists.flatMap((l) => (l.list.ok ? [l.list.value] : []));
  const failed = lists.flatMap((l) => (l.list.ok ? [] : [{ account: l.account, error: l.list.error }]));
  // Newest first across accounts; each account's list is already newest first.
  const items: TraceListItem[] = ok
    .flatMap((l) => l.summaries.map((summary) => ({ account: l.account as string, summary })))
    .sort((a, b) => b.summary.start - a.summary.start || (a.summary.id < b.summary.id ? -1 : 1));
  const older = ok.flatMap((l) =>
    l.nextToken
      ? [{ account: l.account as string, href: olderTracesHref(keep, l.account, l.nextToken) }]
      : [],
  );
  const list: TraceListData | undefined = ok[0];
  const cost = ok.reduce((n, l) => n + l.cost.total, 0);
  const labelOf = (account: string) => labels?.get(account) ?? account;
  const inAccount = (account: string) => (manyAccounts ? ` in account ${labelOf(account)}` : "");
  const where = manyAccounts
    ? listed.length === 1
      ? `account ${labelOf(listed[0]!.id)}, ${p.region}`
      : `${listed.length} accounts, ${p.region}`
    : p.region;

  return (
    <div className="space-y-4">
      <AccountsUndecided error={accountsError} />
      <h1 className="text-xl font-semibold">Traces</h1>
      <form
        method="get"
        action="/traces"
        className="flex flex-wrap items-end gap-2"
        aria-label="Open a request"
      >
        <label className="flex flex-col text-xs text-zinc-500">
          Trace id or request id
          <input
            name="id"
            defaultValue={id ?? ""}
            className={`${input} w-[26rem] font-mono`}
            autoComplete="off"
          />
        </label>
        {manyAccounts ? (
          <label className="flex flex-col text-xs text-zinc-500">
            Account
            <select name="account" defaultValue={p.account ?? listed[0]?.id} className={input}>
              {targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {accountLabel(t)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <input type="hidden" name="region" value={p.region} />
        {p.fn ? <input type="hidden" name="fn" value={p.fn} /> : null}
        <button type="submit" className="rounded-md bg-sky-600 px-3 py-1 text-sm text-white">
          Open
        </button>
      </form>
      {idProblem ? (
        <Notice tone="error" title="Not an id the console can open">
          {idProblem}
        </Notice>
      ) : null}

      <form
        method="get"
        action="/traces"
        className="flex flex-wrap items-end gap-3 text-sm"
        aria-label="Filter traces"
      >
        {[...SHELL_KEYS, ...MAP_FILTER_KEYS, "account"].map((k) =>
          first(sp[k]) ? <input key={k} type="hidden" name={k} value={first(sp[k])} /> : null,
        )}
        <label className="flex flex-col text-xs text-zinc-500">
          Region
          <select
            name="region"
            defaultValue={p.region}
            className={input}
            aria-describedby={p.problems.region ? "traces-region-problem" : undefined}
          >
            {regions.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <UrlProblem id="traces-region-problem" message={p.problems.region ?? null} />
          <UrlProblem id="traces-account-problem" message={p.problems.account ?? null} />
        </label>
        <label className="flex flex-col text-xs text-zinc-500">
          Function (empty: whole fleet)
          <input name="fn" defaultValue={p.fn ?? ""} className={input} autoComplete="off" />
        </label>
        {(
          [
            ["errors", "Errors (4xx)"],
            ["faults", "Faults (5xx)"],
            ["throttles", "Throttles"],
            ["cold", "Cold starts"],
          ] as const
        ).map(([name, label]) => (
          <label key={name} className="flex items-center gap-1">
            <input type="checkbox" name={name} value="1" defaultChecked={p.form[name]} />
            {label}
          </label>
        ))}
        <label className="flex flex-col text-xs text-zinc-500">
          Slower than (s)
          <input
            name="slower"
            defaultValue={p.form.slower}
            inputMode="decimal"
            className={`${input} w-24`}
            aria-describedby={p.problems.slower ? "slower-problem" : undefined}
          />
          <UrlProblem id="slower-problem" message={p.problems.slower ?? null} />
        </label>
        <label className="flex flex-col text-xs text-zinc-500">
          Annotation (key:value)
          <input
            name="ann"
            defaultValue={p.form.ann}
            className={`${input} w-40`}
            autoComplete="off"
            aria-describedby={p.problems.ann ? "ann-problem" : undefined}
          />
          <UrlProblem id="ann-problem" message={p.problems.ann ?? null} />
        </label>
        <button type="submit" className="rounded-md border border-zinc-300 px-3 py-1 dark:border-zinc-700">
          Apply
        </button>
      </form>

      <Panel
        title={
          p.filter.edge
            ? `Traces of ${p.filter.edge.from.name} → ${p.filter.edge.to.name} in ${where}`
            : p.fn
              ? `Traces of ${p.fn} in ${where}`
              : `Traces in ${where}`
        }
        id="traces"
      >
        {error ? (
          <Notice tone="error" title="Traces could not be listed">
            {error}
          </Notice>
        ) : items.length > 0 ? (
          <div className="space-y-2">
            <TraceList
              items={items}
              accountLabels={labels}
              hrefFor={(t) => traceHref(t.summary.id, { account: t.account, region: p.region })}
            />
          </div>
        ) : ok.length > 0 ? (
          <Empty>
            No trace matches in this window
            {older.length > 0 ? " yet: X-Ray is still scanning, see older traces" : ""}.
          </Empty>
        ) : null}
        {older.map((o) => (
          <Link
            key={o.account}
            href={o.href}
            className="mr-4 text-sm text-sky-700 underline dark:text-sky-400"
            data-testid="older-traces"
          >
            Older traces{inAccount(o.account)}
          </Link>
        ))}
        {failed.map((f) => (
          <Notice
            key={f.account}
            tone="error"
            title={`Traces of account ${labelOf(f.account)} could not be listed`}
          >
            {f.error.code}: {f.error.message}
          </Notice>
        ))}
        {ok.map((l) =>
          l.indexed ? (
            <p
              key={l.account}
              className="mt-3 text-sm text-amber-800 dark:text-amber-300"
              data-testid="trace-list-indexed"
            >
              {l.indexed.percent !== null
                ? `X-Ray indexes about ${l.indexed.percent} % of traces in this region${inAccount(l.account)}`
                : `X-Ray indexes only a share of the traces in this region${inAccount(l.account)} (its indexing rule could not be read: ${l.indexed.error?.code ?? "not said"})`}
              : this {filtered ? "filtered " : ""}list shows only indexed traces.
              {p.fn && filtered
                ? " Without filters (or with faults only), a function's list reads every trace from Transaction Search."
                : ""}
            </p>
          ) : l.destinationError ? (
            <p
              key={l.account}
              className="mt-3 text-sm text-amber-800 dark:text-amber-300"
              data-testid="trace-list-indexed"
            >
              Whether X-Ray indexes every trace in this region{inAccount(l.account)} is unknown: where its
              traces go could not be read ({l.destinationError.code}: {l.destinationError.message}). Under
              Transaction Search this list would show only the indexed share.
            </p>
          ) : null,
        )}
        {list ? (
          <p className="mt-3 text-xs text-zinc-500" data-testid="trace-list-cost">
            {list.filterExpression ? (
              <>
                Filter <code className="font-mono">{list.filterExpression}</code> ·{" "}
              </>
            ) : null}
            {new Date(list.from).toISOString()} – {new Date(list.to).toISOString()}
            {list.clamped ? " (X-Ray lists at most 24 hours per query)" : ""} · {cost} AWS request
            {cost === 1 ? "" : "s"}
            {ok.some((l) => l.source === "transaction-search") ? (
              <span data-testid="trace-list-source">
                {" "}
                · listed from Transaction Search&apos;s spans (aws/spans, newest 50): X-Ray indexes only a
                share of this region&apos;s traces
              </span>
            ) : null}
            {older.length > 0 && items.length === 0
              ? older.map((o) => (
                  <span key={o.account}>
                    {" "}
                    · <Link href={o.href}>continue scanning{inAccount(o.account)}</Link>
                  </span>
                ))
              : null}
          </p>
        ) : null}
      </Panel>
    </div>
  );
}
