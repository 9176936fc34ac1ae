import Link from "next/link";
import { Suspense } from "react";
import { UrlProblem } from "@/components/shell/url-problem";
import { HealthBadge } from "@/components/traffic/health-badge";
import { PageLoading } from "@/components/ui/page-loading";
import { currentPrincipal } from "@/lib/auth/server";
import { filterAliasRows, LIST_HEALTH_LABEL, LIST_HEALTHS, listHealth } from "@/lib/core/traffic/alias-list";
import { describeRouting } from "@/lib/core/traffic/routing";
import { accountLabel, accountStatuses } from "@/lib/data/accounts";
import { allScopes, listAliasesFleetWide } from "@/lib/data/traffic/aliases";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import { plansStoppedForReadOnly } from "@/lib/data/traffic/runtime";
import type { SearchParams } from "@/lib/url/params";
import { withAccount } from "@/lib/url/function-href";
import { loadAccounts } from "@/lib/url/shell";
import { loadTrafficQuery } from "@/lib/url/traffic";

const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

export const metadata = { title: "Traffic" };

// A Suspense boundary here rather than a loading.tsx: a loading.tsx would also stream the alias pages below this
// segment before they could answer 404 for an unknown alias.
export default function TrafficPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  return (
    <Suspense fallback={<PageLoading what="aliases" />}>
      <TrafficList searchParams={searchParams} />
    </Suspense>
  );
}

