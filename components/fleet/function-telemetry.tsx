/**
 * Telemetry panels of the function page: its charts and cold starts from the collector's store (each with its
 * freshness and coverage), its event-source and async charts (shown only for metrics it publishes, otherwise
 * said why), the per-alias and per-executed-version charts and the latest invocations read live,
 * and what the view cost AWS. Each section awaits its own source behind its own Suspense boundary, so the
 * store-backed panels render at once and the live ones fill in.
 */
import { Suspense } from "react";
import { TimeChart, type ChartLine } from "@/components/charts/time-chart";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import { assignColors, STATUS_COLORS } from "@/lib/core/charts/colors";
import { timeoutLine } from "@/lib/core/charts/timeout-line";
import type { Outcome } from "@/lib/core/errors";
import {
  formatCount,
  formatDuration,
  formatMb,
  formatPercent,
  formatDateTime as utcMinute,
} from "@/lib/core/format";
import { RELATIVE_ERROR } from "@/lib/core/rollup/histogram";
import { rate } from "@/lib/core/telemetry/stats";
import { alignmentNote, type RangeBucket } from "@/lib/core/time/bucket";
import type { Seconds } from "@/lib/core/units";
import type {
  FunctionLogs,
  FunctionMetrics,
  FunctionSources,
  FunctionSplits,
  FunctionTelemetry,
  SplitSeries,
} from "@/lib/data/telemetry/function";
import { totalsText, type SourceChart } from "@/lib/core/charts/source-charts";
import type { ChartMarker } from "@/lib/core/charts/deploy-markers";
import { withPrevious } from "@/lib/core/charts/previous-period";
import type { StoreFunctionMetrics } from "@/lib/data/telemetry/function-store";
import type { PreviousPeriod } from "@/lib/data/telemetry/previous-period";
import { CompareControl } from "@/components/charts/compare-control";
import type { RequestCost } from "@/lib/data/traces/meter";
import { RecentPart } from "./function-recent";
import { SectionHeader } from "./overview-panels";
import { FunctionCostPart } from "./function-cost";
import {
  ChartPanel,
  chartRange,
  Degraded,
  DurationPercentilesPanel,
  PanelSkeleton,
  Stat,
  timeoutProps,
} from "./panel-parts";

const utc = utcMinute;
const HISTOGRAM_NOTE = `from REPORT lines, ±${(RELATIVE_ERROR * 100).toFixed(1)} %`;

/** A SnapStart restore is its function's cold start (it has no INIT): both count, as the recent invocations show. */
const coldStartsOf = (s: { coldStarts: number; restores: { count: number } | null }) =>
  s.coldStarts + (s.restores?.count ?? 0);

/** The function's deployment markers (lib/data/telemetry/deploy-markers.ts), settled. */
type MarkersSource = Promise<Outcome<readonly ChartMarker[]>> | undefined;
/** The markers to draw: none while unavailable (a store failure costs the markers, never the charts). */
const markersOf = async (m: MarkersSource) => {
  const o = await m;
  return o?.ok ? o.value : undefined;
};
/** The metrics over the same range earlier (`?compare=`), settled; null: no comparison asked. */
type PreviousSource = Promise<Outcome<PreviousPeriod<StoreFunctionMetrics>>> | null | undefined;

/**
 * `timeouts`: the configured timeout the duration charts draw, for the function ($LATEST) and for the versions
 * its aliases route to (null when those versions' timeouts differ: no one line would be right for all). The
 * versions are a live read: they stream in, and may be unavailable.
 */
