import { Suspense } from "react";
import { rangeBucket } from "@/app/range-bucket";
import { formatDateTime as utcMinute } from "@/lib/core/format";
import { AutoRefresh } from "@/components/fleet/auto-refresh";
import { ColdStartSection, MetricsSection, TableSection } from "@/components/fleet/overview-panels";
import { PanelSkeleton } from "@/components/fleet/panel-parts";
import { loadFleetQuery } from "@/components/fleet/table-model";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import { startFleetOverview } from "@/lib/data/telemetry/overview";
import { alignmentNote } from "@/lib/core/time/bucket";
import { toUrlSearchParams } from "@/lib/url/params";
import { loadShell, shellQuery, type SearchParams } from "@/lib/url/shell";
import { CompareControl } from "@/components/charts/compare-control";
import { loadFleetMarkers } from "@/lib/data/telemetry/deploy-markers";
import { loadPreviousFleetMetrics } from "@/lib/data/telemetry/previous-period";
import { loadCompare } from "@/lib/url/compare";

const utc = utcMinute;

/** Fleet overview: totals, charts and every function's telemetry over the URL's range and regions. */
export default async function FleetPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const now = systemClock.now(); // the request's one instant
  const { regions, range: spec } = loadShell(sp, env().regions, now);
  const range = rangeBucket(spec, now);
  if (!range.ok) return range.page;
  const { bucket } = range;
  const overview = startFleetOverview(regions, bucket);
  const { query: tableQuery, problems: tableProblems } = loadFleetQuery(toUrlSearchParams(sp));
  // Store only (0 AWS requests): deployment markers grouped per chart slot, and the range a day or week earlier.
  const markers = loadFleetMarkers(regions, bucket);
  const compare = loadCompare(sp);
  const previous = compare.compare && loadPreviousFleetMetrics(regions, bucket, compare.compare);
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
      <CompareControl path="/" value={compare.compare} problem={compare.problem} />
      <Suspense fallback={<PanelSkeleton title="Metrics" />}>
        <MetricsSection data={overview.metrics} bucket={bucket} markers={markers} previous={previous} />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="Cold starts" />}>
        <ColdStartSection data={overview.coldStarts} bucket={bucket} markers={markers} />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="Functions" />}>
        <TableSection
          data={overview.table}
          initialQuery={tableQuery}
          linkQuery={shellQuery(sp)}
          problems={tableProblems}
        />
      </Suspense>
    </div>
  );
}
