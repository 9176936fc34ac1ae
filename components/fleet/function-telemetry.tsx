/**
 * Telemetry panels of the function page: the fleet charts for one function, split by alias and by executed
 * version, cold starts and init from its REPORT lines, and its latest invocations. Each section awaits its own
 * source behind its own Suspense boundary.
 */
import Link from "next/link";
import { Suspense } from "react";
import { TimeChart, type ChartLine } from "@/components/charts/time-chart";
import { Panel } from "@/components/ui/panel";
import { assignColors, STATUS_COLORS } from "@/lib/core/charts/colors";
import type { Outcome } from "@/lib/core/errors";
import { formatCount, formatDuration, formatMb, formatPercent } from "@/lib/core/format";
import type { Invocation } from "@/lib/core/telemetry/types";
import { rate } from "@/lib/core/telemetry/stats";
import type { RangeBucket } from "@/lib/core/time/bucket";
import type {
  FunctionLogs,
  FunctionMetrics,
  FunctionTelemetry,
  SplitSeries,
} from "@/lib/data/telemetry/function";
import {
  ChartPanel,
  chartRange,
  Degraded,
  DurationPercentilesPanel,
  PanelSkeleton,
  Stat,
} from "./panel-parts";

export function FunctionTelemetryView({ telemetry }: { telemetry: FunctionTelemetry }) {
  const b = telemetry.bucket;
  return (
    <section
      aria-label="Telemetry"
      className="space-y-4"
      data-testid="range"
      data-start={b.start}
      data-end={b.end}
      data-period={b.period}
    >
      <Suspense fallback={<PanelSkeleton title="Metrics" />}>
        <MetricsPart data={telemetry.metrics} bucket={b} />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="Cold starts" />}>
        <LogsPart data={telemetry.logs} bucket={b} />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="Recent invocations" />}>
        <RecentPart data={telemetry.recent} />
      </Suspense>
    </section>
  );
}

function splitLines(
  splits: readonly SplitSeries[],
  pick: (s: SplitSeries) => SplitSeries["p99"],
): ChartLine[] {
  const colors = assignColors(splits.map((s) => s.key));
  return splits.map((s) => ({
    key: s.key,
    label: s.label,
    color: colors.get(s.key) ?? "#0072B2",
    points: pick(s),
  }));
}

async function MetricsPart({
  data,
  bucket,
}: {
  data: Promise<Outcome<FunctionMetrics>>;
  bucket: RangeBucket;
}) {
  const o = await data;
  if (!o.ok) return <Degraded failures={[{ source: "CloudWatch metrics", error: o.error }]} />;
  const m = o.value;
  return (
    <div className="space-y-3" data-testid="metrics-section">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Invocations" testId="fn-invocations" value={formatCount(m.totals.invocations)} />
        <Stat label="Errors" testId="fn-errors" value={formatCount(m.totals.errors)} />
        <Stat
          label="Error rate"
          testId="fn-error-rate"
          value={formatPercent(rate(m.totals.errors, m.totals.invocations))}
        />
        <Stat label="Throttles" testId="fn-throttles" value={formatCount(m.totals.throttles)} />
      </div>
      <p
        className="sr-only"
        data-testid="fn-exact"
        data-invocations={m.totals.invocations}
        data-errors={m.totals.errors}
        data-throttles={m.totals.throttles}
      />
      <div className="grid gap-3 lg:grid-cols-2">
        <ChartPanel
          title="Invocations and errors"
          id="fn-chart-invocations"
          unit="count"
          bucket={bucket}
          lines={[
            { key: "inv", label: "Invocations", color: STATUS_COLORS.invocations, points: m.invocations },
            { key: "err", label: "Errors", color: STATUS_COLORS.errors, points: m.errors },
            { key: "thr", label: "Throttles", color: STATUS_COLORS.throttles, points: m.throttles },
          ]}
        />
        <DurationPercentilesPanel
          id="fn-chart-duration"
          bucket={bucket}
          p50={m.p50}
          p90={m.p90}
          p99={m.p99}
        />
        <ChartPanel
          title="Error rate"
          id="fn-chart-error-rate"
          unit="ratio"
          bucket={bucket}
          lines={[{ key: "rate", label: "Error rate", color: STATUS_COLORS.errors, points: m.errorRate }]}
        />
        <ChartPanel
          title="Concurrent executions"
          id="fn-chart-concurrency"
          unit="count"
          bucket={bucket}
          lines={[{ key: "c", label: "Max concurrent", color: "#6A3D9A", points: m.concurrency }]}
        />
        {m.byAlias.length > 0 ? (
          <ChartPanel
            title="Invocations by alias"
            id="fn-chart-alias"
            unit="count"
            bucket={bucket}
            lines={splitLines(m.byAlias, (s) => s.invocations)}
          />
        ) : null}
        {m.byVersion.length > 0 ? (
          <>
            <ChartPanel
              title="Invocations by executed version"
              id="fn-chart-version"
              unit="count"
              bucket={bucket}
              lines={splitLines(m.byVersion, (s) => s.invocations)}
            />
            <ChartPanel
              title="Errors by executed version"
              id="fn-chart-version-errors"
              unit="count"
              bucket={bucket}
              lines={splitLines(m.byVersion, (s) => s.errors)}
            />
            <ChartPanel
              title="Duration p99 by executed version"
              id="fn-chart-version-p99"
              unit="ms"
              bucket={bucket}
              lines={splitLines(m.byVersion, (s) => s.p99)}
            />
          </>
        ) : null}
      </div>
    </div>
  );
}