export function FunctionTelemetryView({
  telemetry,
  timeouts,
  target,
  markers,
  previous,
  compare,
}: {
  telemetry: FunctionTelemetry;
  timeouts?: { function: Seconds; versions: Promise<Outcome<Seconds | null>> };
  /** The function shown (its account, region and name): its request links search its log group only. */
  target: { account: string; region: string; fn: string };
  /** Deployment markers drawn on every chart of the function. */
  markers?: MarkersSource;
  /** The metrics one day or week earlier, drawn dashed on the metrics charts. */
  previous?: PreviousSource;
  /** The compare control's props (lib/url/compare.ts). */
  compare?: Parameters<typeof CompareControl>[0];
}) {
  const b = telemetry.bucket;
  // A click on a point of this function's charts opens its traces in that minute (the chart adds the range).
  const drill = `/traces?${new URLSearchParams({ accounts: target.account, region: target.region, fn: target.fn }).toString()}`;
  return (
    <section
      aria-label="Telemetry"
      className="space-y-4"
      data-testid="range"
      data-start={b.start}
      data-end={b.end}
      data-period={b.period}
    >
      <p className="text-sm tabular-nums text-zinc-500 dark:text-zinc-400">
        {utc(b.start)} – {utc(b.end)}
        {alignmentNote(b) ? <span data-testid="range-note"> ({alignmentNote(b)})</span> : null} ·{" "}
        {b.period / 60} min points ·{" "}
        <Suspense fallback={<span>counting AWS requests…</span>}>
          <ViewCost cost={telemetry.cost} />
        </Suspense>
      </p>
      {compare ? <CompareControl {...compare} /> : null}
      <Suspense fallback={<PanelSkeleton title="Metrics" />}>
        <MetricsPart
          data={telemetry.metrics}
          bucket={b}
          timeout={timeouts?.function ?? null}
          drill={drill}
          markers={markers}
          previous={previous}
        />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="Event sources and async" />}>
        <SourcesPart data={telemetry.sources} bucket={b} markers={markers} />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="Estimated cost" />}>
        <FunctionCostPart data={telemetry.monthlyCost} />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="By alias and version" />}>
        <SplitsPart data={telemetry.splits} bucket={b} timeout={timeouts?.versions} markers={markers} />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="Cold starts" />}>
        <LogsPart data={telemetry.logs} bucket={b} drill={drill} markers={markers} />
      </Suspense>
      <Suspense fallback={<PanelSkeleton title="Recent invocations" />}>
        <RecentPart data={telemetry.recent} target={target} />
      </Suspense>
    </section>
  );
}

async function ViewCost({ cost }: { cost: Promise<RequestCost> }) {
  const c = await cost;
  const ops = Object.entries(c.byOperation)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
  return (
    <span data-testid="view-cost" data-aws-requests={c.total}>
      store-backed panels: 0 AWS requests · live parts: {c.total} AWS request{c.total === 1 ? "" : "s"}
      {ops ? ` (${ops})` : ""}
    </span>
  );
}

