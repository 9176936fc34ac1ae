/**
 * Stable vs new version side by side over the window: error rate and p99 per minute, each chart titled. The
 * window is the alias page's fixed verdict window, not the URL's range: the charts hover, they do not zoom.
 */
import { TimeChart, type ChartLine } from "@/components/charts/time-chart";
import type { ChartMarker } from "@/lib/core/charts/deploy-markers";
import type { VersionCharts as Charts, VersionLine } from "@/lib/core/traffic/version-charts";

const COLOR: Record<VersionLine["role"], string> = { stable: "#0369a1", new: "#ea580c" };

const toLines = (lines: readonly VersionLine[]): ChartLine[] =>
  lines.map((l) => ({
    key: l.version,
    label: `v${l.version} (${l.role})`,
    color: COLOR[l.role],
    points: l.points,
  }));

export function VersionCharts({
  charts,
  start,
  end,
  markers,
}: {
  charts: Charts;
  start: number;
  end: number;
  /** The function's deployment markers (its versions, alias changes, configuration). */
  markers?: readonly ChartMarker[];
}) {
  return (
    <div className="grid gap-4 md:grid-cols-2" data-testid="version-charts">
      <TimeChart
        title="Error rate per version"
        unit="ratio"
        lines={toLines(charts.errorRate)}
        start={start}
        end={end}
        markers={markers}
        zoomable={false}
      />
      <TimeChart
        title="p99 duration per version"
        unit="ms"
        lines={toLines(charts.p99)}
        start={start}
        end={end}
        markers={markers}
        zoomable={false}
      />
    </div>
  );
}
