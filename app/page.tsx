import { Suspense } from "react";
import { rangeBucket } from "@/app/range-bucket";
import { formatDateTime as utcMinute } from "@/lib/core/format";
import { AutoRefresh } from "@/components/fleet/auto-refresh";
import { ColdStartSection, MetricsSection, TableSection } from "@/components/fleet/overview-panels";
import { PanelSkeleton } from "@/components/fleet/panel-parts";
import { loadFleetQuery } from "@/components/fleet/table-model";
import { AccountsUndecided } from "@/components/accounts/accounts-undecided";
import { UnreachableAccounts } from "@/components/fleet/unreachable-accounts";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import { settle } from "@/lib/core/errors";
import { accountStatuses } from "@/lib/data/accounts";
import { fleetAccounts, fleetScopes } from "@/lib/data/telemetry/fleet-scopes";
import { startFleetOverview } from "@/lib/data/telemetry/overview";
import { alignmentNote } from "@/lib/core/time/bucket";
import { toUrlSearchParams } from "@/lib/url/params";
import { loadShell, shellQuery, type SearchParams } from "@/lib/url/shell";
import { CompareControl } from "@/components/charts/compare-control";
import { loadFleetMarkers } from "@/lib/data/telemetry/deploy-markers";
import { loadPreviousFleetMetrics } from "@/lib/data/telemetry/previous-period";
import { loadCompare } from "@/lib/url/compare";

const utc = utcMinute;

/**
 * Fleet overview: totals, charts and every function's telemetry over the URL's range, accounts and regions. An
 * unreachable account is said once, by name, above panels that still show every other account.
 */
export default async function FleetPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const now = systemClock.now(); // the request's one instant
  const accounts = await fleetAccounts();
  const known = accounts.targets.map((t) => ({ id: t.id, name: t.name }));
  const { regions, accounts: selected, range: spec } = loadShell(sp, env().regions, now, known);
  const range = rangeBucket(spec, now);
  if (!range.ok) return range.page;
  const { bucket } = range;
  const scopes = fleetScopes(accounts.targets, selected, regions);
  const accountsRead = known.length;
  const overview = startFleetOverview(scopes, bucket);
  const { query: tableQuery, problems: tableProblems } = loadFleetQuery(toUrlSearchParams(sp));
  // Store only (0 AWS requests): deployment markers grouped per chart slot, and the range a day or week earlier.
  const markers = loadFleetMarkers(scopes, bucket);
  const compare = loadCompare(sp);
  const previous = compare.compare && loadPreviousFleetMetrics(scopes, bucket, compare.compare);
  // One STS call per account a minute at most (cached): which selected accounts cannot be reached, and why.
  const statuses = accounts.error ? null : settle(accountStatuses(systemClock.now));
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold">Fleet</h1>
        <p
          className="text-sm tabular-nums text-zinc-500 dark:text-zinc-400"
          data-testid="range"
          data-start={bucket.start}
          data-end={bucket.end}
          data-period={bucket.period}
        >
          {accountsRead > 1 ? `${selected.length} of ${accountsRead} accounts · ` : null}
          {regions.join(", ")} · {utc(bucket.start)} – {utc(bucket.end)}
          {alignmentNote(bucket) ? (
            <span data-testid="range-note"> ({alignmentNote(bucket)})</span>
          ) : null} · {bucket.period / 60} min points
          {overview.source === "store" ? (
            <>
              {" · "}
              <span data-testid="view-cost" data-aws-requests={overview.awsRequests ?? undefined}>
                served from the store: {overview.awsRequests} AWS requests
              </span>
            </>
          ) : null}
        </p>
        <AutoRefresh />
      </div>
      {accounts.error ? (
        <AccountsUndecided error={accounts.error} />
      ) : (
        <Suspense fallback={null}>
          {statuses ? <UnreachableAccounts statuses={statuses} selected={selected} /> : null}
        </Suspense>
      )}
      <CompareControl path="/" value={compare.compare} problem={compare.problem} />
      <Suspense fallback={<PanelSkeleton title="Metrics" />}>
        <MetricsSection
          data={overview.metrics}
          bucket={bucket}
          markers={markers}
          previous={previous}
          accountsRead={accountsRead}
        />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="Cold starts" />}>
        <ColdStartSection
          data={overview.coldStarts}
          bucket={bucket}
          markers={markers}
          accountsRead={accountsRead}
        />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="Functions" />}>
        <TableSection
          data={overview.table}
          initialQuery={tableQuery}
          linkQuery={shellQuery(sp)}
          problems={tableProblems}
          accountsRead={accountsRead}
        />
      </Suspense>
    </div>
  );
}