/** The collector has not listed the function yet, so its region's coverage says nothing about it. */
function NotListed() {
  return (
    <Notice tone="warn" title="Not collected yet">
      The collector has not listed this function yet (deployed since its last inventory sweep). Its telemetry
      appears here within a few minutes.
    </Notice>
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
  timeout,
  drill,
  markers,
  previous,
}: {
  data: Promise<Outcome<FunctionMetrics>>;
  bucket: RangeBucket;
  timeout: Seconds | null;
  drill: string;
  markers: MarkersSource;
  previous: PreviousSource;
}) {
  const [o, marks, prev] = await Promise.all([data, markersOf(markers), previous]);
  if (!o.ok) return <Degraded failures={[{ source: "Metrics (collector store)", error: o.error }]} />;
  const m = o.value;
  // Each line's earlier twin, by line key; none when the earlier read failed (the note says why).
  const p = prev?.ok ? prev.value : null;
  const earlier = (pick: Partial<Record<string, keyof StoreFunctionMetrics>>) =>
    p && { shift: p.shift, earlier: (key: string) => seriesAt(p.data, pick[key]) };
  const metrics = m.coverage[0];
  return (
    <section aria-label="Metrics" className="space-y-3" data-testid="metrics-section">
      <SectionHeader title="Metrics" status={m.status} />
      {prev ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="compare-note">
          {prev.ok ? prev.value.note : `Earlier period unavailable: ${prev.error.message}`}
        </p>
      ) : null}
      {!m.listed ? (
        <NotListed />
      ) : (
        <>
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
            data-covered-ms={metrics?.coveredMs}
            data-window-ms={metrics ? metrics.window.to - metrics.window.from : undefined}
          />
          <div className="grid gap-3 lg:grid-cols-2">
            <ChartPanel
              markers={marks}
              title="Invocations and errors"
              id="fn-chart-invocations"
              drill={drill}
              unit="count"
              bucket={bucket}
              lines={withPrevious(
                [
                  {
                    key: "inv",
                    label: "Invocations",
                    color: STATUS_COLORS.invocations,
                    points: m.invocations,
                  },
                  { key: "err", label: "Errors", color: STATUS_COLORS.errors, points: m.errors },
                  // Throttles are sparse: bars, not a line through zeros.
                  {
                    key: "thr",
                    label: "Throttles",
                    color: STATUS_COLORS.throttles,
                    points: m.throttles,
                    style: "bars",
                  },
                ],
                earlier({ inv: "invocations", err: "errors" }),
              )}
            />
            <DurationPercentilesPanel
              markers={marks}
              id="fn-chart-duration"
              drill={drill}
              bucket={bucket}
              p50={m.p50}
              p90={m.p90}
              p99={m.p99}
              previous={p && { shift: p.shift, p50: p.data.p50, p90: p.data.p90, p99: p.data.p99 }}
              timeout={timeout}
              note={
                m.sharedWith.length === 0
                  ? HISTOGRAM_NOTE
                  : "none per function: its log group is shared with other functions"
              }
            />
            <ChartPanel
              markers={marks}
              title="Error rate"
              id="fn-chart-error-rate"
              drill={drill}
              unit="ratio"
              bucket={bucket}
              lines={withPrevious(
                [{ key: "rate", label: "Error rate", color: STATUS_COLORS.errors, points: m.errorRate }],
                earlier({ rate: "errorRate" }),
              )}
            />
            <ChartPanel
              markers={marks}
              title="Concurrent executions"
              id="fn-chart-concurrency"
              drill={drill}
              unit="count"
              bucket={bucket}
              lines={withPrevious(
                [{ key: "c", label: "Max concurrent", color: "#6A3D9A", points: m.concurrency }],
                earlier({ c: "concurrency" }),
              )}
            />
          </div>
        </>
      )}
    </section>
  );
}

/**
 * Stream, async and recursion charts: each metric the function published in the range, and for the others a
 * line saying why there is nothing to chart (no flat zero line).
 */
async function SourcesPart({
  data,
  bucket,
  markers,
}: {
  data: Promise<Outcome<FunctionSources>>;
  bucket: RangeBucket;
  markers: MarkersSource;
}) {
  const [o, marks] = await Promise.all([data, markersOf(markers)]);
  if (!o.ok)
    return (
      <Degraded failures={[{ source: "Event-source and async metrics (collector store)", error: o.error }]} />
    );
  const s = o.value;
  if (!s.listed) return null; // The metrics section already says the function is not collected yet.
  const charts = s.charts.filter((c) => c.kind === "chart");
  const absent = s.charts.filter((c) => c.kind === "absent");
  return (
    <section aria-label="Event sources and async" className="space-y-3" data-testid="sources-section">
      <SectionHeader title="Event sources and async" status={s.status} />
      {charts.length > 0 ? (
        <div className="grid gap-3 lg:grid-cols-2">
          {charts.map((c) => (
            <SourceChartPanel key={c.id} chart={c} bucket={bucket} marks={marks} />
          ))}
        </div>
      ) : null}
      <ul className="space-y-0.5 text-xs text-zinc-500 dark:text-zinc-400" data-testid="sources-absent">
        {absent.map((c) => (
          <li key={c.id} data-testid={`${c.id}-absent`}>
            <span className="font-medium">{c.title}</span>: not published in this range ({c.why}).
          </li>
        ))}
      </ul>
    </section>
  );
}

