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
import type { ChartMarker } from "@/lib/core/charts/deploy-markers";
import { withPrevious } from "@/lib/core/charts/previous-period";
import type { Outcome } from "@/lib/core/errors";
import type { FleetMetrics } from "@/lib/data/telemetry/assemble";
import type { PreviousPeriod } from "@/lib/data/telemetry/previous-period";
import { costText, sumTitle } from "./cost-text";
import { FleetTable } from "./fleet-table";
import { ChartPanel, chartRange, Degraded, DurationPercentilesPanel, Stat } from "./panel-parts";
import { PanelStatusLine } from "./panel-status";
import type { FleetQueryProblems, FleetTableQuery } from "./table-model";

/** The fleet's grouped deployment markers (lib/data/telemetry/deploy-markers.ts), settled. */
type MarkersSource = Promise<Outcome<readonly ChartMarker[]>> | undefined;
/** The markers to draw: none while unavailable (a store failure costs the markers, never the charts). */
const markersOf = async (m: MarkersSource) => {
  const o = await m;
  return o?.ok ? o.value : undefined;
};

export async function MetricsSection({
  data,
  bucket,
  markers,
  previous,
  accountsRead = 1,
}: {
  data: Promise<MetricsPanel>;
  bucket: RangeBucket;
  /** How many accounts the console reads: with several, failures and concurrency lines name their account. */
  accountsRead?: number;
  markers?: MarkersSource;
  /** The fleet's metrics one day or week earlier (`?compare=`), drawn dashed; null: no comparison. */
  previous?: Promise<Outcome<PreviousPeriod<FleetMetrics | null>>> | null;
}) {
  const [{ fleet, limits, failures, status }, marks, prev] = await Promise.all([
    data,
    markersOf(markers),
    previous,
  ]);
  const p = prev?.ok ? prev.value : null;
  // Nothing collected earlier (no fleet then) is still drawn: an all-gap dashed line, and the note says why.
  const earlier = p?.data ?? null;
  const series = (k: keyof Omit<FleetMetrics, "concurrency" | "totals">) => (earlier ? earlier[k] : []);
  const twins = (pick: Partial<Record<string, keyof Omit<FleetMetrics, "concurrency" | "totals">>>) =>
    p && {
      shift: p.shift,
      earlier: (key: string) => {
        const k = pick[key];
        return k ? series(k) : undefined;
      },
    };
  return (
    <section aria-label="Metrics" className="space-y-3" data-testid="metrics-section">
      <SectionHeader title="Metrics" status={status} />
      {prev ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="compare-note">
          {prev.ok ? prev.value.note : `Earlier period unavailable: ${prev.error.message}`}
        </p>
      ) : null}
      <Degraded failures={failures} showAccount={accountsRead > 1} />
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
              markers={marks}
              lines={withPrevious(
                [
                  {
                    key: "inv",
                    label: "Invocations",
                    color: STATUS_COLORS.invocations,
                    points: fleet.invocations,
                  },
                  { key: "err", label: "Errors", color: STATUS_COLORS.errors, points: fleet.errors },
                ],
                twins({ inv: "invocations", err: "errors" }),
              )}
            />
            <ChartPanel
              title="Error rate"
              id="chart-error-rate"
              unit="ratio"
              bucket={bucket}
              markers={marks}
              lines={withPrevious(
                [{ key: "rate", label: "Error rate", color: STATUS_COLORS.errors, points: fleet.errorRate }],
                twins({ rate: "errorRate" }),
              )}
            />
            <ChartPanel
              title="Throttles"
              id="chart-throttles"
              unit="count"
              bucket={bucket}
              markers={marks}
              lines={[
                // Sparse counts read better as bars than as a line through zeros.
                {
                  key: "thr",
                  label: "Throttles",
                  color: STATUS_COLORS.throttles,
                  points: fleet.throttles,
                  style: "bars",
                },
              ]}
            />
            <DurationPercentilesPanel
              id="chart-duration"
              bucket={bucket}
              markers={marks}
              p50={fleet.p50}
              p90={fleet.p90}
              p99={fleet.p99}
              previous={p && { shift: p.shift, p50: series("p50"), p90: series("p90"), p99: series("p99") }}
              note={
                status.source === "store"
                  ? `from REPORT lines, ±${(RELATIVE_ERROR * 100).toFixed(1)} %`
                  : undefined
              }
            />
            <ConcurrencyPanel
              fleet={fleet}
              limits={limits}
              bucket={bucket}
              markers={marks}
              showAccount={accountsRead > 1}
            />
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
  markers,
  showAccount,
}: {
  fleet: NonNullable<MetricsPanel["fleet"]>;
  limits: MetricsPanel["limits"];
  bucket: RangeBucket;
  markers?: readonly ChartMarker[];
  showAccount: boolean;
}) {
  // One line per account-region: each account has its own concurrency pool.
  const keyOf = (c: { account: string; region: string }) => `${c.account}:${c.region}`;
  const labelOf = (c: { account: string; region: string }) =>
    showAccount ? `${c.account} ${c.region}` : c.region;
  const colors = assignColors(fleet.concurrency.map(keyOf));
  const limit = limits.length === 0 ? undefined : Math.min(...limits.map((l) => l.limit));
  return (
    <ChartPanel
      title="Concurrent executions vs account limit"
      chartTitle="Concurrent executions"
      id="chart-concurrency"
      unit="count"
      bucket={bucket}
      markers={markers}
      reference={
        limit === undefined ? undefined : { label: `account limit ${formatCount(limit)}`, value: limit }
      }
      lines={fleet.concurrency.map((c) => ({
        key: keyOf(c),
        label: labelOf(c),
        color: colors.get(keyOf(c)) ?? "#0072B2",
        points: c.points,
      }))}
    />
  );
}

export async function ColdStartSection({
  data,
  bucket,
  markers,
  accountsRead = 1,
}: {
  data: Promise<ColdStartsPanel>;
  bucket: RangeBucket;
  accountsRead?: number;
  markers?: MarkersSource;
}) {
  const [{ fleet, failures, bin, status }, marks] = await Promise.all([data, markersOf(markers)]);
  return (
    <section aria-label="Cold starts" className="space-y-3" data-testid="cold-starts-section">
      <SectionHeader title="Cold starts" status={status} />
      <Degraded failures={failures} showAccount={accountsRead > 1} />
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
                markers={marks}
                lines={[
                  {
                    key: "cold",
                    label: "Cold starts",
                    color: STATUS_COLORS.coldStarts,
                    points: fleet.coldStarts,
                    style: "bars",
                  },
                ]}
              />
              <TimeChart
                title="Cold-start rate"
                unit="ratio"
                {...chartRange(bucket)}
                markers={marks}
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
  problems,
  accountsRead = 1,
}: {
  data: Promise<TablePanel>;
  initialQuery: FleetTableQuery;
  linkQuery: string;
  /** How many accounts the console reads: the Account column shows only when more than one. */
  accountsRead?: number;
  problems?: FleetQueryProblems;
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
      <Degraded failures={failures.filter((f) => f.source === "inventory")} showAccount={accountsRead > 1} />
      <FleetTable
        rows={rows}
        initialQuery={initialQuery}
        linkQuery={linkQuery}
        accountsRead={accountsRead}
        problems={problems}
      />
    </section>
  );
}
