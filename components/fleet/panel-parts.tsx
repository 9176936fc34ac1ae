/**
 * Shared pieces of telemetry panels: a headline figure, a degraded-source notice, a loading placeholder, and a
 * chart in its panel over the page's time range.
 */
import type { ReactNode } from "react";
import { TimeChart, type ChartLine } from "@/components/charts/time-chart";
import type { ChartMarker } from "@/lib/core/charts/deploy-markers";
import { withPrevious, type CompareShift } from "@/lib/core/charts/previous-period";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import type { ChartUnit } from "@/lib/core/charts/metrics";
import type { SeriesPoint } from "@/lib/core/charts/series";
import { timeoutLine, type TimeoutLine } from "@/lib/core/charts/timeout-line";
import type { RangeBucket } from "@/lib/core/time/bucket";
import type { Seconds } from "@/lib/core/units";

/** A chart's x-axis: the bucket's range (its period only sets the datapoints' spacing). */
export const chartRange = (b: RangeBucket) => ({ start: b.start, end: b.end });

/** One chart alone in a titled panel; `chartTitle` names the SVG when it differs from the panel's heading. */
export function ChartPanel({
  title,
  chartTitle = title,
  id,
  unit,
  bucket,
  lines,
  reference,
  yMax,
  remark,
  markers,
  drill,
}: {
  title: string;
  chartTitle?: string;
  id: string;
  unit: ChartUnit;
  bucket: RangeBucket;
  lines: readonly ChartLine[];
  reference?: { label: string; value: number };
  yMax?: number;
  /** A sentence under the chart (e.g. why a limit line is not drawn). */
  remark?: string;
  markers?: readonly ChartMarker[];
  /** Where a click on a slot goes (TimeChart `drill`), e.g. the function's traces. */
  drill?: string;
}) {
  return (
    <Panel title={title} id={id}>
      <TimeChart
        title={chartTitle}
        unit={unit}
        {...chartRange(bucket)}
        lines={lines}
        reference={reference}
        yMax={yMax}
        markers={markers}
        drill={drill}
        titleHidden
      />
      {remark ? (
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400" data-testid="chart-remark">
          {remark}
        </p>
      ) : null}
    </Panel>
  );
}

/** A prepared timeout line as ChartPanel props: the line and its axis, or the remark saying why it is absent. */
export function timeoutProps(
  line: TimeoutLine,
): Pick<Parameters<typeof ChartPanel>[0], "reference" | "yMax" | "remark"> {
  if (line.kind === "line") return { reference: { label: line.label, value: line.value }, yMax: line.yMax };
  if (line.kind === "off-scale") return { remark: line.remark };
  return {};
}

/**
 * Duration p50 / p90 / p99 in one panel, in the same colours on every page; `note` says where they come from.
 * With one function's `timeout`, its timeout line (lib/core/charts/timeout-line.ts).
 */
export function DurationPercentilesPanel({
  id,
  bucket,
  p50,
  p90,
  p99,
  note,
  timeout = null,
  markers,
  drill,
  previous = null,
}: {
  id: string;
  bucket: RangeBucket;
  p50: readonly SeriesPoint[];
  p90: readonly SeriesPoint[];
  p99: readonly SeriesPoint[];
  note?: string;
  timeout?: Seconds | null;
  markers?: readonly ChartMarker[];
  drill?: string;
  /** The same percentiles over the earlier period (`?compare=`), drawn dashed. */
  previous?: {
    shift: CompareShift;
    p50: readonly SeriesPoint[];
    p90: readonly SeriesPoint[];
    p99: readonly SeriesPoint[];
  } | null;
}) {
  return (
    <ChartPanel
      {...timeoutProps(timeoutLine(timeout, [p50, p90, p99]))}
      title={note ? `Duration p50 / p90 / p99 (${note})` : "Duration p50 / p90 / p99"}
      chartTitle="Duration percentiles"
      id={id}
      unit="ms"
      bucket={bucket}
      markers={markers}
      drill={drill}
      lines={withPrevious(
        [
          { key: "p50", label: "p50", color: "#009E73", points: p50 },
          { key: "p90", label: "p90", color: "#E69F00", points: p90 },
          { key: "p99", label: "p99", color: "#D55E00", points: p99 },
        ],
        previous && {
          shift: previous.shift,
          earlier: (key) => (key === "p50" || key === "p90" || key === "p99" ? previous[key] : undefined),
        },
      )}
    />
  );
}

export function Stat({
  label,
  value,
  testId,
  hint,
  title,
}: {
  label: string;
  value: string;
  testId: string;
  hint?: string;
  /** Shown on hover over the value (what an estimate lacks). */
  title?: string;
}) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
      <p className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</p>
      <p className="mt-1 text-xl font-semibold tabular-nums" data-testid={testId} title={title}>
        {value}
      </p>
      {hint ? <p className="mt-0.5 text-xs text-zinc-500">{hint}</p> : null}
    </div>
  );
}

export interface SourceFailure {
  /** Said before the region when several accounts are read (Degraded's `showAccount`). */
  account?: string;
  region?: string;
  source: string;
  error: { code: string; message: string };
}

/** One source failed: say which, why (coded), and that the rest of the page is unaffected. */
export function Degraded({
  failures,
  showAccount = false,
}: {
  failures: readonly SourceFailure[];
  /** Name each failure's account too (when the console reads several). */
  showAccount?: boolean;
}) {
  if (failures.length === 0) return null;
  const where = (f: SourceFailure) =>
    [showAccount ? f.account : undefined, f.region].filter(Boolean).join(" ");
  return (
    <div className="space-y-2" data-testid="degraded">
      {failures.map((f, i) => (
        <Notice
          key={`${f.account ?? ""}-${f.region ?? ""}-${f.source}-${i}`}
          tone="warn"
          title={`${where(f) ? `${where(f)}: ` : ""}${f.source} unavailable (${f.error.code})`}
        >
          <p className="break-words font-mono text-xs">{f.error.message}</p>
        </Notice>
      ))}
    </div>
  );
}

export function PanelSkeleton({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Panel title={title}>
      <div aria-busy="true" className="h-40 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800">
        <span className="sr-only">Loading {title}…</span>
        {children}
      </div>
    </Panel>
  );
}