function SourceChartPanel({
  chart,
  bucket,
  marks,
}: {
  chart: Extract<SourceChart, { kind: "chart" }>;
  bucket: RangeBucket;
  marks: readonly ChartMarker[] | undefined;
}) {
  const totals = totalsText(chart.lines);
  const remarks = [
    chart.trend?.summary,
    totals ? `over the range: ${totals}` : undefined,
    ...chart.notPublished.map((n) => `no ${n.metric}: ${n.why}`),
  ].filter((r): r is string => r !== undefined);
  return (
    <div
      data-testid={chart.id}
      data-unit={chart.unit}
      data-first-ms={chart.trend?.firstMs}
      data-last-ms={chart.trend?.lastMs}
      data-peak-ms={chart.trend?.peakMs}
      data-totals={JSON.stringify(Object.fromEntries(chart.lines.map((l) => [l.key, l.total])))}
    >
      <ChartPanel
        markers={marks}
        title={chart.title}
        id={`${chart.id}-panel`}
        unit={chart.unit}
        bucket={bucket}
        lines={chart.lines}
        remark={remarks.join(" · ") || undefined}
      />
    </div>
  );
}

async function SplitsPart({
  data,
  bucket,
  timeout,
  markers,
}: {
  data: Promise<Outcome<FunctionSplits>>;
  bucket: RangeBucket;
  timeout?: Promise<Outcome<Seconds | null>>;
  markers: MarkersSource;
}) {
  const [o, versionsTimeout, marks] = await Promise.all([data, timeout, markersOf(markers)]);
  if (!o.ok)
    return (
      <Degraded failures={[{ source: "CloudWatch metrics by alias and version (live)", error: o.error }]} />
    );
  // Without the versions, their timeouts are unknown: no line, and the chart says why.
  const p99Line =
    versionsTimeout && !versionsTimeout.ok
      ? { remark: `Versions unavailable: ${versionsTimeout.error.message}` }
      : timeoutProps(
          timeoutLine(
            versionsTimeout?.value ?? null,
            o.value.byVersion.map((s) => s.p99),
          ),
        );
  const { byAlias, byVersion } = o.value;
  if (byAlias.length === 0 && byVersion.length === 0) return null;
  return (
    <section aria-label="By alias and version" className="space-y-3" data-testid="splits-section">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-sm font-semibold text-zinc-700 dark:text-zinc-200">By alias and version</h2>
        <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="freshness">
          read live from AWS (the collector keeps per-function rows only)
        </p>
      </header>
      <div className="grid gap-3 lg:grid-cols-2">
        {byAlias.length > 0 ? (
          <ChartPanel
            markers={marks}
            title="Invocations by alias"
            id="fn-chart-alias"
            unit="count"
            bucket={bucket}
            lines={splitLines(byAlias, (s) => s.invocations)}
          />
        ) : null}
        {byVersion.length > 0 ? (
          <>
            <ChartPanel
              markers={marks}
              title="Invocations by executed version"
              id="fn-chart-version"
              unit="count"
              bucket={bucket}
              lines={splitLines(byVersion, (s) => s.invocations)}
            />
            <ChartPanel
              markers={marks}
              title="Errors by executed version"
              id="fn-chart-version-errors"
              unit="count"
              bucket={bucket}
              lines={splitLines(byVersion, (s) => s.errors)}
            />
            <ChartPanel
              markers={marks}
              title="Duration p99 by executed version"
              id="fn-chart-version-p99"
              unit="ms"
              bucket={bucket}
              {...p99Line}
              lines={splitLines(byVersion, (s) => s.p99)}
            />
          </>
        ) : null}
      </div>
    </section>
  );
}

