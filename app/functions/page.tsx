import type { Metadata } from "next";
import { Suspense } from "react";
import { FunctionsTable } from "@/components/functions/functions-table";
import { UrlProblem } from "@/components/shell/url-problem";
import { Notice } from "@/components/ui/notice";
import { PageLoading } from "@/components/ui/page-loading";
import { RegionErrors } from "@/components/ui/region-errors";
import { env } from "@/lib/config/env";
import { systemClock } from "@/lib/config/clock";
import { latestFlagBadges } from "@/lib/data/advisor";
import { listFleetFunctions, type RegionListing } from "@/lib/data/functions";
import { fleetAccounts, fleetScopes } from "@/lib/data/telemetry/fleet-scopes";
import { loadFunctionsQuery } from "@/lib/url/functions";
import { loadShell, type SearchParams } from "@/lib/url/shell";

export const metadata: Metadata = { title: "Functions" };

type Props = { searchParams: Promise<SearchParams> };

/**
 * The loading state lives here, not in a functions/loading.tsx: that would also wrap each function's page,
 * which then could not answer 404 (a streamed page has already sent 200; app/functions/[region]/[name]).
 */
export default function FunctionsPage(props: Props) {
  return (
    <Suspense fallback={<PageLoading what="functions" />}>
      <FunctionsList {...props} />
    </Suspense>
  );
}

/**
 * Failed listings, one notice per account and error: an account whose role is denied fails alike in every
 * region, and is said once with its regions. With one account read, regions alone (as before accounts).
 */
function listingFailures(listings: readonly RegionListing[], accountsRead: number) {
  const groups = new Map<string, { account: string; regions: string[]; error: RegionListing["outcome"] }>();
  for (const l of listings) {
    if (l.outcome.ok) continue;
    const key = `${l.account}|${l.outcome.error.code}|${l.outcome.error.message}`;
    const group = groups.get(key) ?? { account: l.account, regions: [], error: l.outcome };
    group.regions.push(l.region);
    groups.set(key, group);
  }
  return [...groups.values()].flatMap((g) =>
    g.error.ok
      ? []
      : [
          {
            region: accountsRead > 1 ? `Account ${g.account}, ${g.regions.join(", ")}` : g.regions.join(", "),
            error: g.error.error,
          },
        ],
  );
}

async function FunctionsList({ searchParams }: Props) {
  const sp = await searchParams;
  const accounts = await fleetAccounts();
  const known = accounts.targets.map((t) => ({ id: t.id, name: t.name }));
  const { regions, accounts: selected } = loadShell(sp, env().regions, systemClock.now(), known);
  const { query, problems } = loadFunctionsQuery(sp);
  const scopes = fleetScopes(accounts.targets, selected, regions);
  const listing = await listFleetFunctions(scopes);
  return (
    <div className="space-y-3">
      <div className="flex items-baseline justify-between">
        <h1 className="text-lg font-semibold">Functions</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          {known.length > 1 ? `${selected.length} of ${known.length} accounts · ` : null}
          {regions.join(", ")}
        </p>
      </div>
      {accounts.error ? (
        <Notice tone="error" title={`The accounts to read could not be decided (${accounts.error.code})`}>
          <p className="break-words font-mono text-xs">{accounts.error.message}</p>
        </Notice>
      ) : null}
      <RegionErrors failures={listingFailures(listing.regions, known.length)} />
      {/* The table's sort is its column headers: a bad ?sort= or ?dir= is said just above them. */}
      <UrlProblem id="functions-sort-problem" message={problems.sort ?? null} />
      <UrlProblem id="functions-dir-problem" message={problems.dir ?? null} />
      <FunctionsTable
        rows={listing.functions}
        initialQuery={query}
        badges={latestFlagBadges(scopes)}
        accountsRead={known.length}
      />
    </div>
  );
}
