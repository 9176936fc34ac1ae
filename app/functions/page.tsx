import type { Metadata } from "next";
import { Suspense } from "react";
import { FunctionsTable } from "@/components/functions/functions-table";
import { UrlProblem } from "@/components/shell/url-problem";
import { PageLoading } from "@/components/ui/page-loading";
import { RegionErrors } from "@/components/ui/region-errors";
import { env } from "@/lib/config/env";
import { latestFlagBadges } from "@/lib/data/advisor";
import { listFleetFunctions } from "@/lib/data/functions";
import { loadFunctionsQuery } from "@/lib/url/functions";
import { loadRegions, type SearchParams } from "@/lib/url/shell";

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

async function FunctionsList({ searchParams }: Props) {
  const sp = await searchParams;
  const { regions } = loadRegions(sp, env().regions);
  const { query, problems } = loadFunctionsQuery(sp);
  const listing = await listFleetFunctions(regions);
  const failures = listing.regions.flatMap((r) =>
    r.outcome.ok ? [] : [{ region: r.region, error: r.outcome.error }],
  );
  return (
    <div className="space-y-3">
      <div className="flex items-baseline justify-between">
        <h1 className="text-lg font-semibold">Functions</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">{regions.join(", ")}</p>
      </div>
      <RegionErrors failures={failures} />
      {/* The table's sort is its column headers: a bad ?sort= or ?dir= is said just above them. */}
      <UrlProblem id="functions-sort-problem" message={problems.sort ?? null} />
      <UrlProblem id="functions-dir-problem" message={problems.dir ?? null} />
      <FunctionsTable rows={listing.functions} initialQuery={query} badges={latestFlagBadges(regions)} />
    </div>
  );
}