async function LogsPart({
  data,
  bucket,
  drill,
  markers,
}: {
  data: Promise<Outcome<FunctionLogs>>;
  bucket: RangeBucket;
  drill: string;
  markers: MarkersSource;
}) {
  const [o, marks] = await Promise.all([data, markersOf(markers)]);
  // Never zeros without evidence: the whole panel says "unavailable" and why.
  if (!o.ok)
    return (
      <section aria-label="Cold starts" className="space-y-3" data-testid="cold-starts-section">
        <Degraded
          failures={[
            {
              source: "Cold starts, timeouts, OOM kills and billed time (REPORT lines, collector store)",
              error: o.error,
            },
          ]}
        />
      </section>
    );
  const l = o.value;
  const s = l.stats;
  return (
    <section aria-label="Cold starts" className="space-y-3" data-testid="cold-starts-section">
      <SectionHeader title="Cold starts, memory and failures (from REPORT lines)" status={l.status} />
      {!l.listed ? (
        <NotListed />
      ) : (
        <>
          {l.failure !== null ? (
            <Notice tone="warn" title="Part of this range could not be collected">
              <span data-testid="fn-logs-failure">
                The figures below cover only the collected minutes. The collector&apos;s last logs read failed
                at {l.failure}
              </span>
            </Notice>
          ) : null}
          {l.sharedWith.length > 0 ? (
            <Notice tone="info" title={`Log group ${l.logGroup} is shared`}>
              It also holds the REPORT lines of {l.sharedWith.join(", ")}, and those lines do not name their
              function: the figures below are the whole group&apos;s and cannot be split per function.
            </Notice>
          ) : null}
          <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-5">
            <Stat
              label="Cold starts"
              testId="fn-cold-starts"
              value={formatCount(coldStartsOf(s))}
              hint={
                s.restores && s.restores.count > 0
                  ? `${formatCount(s.restores.count)} SnapStart restores`
                  : undefined
              }
            />
            <Stat
              label="Cold-start rate"
              testId="fn-cold-start-rate"
              value={formatPercent(rate(coldStartsOf(s), s.invocations))}
              hint={`of ${formatCount(s.invocations)} REPORT lines`}
            />
            <Stat label="Avg init" testId="fn-avg-init" value={formatDuration(s.avgInit)} />
            <Stat
              label="Max init"
              testId="fn-max-init"
              value={formatDuration(s.maxInit)}
              hint="largest; no init percentile is kept"
            />
            <Stat
              label="Duration p50 / p99"
              testId="fn-duration-percentiles"
              value={`${formatDuration(s.p50Duration)} / ${formatDuration(s.p99Duration)}`}
              hint={HISTOGRAM_NOTE}
            />
            <Stat
              label="Max memory used"
              testId="fn-max-memory"
              value={`${formatMb(s.maxMemoryUsed)} / ${formatMb(s.memorySize)}`}
            />
            <Stat label="Billed (sum)" testId="fn-billed" value={formatDuration(s.billedSum)} />
            <Stat label="Timeouts" testId="fn-timeouts" value={formatCount(s.timeouts)} />
            <Stat label="OOM kills" testId="fn-oom" value={formatCount(s.ooms)} />
          </div>
          <Panel title={`Cold starts and init (per ${l.bin / 60} min)`} id="fn-chart-cold">
            <div className="grid gap-3 md:grid-cols-2">
              <div
                data-testid="fn-cold-kinds"
                data-kinds={l.coldStartKinds.lines.map((k) => k.key).join(" ")}
              >
                <TimeChart
                  markers={marks}
                  title="Cold-start rate: init and SnapStart restore"
                  drill={drill}
                  unit="ratio"
                  {...chartRange(bucket)}
                  lines={l.coldStartKinds.lines}
                />
                {l.coldStartKinds.restoreNote ? (
                  <p className="mt-1 text-xs text-zinc-500" data-testid="fn-restore-note">
                    {l.coldStartKinds.restoreNote}
                  </p>
                ) : null}
              </div>
              <TimeChart
                markers={marks}
                title="Average init duration"
                drill={drill}
                unit="ms"
                {...chartRange(bucket)}
                lines={[{ key: "init", label: "Avg init", color: "#CC79A7", points: l.avgInit }]}
              />
            </div>
          </Panel>
        </>
      )}
    </section>
  );
}

/** A metrics series of the earlier period by name; undefined for a line without one. */
function seriesAt(m: StoreFunctionMetrics, key: keyof StoreFunctionMetrics | undefined) {
  if (key === undefined) return undefined;
  const v = m[key];
  return Array.isArray(v) ? (v as StoreFunctionMetrics["invocations"]) : undefined;
}
