import type { Metadata } from "next";
import { AccountsUndecided } from "@/components/accounts/accounts-undecided";
import { fleetAccounts } from "@/lib/data/telemetry/fleet-scopes";
import { rangeBucket } from "@/app/range-bucket";
import { formatDateTime as utcMinute } from "@/lib/core/format";
import { UrlProblem } from "@/components/shell/url-problem";
import { SourcesTable } from "@/components/sources/sources-table";
import { Notice } from "@/components/ui/notice";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import { LAG_DEFAULTS } from "@/lib/core/triggers/lag";
import { SOURCE_HEALTHS } from "@/lib/core/triggers/source-health";
import { parseAccountId } from "@/lib/core/accounts";
import { getFleetSources, type FleetSources } from "@/lib/data/triggers-fleet";
import {
  loadShell,
  selectedScopes,
  shellQuery,
  showsAccounts,
  SHELL_KEYS,
  type SearchParams,
} from "@/lib/url/shell";
import { healthSlug, loadSourcesParams } from "@/lib/url/sources";

export const metadata: Metadata = { title: "Sources" };

const utc = utcMinute;

/**
 * Every event source mapping and async function of the selected accounts × regions, worst first, over the
 * header's range.
 */
export default async function SourcesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const now = systemClock.now(); // the request's one instant
  const { targets, error: accountsError } = await fleetAccounts();
  const { regions, accounts, range: spec } = loadShell(sp, env().regions, now, targets);
  const scopes = selectedScopes(accounts.map(parseAccountId), regions);
  const severalAccounts = showsAccounts(targets);
  const where = (s: { account: string; region: string }) =>
    severalAccounts ? `${s.account}/${s.region}` : s.region;
  const range = rangeBucket(spec, now);
  if (!range.ok) return range.page;
  const { bucket } = range;
  const { health, problems } = loadSourcesParams(sp);
  let sources: FleetSources;
  try {
    sources = await getFleetSources(scopes, bucket);
  } catch (e) {
    // Only the store fails the whole answer (AWS failures stay per region): say so instead of an error page.
    return (
      <div className="space-y-4">
        <h1 className="text-lg font-semibold">Sources</h1>
        <Notice tone="error" title="Sources could not be read from the store">
          <p className="break-words font-mono text-xs">{e instanceof Error ? e.message : String(e)}</p>
        </Notice>
      </div>
    );
  }
  const rows = health === null ? sources.rows : sources.rows.filter((r) => r.judgement.health === health);
  const linkQuery = shellQuery(sp);
  return (
    <div className="space-y-4">
      <AccountsUndecided error={accountsError} />
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold">Sources</h1>
        <p className="text-sm tabular-nums text-zinc-500 dark:text-zinc-400" data-testid="range">
          {regions.join(", ")} · {utc(bucket.start)} – {utc(bucket.end)} · {sources.resolution / 60} min
          points from the store · {sources.awsListings} AWS requests (ListEventSourceMappings, cached)
        </p>
      </div>
      <div className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="listing-source">
        {scopes.map((scope) => {
          const c = sources.collected.find((x) => x.account === scope.account && x.region === scope.region);
          return (
            <p key={where(scope)}>
              {where(scope)}:{" "}
              {c
                ? `mappings as the collector listed them at ${utc(c.listedAt)}`
                : "mappings listed live from AWS (the collector has no recent listing)"}
            </p>
          );
        })}
      </div>
      {sources.failures.map((f) => (
        <Notice
          key={where(f)}
          tone="error"
          title={`${where(f)}: could not list event source mappings (${f.error.code})`}
        >
          <p className="break-words font-mono text-xs">{f.error.message}</p>
          <p className="text-xs">Its mappings are missing below; its async functions come from the store.</p>
        </Notice>
      ))}
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Event source mappings come from the collector&apos;s listing (or AWS, when it has none recent); their
        health, and the async functions (those that dropped events or failed to deliver them in the range, or
        have a dead-letter queue), come from the collector&apos;s IteratorAge, AsyncEventsDropped,
        DestinationDeliveryFailures and DeadLetterErrors. A stream is falling behind when its iterator age has
        grown for at least {LAG_DEFAULTS.minHours} hours by at least{" "}
        {LAG_DEFAULTS.minGrowthMsPerHour / 60_000} minutes an hour (a least-squares trend, the same judgement
        as the Advisor&apos;s) and is high now, not for a high peak alone.
      </p>
      <form method="get" action="/sources" className="flex flex-wrap items-end gap-2 text-sm" role="search">
        {SHELL_KEYS.map((k) => {
          const v = new URLSearchParams(linkQuery).get(k);
          return v ? <input key={k} type="hidden" name={k} value={v} /> : null;
        })}
        <label className="flex flex-col gap-1">
          Health
          <select
            name="health"
            aria-label="Health filter"
            aria-describedby={problems.health ? "health-problem" : undefined}
            defaultValue={health === null ? "all" : healthSlug(health)}
            className="rounded border px-2 py-1 dark:bg-zinc-900"
          >
            <option value="all">all</option>
            {SOURCE_HEALTHS.map((h) => (
              <option key={h} value={healthSlug(h)}>
                {h}
              </option>
            ))}
          </select>
          <UrlProblem id="health-problem" message={problems.health ?? null} />
        </label>
        <button type="submit" className="rounded border px-3 py-1">
          Filter
        </button>
        <span className="text-zinc-500" data-testid="source-count">
          {rows.length} of {sources.rows.length} sources
        </span>
      </form>
      <SourcesTable
        rows={rows}
        linkQuery={linkQuery}
        accounts={severalAccounts ? new Map(targets.map((t) => [t.id as string, t.name])) : null}
      />
    </div>
  );
}
