/**
 * The fleet overview's panels. Each is an async server component awaiting only the source it needs, so each
 * streams in on its own behind a Suspense boundary and a failed source degrades only its own panels.
 */
import { TimeChart } from "@/components/charts/time-chart";
import { Panel } from "@/components/ui/panel";
import { assignColors, STATUS_COLORS } from "@/lib/core/charts/colors";
import { formatCount, formatDuration, formatPercent } from "@/lib/core/format";
import { RELATIVE_ERROR } from "@/lib/core/rollup/histogram";
import type { RangeBucket } from "@/lib/core/time/bucket";
import type { ColdStartsPanel, MetricsPanel, TablePanel } from "@/lib/data/telemetry/overview";
import { costText, sumTitle } from "./cost-text";
import { FleetTable } from "./fleet-table";
import { ChartPanel, chartRange, Degraded, DurationPercentilesPanel, Stat } from "./panel-parts";
import { PanelStatusLine } from "./panel-status";
import type { FleetTableQuery } from "./table-model";

export async function MetricsSection({ data, bucket }: { data: Promise<MetricsPanel>; bucket: RangeBucket }) {
  const { fleet, limits, failures, status } = await data;
  return (
    <section aria-label="Metrics" className="space-y-3" data-testid="metrics-section">
      <SectionHeader title="Metrics" status={status} />
      <Degraded failures={failures} />
      {fleet === null ? null : (
        <>
          <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <Stat
              label="Invocations"
              testId="total-invocations"
              value={formatCount(fleet.totals.invocations)}
            />
            <Stat label="Errors" testId="total-errors" value={formatCount(fleet.totals.errors)} />
            <Stat
              label="Error rate"
              testId="total-error-rate"
              value={formatPercent(fleet.totals.errorRate)}
            />
            <Stat label="Throttles" testId="total-throttles" value={formatCount(fleet.totals.throttles)} />
          </div>
          <div className="grid gap-3 lg:grid-cols-2">
            <ChartPanel
              title="Invocations and errors"
              id="chart-invocations"
              unit="count"
              bucket={bucket}
              lines={[
                {
                  key: "inv",
                  label: "Invocations",
                  color: STATUS_COLORS.invocations,
                  points: fleet.invocations,
                },
                { key: "err", label: "Errors", color: STATUS_COLORS.errors, points: fleet.errors },
              ]}
            />
            <ChartPanel
              title="Error rate"
              id="chart-error-rate"
              unit="ratio"
              bucket={bucket}
              lines={[
                { key: "rate", label: "Error rate", color: STATUS_COLORS.errors, points: fleet.errorRate },
              ]}
            />
            <ChartPanel
              title="Throttles"
              id="chart-throttles"
              unit="count"
              bucket={bucket}
              lines={[
                { key: "thr", label: "Throttles", color: STATUS_COLORS.throttles, points: fleet.throttles },
              ]}
            />
            <DurationPercentilesPanel
              id="chart-duration"
              bucket={bucket}
              p50={fleet.p50}
              p90={fleet.p90}
              p99={fleet.p99}
              note={
                status.source === "store"
                  ? `from REPORT lines, ±${(RELATIVE_ERROR * 100).toFixed(1)} %`
                  : undefined
              }
            />
            <ConcurrencyPanel fleet={fleet} limits={limits} bucket={bucket} />
          </div>
        </>
      )}
    </section>
  );
}

/** A section's header: its name and where its numbers come from (freshness, coverage). */
export function SectionHeader({ title, status }: { title: string; status: MetricsPanel["status"] }) {
  return (
    <header className="flex flex-wrap items-baseline justify-between gap-2">
      <h2 className="text-sm font-semibold text-zinc-700 dark:text-zinc-200">{title}</h2>
      <PanelStatusLine status={status} />
    </header>
  );
}

function ConcurrencyPanel({
  fleet,
  limits,
  bucket,
}: {
  fleet: NonNullable<MetricsPanel["fleet"]>;
  limits: MetricsPanel["limits"];
  bucket: RangeBucket;
}) {
  const colors = assignColors(fleet.concurrency.map((c) => c.region));
  const limit = limits.length === 0 ? undefined : Math.min(...limits.map((l) => l.limit));
  return (
    <ChartPanel
      title="Concurrent executions vs account limit"
      chartTitle="Concurrent executions"
      id="chart-concurrency"
      unit="count"
      bucket={bucket}
      reference={
        limit === undefined ? undefined : { label: `account limit ${formatCount(limit)}`, value: limit }
      }
      lines={fleet.concurrency.map((c) => ({
        key: c.region,
        label: c.region,
        color: colors.get(c.region) ?? "#0072B2",
        points: c.points,
      }))}
    />
  );
}

export async function ColdStartSection({
  data,
  bucket,
}: {
  data: Promise<ColdStartsPanel>;
  bucket: RangeBucket;
}) {
  const { fleet, failures, bin, status } = await data;
  return (
    <section aria-label="Cold starts" className="space-y-3" data-testid="cold-starts-section">
      <SectionHeader title="Cold starts" status={status} />
      <Degraded failures={failures} />
      {fleet === null ? null : (
        <div className="grid gap-3 lg:grid-cols-[16rem_1fr]">
          <div className="grid gap-3">
            <Stat
              label="Cold starts"
              testId="total-cold-starts"
              value={formatCount(fleet.totals.coldStarts)}
            />
            <Stat
              label="Cold-start rate"
              testId="total-cold-start-rate"
              value={formatPercent(fleet.totals.coldStartRate)}
              hint={`of ${formatCount(fleet.totals.reports)} REPORT lines`}
            />
            <Stat label="Avg init" testId="total-avg-init" value={formatDuration(fleet.totals.avgInit)} />
          </div>
          <Panel
            title={`Cold starts and rate (per ${bin === null ? "?" : `${bin / 60} min`})`}
            id="chart-cold"
          >
            <div className="grid gap-3 md:grid-cols-2">
              <TimeChart
                title="Cold starts"
                unit="count"
                {...chartRange(bucket)}
                lines={[
                  {
                    key: "cold",
                    label: "Cold starts",
                    color: STATUS_COLORS.coldStarts,
                    points: fleet.coldStarts,
                  },
                ]}
              />
              <TimeChart
                title="Cold-start rate"
                unit="ratio"
                {...chartRange(bucket)}
                lines={[
                  {
                    key: "rate",
                    label: "Rate",
                    color: STATUS_COLORS.coldStarts,
                    points: fleet.coldStartRate,
                  },
                ]}
              />
            </div>
          </Panel>
        </div>
      )}
    </section>
  );
}

export async function TableSection({
  data,
  initialQuery,
  linkQuery,
}: {
  data: Promise<TablePanel>;
  initialQuery: FleetTableQuery;
  linkQuery: string;
}) {
  const { rows, cost, failures, status } = await data;
  return (
    <section aria-label="Functions" className="space-y-3" data-testid="functions-section">
      <SectionHeader title="Functions" status={status} />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Functions" testId="total-functions" value={formatCount(rows.length)} />
        <Stat
          label="Estimated cost (range)"
          testId="total-cost"
          value={cost === null ? "—" : costText(cost.total, cost.lowerBound)}
          title={cost === null ? undefined : sumTitle(cost) || undefined}
          hint={
            cost?.lowerBound
              ? `lower bound: ${sumTitle(cost).split("\n").join("; ")}`
              : "list prices, no free tier"
          }
        />
      </div>
      <Degraded failures={failures.filter((f) => f.source === "inventory")} />
      <FleetTable rows={rows} initialQuery={initialQuery} linkQuery={linkQuery} />
    </section>
  );
}
