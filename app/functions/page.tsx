import type { Metadata } from "next";
import { parseRegions, type SearchParams } from "@/app/search-params";
import { FunctionsTable } from "@/components/functions/functions-table";
import { RegionErrors } from "@/components/ui/region-errors";
import { env } from "@/lib/config/env";
import { latestFlagBadges } from "@/lib/data/advisor";
import { listFleetFunctions } from "@/lib/data/functions";
import { parseFunctionsQuery } from "./search-params";

export const metadata: Metadata = { title: "Functions" };

export default async function FunctionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const regions = parseRegions(sp, env().regions);
  const query = parseFunctionsQuery(sp);
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
      <FunctionsTable rows={listing.functions} initialQuery={query} badges={latestFlagBadges(regions)} />
    </div>
  );
}
