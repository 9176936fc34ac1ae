import { Suspense } from "react";
import { rangeBucket } from "@/app/range-bucket";
import { utcMinute } from "@/components/ui/format";
import { first, parseRegions, shellQuery, type SearchParams } from "@/app/search-params";
import { AutoRefresh } from "@/components/fleet/auto-refresh";
import { ColdStartSection, MetricsSection, TableSection } from "@/components/fleet/overview-panels";
import { PanelSkeleton } from "@/components/fleet/panel-parts";
import { parseFleetQuery } from "@/components/fleet/table-model";
import { env } from "@/lib/config/env";
import { startFleetOverview } from "@/lib/data/telemetry/overview";
import { alignmentNote } from "@/lib/core/time/bucket";

const utc = utcMinute;

/** Fleet overview: totals, charts and every function's telemetry over the URL's range and regions. */
export default async function FleetPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const regions = parseRegions(sp, env().regions);
  const range = rangeBucket(sp);
  if (!range.ok) return range.page;
  const { bucket } = range;
  const overview = startFleetOverview(regions, bucket);
  const tableQuery = parseFleetQuery(
    new URLSearchParams(
      Object.entries(sp).flatMap(([k, v]) => {
        const value = first(v);
        return value === undefined ? [] : [[k, value]];
      }),
    ),
  );
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
      <Suspense fallback={<PanelSkeleton title="Metrics" />}>
        <MetricsSection data={overview.metrics} bucket={bucket} />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="Cold starts" />}>
        <ColdStartSection data={overview.coldStarts} bucket={bucket} />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="Functions" />}>
        <TableSection data={overview.table} initialQuery={tableQuery} linkQuery={shellQuery(sp)} />
      </Suspense>
    </div>
  );
}