async function TrafficList({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const { query, problems } = loadTrafficQuery(params);
  const deps = await defaultTrafficDeps();
  // `?accounts=` (the shell's account filter): absent → every account the console reads.
  const selected = loadAccounts(params, deps.accounts);
  const scopes = allScopes(deps).filter((s) => selected.accounts.includes(s.account));
  const multiAccount = deps.accounts.length > 1;
  const nameOf = new Map(deps.accounts.map((t) => [t.id as string, t.name]));
  const labelOf = (account: string) => {
    const name = nameOf.get(account);
    return name ? `${account} (${name})` : account;
  };
  const where = (s: { account: string; region: string }) =>
    multiAccount ? `${labelOf(s.account)} ${s.region}` : s.region;
  const hrefOf = (r: { account: string; region: string; functionName: string; alias: { name: string } }) =>
    withAccount(
      `/traffic/${encodeURIComponent(r.region)}/${encodeURIComponent(r.functionName)}/${encodeURIComponent(r.alias.name)}`,
      r.account,
    );
  const [fleet, principal, running, stoppedForReadOnly, statuses] = await Promise.all([
    listAliasesFleetWide(deps, scopes),
    currentPrincipal(),
    deps.store.plans.running(),
    deps.readOnly ? plansStoppedForReadOnly(deps.store) : [],
    // One message per unreachable account: its aliases may still come from the inventory, but no change goes.
    accountStatuses(deps.now).catch(() => []),
  ]);
  const unreachable = statuses.filter((st) => !st.reachable && selected.accounts.includes(st.target.id));
  const rows = filterAliasRows(fleet.rows, query);
  const failing = fleet.rows.filter((r) => listHealth(r) === "failing");
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between">
        <h1 className="text-lg font-semibold">Traffic shifting</h1>
        <div className="flex items-center gap-3 text-sm">
          <span data-testid="principal">
            {principal ? `${principal.name} (${principal.role})` : "Not signed in (read-only)"}
            {deps.readOnly && " · read-only mode"}
          </span>
          {!principal && (
            <Link href="/login" className="text-sky-700 underline">
              Sign in
            </Link>
          )}
          <a href="/api/traffic/audit?format=csv" className="text-sky-700 underline">
            Audit log (CSV)
          </a>
          <a href="/api/traffic/audit" className="text-sky-700 underline">
            (JSON)
          </a>
        </div>
      </div>
      {stoppedForReadOnly.map((p) => (
        <p key={p.id} role="status" className="text-sm text-amber-800 dark:text-amber-300">
          Read-only mode: the {p.spec.shape.kind} plan on {p.spec.functionName}:{p.spec.alias} (
          {where(p.spec)}) was stopped at start-up and its traffic sent back to v{p.spec.stableVersion} (see
          the audit log).
        </p>
      ))}
      <UrlProblem id="accounts-problem" message={selected.problem} />
      {unreachable.map((st) => (
        <p key={st.target.id} role="alert" data-testid="account-unreachable" className="text-sm text-red-700">
          Account {accountLabel(st.target)} cannot be reached
          {st.error ? ` (${st.error.code}: ${st.error.message})` : ""}: its aliases cannot be changed now.
        </p>
      ))}
      {deps.accountsError !== undefined && (
        <p role="alert" className="text-sm text-red-700">
          The accounts to read could not be determined (see the Accounts page):{" "}
          {deps.accountsError instanceof Error ? deps.accountsError.message : String(deps.accountsError)}
        </p>
      )}
      {fleet.regions
        .filter((r) => !r.outcome.ok)
        .map((r) => (
          <p key={`${r.account}:${r.region}`} role="alert" className="text-sm text-red-700">
            {multiAccount ? `Account ${labelOf(r.account)}, ${r.region}` : r.region}:{" "}
            {r.outcome.ok ? "" : r.outcome.error.message}
          </p>
        ))}
      <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="aliases-source">
        {fleet.sources
          .map((s) =>
            s.from === "aws"
              ? `${where(s)}: read from AWS (the collector has not listed it yet)`
              : `${where(s)}: from the collector's inventory, listed ${new Date(s.listedAt ?? 0).toISOString().slice(11, 16)} UTC` +
                (s.functionsPending > 0 ? `, aliases of ${s.functionsPending} functions not read yet` : ""),
          )
          .join(" · ")}
        . Each alias page reads its alias from AWS before any change.
      </p>
      {failing.length > 0 && (
        <p
          role="alert"
          data-testid="failing-canaries"
          className="rounded bg-red-600 px-3 py-2 text-sm text-white"
        >
          {failing.length === 1 ? "1 canary is failing" : `${failing.length} canaries are failing`}:{" "}
          {failing.map((r, i) => (
            <span key={`${r.account}/${r.region}/${r.functionName}/${r.alias.name}`}>
              {i > 0 && ", "}
              <Link className="font-semibold underline" href={hrefOf(r)}>
                {r.functionName}:{r.alias.name}
              </Link>
            </span>
          ))}
          .
        </p>
      )}
      <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="health-source">
        Health compares each canary&apos;s error rate with its primary version&apos;s (95 % intervals, a
        plan&apos;s guard thresholds) over the collector&apos;s last 30 collected minutes
        {fleet.verdictWindows
          .map((w) =>
            w.window
              ? ` (${where(w)}: ${hhmm(w.window.start)}–${hhmm(w.window.end)} UTC)`
              : ` (${where(w)}: none yet)`,
          )
          .join("")}
        ; each alias page adds p99 from live metrics.
      </p>
      <form method="get" action="/traffic" className="flex flex-wrap items-end gap-2 text-sm" role="search">
        <label className="flex flex-col gap-1">
          Search
          <input
            name="q"
            aria-label="Search aliases"
            defaultValue={query.q}
            placeholder="function, alias, account, region or health"
            className="w-72 rounded border px-2 py-1 dark:bg-zinc-900"
          />
        </label>
        <label className="flex flex-col gap-1">
          Health
          <select
            name="health"
            aria-label="Health filter"
            defaultValue={query.health}
            aria-describedby={problems.health ? "health-problem" : undefined}
            className="rounded border px-2 py-1 dark:bg-zinc-900"
          >
            <option value="all">all</option>
            {LIST_HEALTHS.map((h) => (
              <option key={h} value={h}>
                {LIST_HEALTH_LABEL[h]}
              </option>
            ))}
          </select>
          <UrlProblem id="health-problem" message={problems.health ?? null} />
        </label>
        {params.accounts !== undefined && (
          <input type="hidden" name="accounts" value={selected.accounts.join(",")} />
        )}
        <button type="submit" className="rounded border px-3 py-1">
          Filter
        </button>
        <span className="text-zinc-500" data-testid="alias-count">
          {rows.length} of {fleet.rows.length} aliases
        </span>
      </form>
      <table aria-label="Aliases" className="w-full text-left text-sm">
        <thead>
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            <th className="py-1">Function</th>
            <th>Alias</th>
            {multiAccount && <th>Account</th>}
            <th>Region</th>
            <th>Routing</th>
            <th>Health</th>
            <th>Plan</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const plan = running.find(
              (p) =>
                p.spec.account === r.account &&
                p.spec.region === r.region &&
                p.spec.functionName === r.functionName &&
                p.spec.alias === r.alias.name,
            );
            return (
              <tr
                key={`${r.account}/${r.region}/${r.functionName}/${r.alias.name}`}
                data-alias={`${r.functionName}:${r.alias.name}`}
                className="border-b border-zinc-100 dark:border-zinc-900"
              >
                <td className="py-1">
                  <Link href={hrefOf(r)} className="text-sky-700 hover:underline">
                    {r.functionName}
                  </Link>
                </td>
                <td>{r.alias.name}</td>
                {multiAccount && <td data-testid="account">{labelOf(r.account)}</td>}
                <td>{r.region}</td>
                <td className="font-mono">
                  {describeRouting({ primaryVersion: r.alias.functionVersion, routing: r.alias.routing })}
                  {r.midShift && (
                    <span className="ml-2 rounded bg-amber-100 px-1 text-xs text-amber-800">mid-shift</span>
                  )}
                </td>
                <td data-testid="health">
                  <HealthBadge
                    health={listHealth(r)}
                    title={r.verdict ? `${r.verdict.summary}. ${r.verdict.because}` : undefined}
                  />
                </td>
                <td>{plan ? `${plan.spec.shape.kind} → v${plan.spec.newVersion}` : ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