async function LogsPart({ data, bucket }: { data: Promise<Outcome<FunctionLogs>>; bucket: RangeBucket }) {
  const o = await data;
  if (!o.ok)
    return <Degraded failures={[{ source: "Logs Insights (cold starts, memory)", error: o.error }]} />;
  const { summary: s, timeouts, oom } = o.value;
  return (
    <div className="space-y-3" data-testid="cold-starts-section">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-8">
        <Stat label="Cold starts" testId="fn-cold-starts" value={formatCount(s.coldStarts)} />
        <Stat
          label="Cold-start rate"
          testId="fn-cold-start-rate"
          value={formatPercent(rate(s.coldStarts, s.invocations))}
        />
        <Stat label="Avg init" testId="fn-avg-init" value={formatDuration(s.avgInit)} />
        <Stat label="p99 init" testId="fn-p99-init" value={formatDuration(s.p99Init)} />
        <Stat
          label="Max memory used"
          testId="fn-max-memory"
          value={`${formatMb(s.maxMemoryUsed)} / ${formatMb(s.memorySize)}`}
        />
        <Stat label="Billed (sum)" testId="fn-billed" value={formatDuration(s.billedSum)} />
        <Stat label="Timeouts" testId="fn-timeouts" value={formatCount(timeouts)} />
        <Stat label="OOM kills" testId="fn-oom" value={formatCount(oom)} />
      </div>
      <Panel title={`Cold starts and init (per ${o.value.bin / 60} min)`} id="fn-chart-cold">
        <div className="grid gap-3 md:grid-cols-2">
          <TimeChart
            title="Cold-start rate"
            unit="ratio"
            {...chartRange(bucket)}
            lines={[
              {
                key: "rate",
                label: "Cold-start rate",
                color: STATUS_COLORS.coldStarts,
                points: o.value.coldStartRate,
              },
            ]}
          />
          <TimeChart
            title="Average init duration"
            unit="ms"
            {...chartRange(bucket)}
            lines={[{ key: "init", label: "Avg init", color: "#CC79A7", points: o.value.avgInit }]}
          />
        </div>
      </Panel>
    </div>
  );
}

const th =
  "px-3 py-1.5 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
const td = "px-3 py-1.5 tabular-nums";

async function RecentPart({
  data,
}: {
  data: Promise<Outcome<{ window: { start: number; end: number }; invocations: Invocation[] }>>;
}) {
  const o = await data;
  if (!o.ok)
    return <Degraded failures={[{ source: "Recent invocations (FilterLogEvents)", error: o.error }]} />;
  const { invocations, window } = o.value;
  return (
    <Panel
      title={`Recent invocations (last ${Math.round((window.end - window.start) / 60_000)} min of the range)`}
      id="recent"
    >
      {invocations.length === 0 ? (
        <p className="text-sm text-zinc-500">No invocation finished in this window.</p>
      ) : (
        <div className="-m-4 overflow-x-auto">
          <table className="w-full text-sm" aria-label="Recent invocations">
            <thead className="border-b border-zinc-200 dark:border-zinc-800">
              <tr>
                <th className={th}>Ended (UTC)</th>
                <th className={th}>Request</th>
                <th className={th}>Cold</th>
                <th className={`${th} text-right`}>Duration</th>
                <th className={`${th} text-right`}>Billed</th>
                <th className={`${th} text-right`}>Memory used</th>
                <th className={`${th} text-right`}>Init</th>
                <th className={th}>Version</th>
                <th className={th}>Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {invocations.map((i) => (
                <tr key={i.requestId} data-request={i.requestId} data-cold={i.coldStart}>
                  <td className={td}>{new Date(i.end).toISOString().slice(11, 23)}</td>
                  <td className={`${td} font-mono text-xs`}>
                    <Link
                      href={i.traceId ? `/traces/${i.traceId}` : `/requests/${i.requestId}`}
                      className="text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {i.requestId.slice(0, 8)}…
                    </Link>
                  </td>
                  <td className={td}>{i.coldStart ? <span title="Cold start">❄ cold</span> : ""}</td>
                  <td className={`${td} text-right`}>{formatDuration(i.duration)}</td>
                  <td className={`${td} text-right`}>{formatDuration(i.billedDuration)}</td>
                  <td className={`${td} text-right`}>
                    {formatMb(i.maxMemoryUsed)} / {formatMb(i.memorySize)}
                  </td>
                  <td className={`${td} text-right`}>
                    {formatDuration(i.initDuration ?? i.restoreDuration)}
                  </td>
                  <td className={`${td} font-mono`}>{i.version ?? "—"}</td>
                  <td className={td}>{i.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
