/**
 * A small SVG time-series chart for prepared series (lib/core/charts), drawn on the server; a small client layer
 * (chart-interaction.tsx) adds the page-synchronized crosshair and readout, drag to zoom, click to drill in and
 * keyboard control.
 *
 * Invariants:
 * - Lines break at gaps (null points), never drop to zero; bars (`style: "bars"`) leave a gap empty. A slot the
 *   window cuts (its first or last, when the period does not divide the range) holds part of a period: it is
 *   drawn dotted and faint, as incomplete, rather than as a drop.
 * - One unit per y axis, integer ticks on count axes (lib/core/charts/axis.ts); x labels never leave the box.
 * - Every chart shows its title (pass `titleHidden` only when a panel heading right above already shows it).
 * - Deployment markers inside the window are drawn as a thin vertical line with a glyph per kind at the top
 *   (data-testid="deploy-marker"); a grouped marker shows its count.
 */
import { axisScale, tickAnchor } from "@/lib/core/charts/axis";
import type { ChartMarker, DeployMarkerKind } from "@/lib/core/charts/deploy-markers";
import type { HoverSeries } from "@/lib/core/charts/hover";
import type { ChartUnit } from "@/lib/core/charts/metrics";
import { splitPartial } from "@/lib/core/charts/partial";
import type { SeriesPoint } from "@/lib/core/charts/series";
import { timeTicks } from "@/lib/core/charts/ticks";
import { ChartInteraction, type PlotFrame } from "./chart-interaction";

export interface ChartLine {
  key: string;
  label: string;
  color: string;
  points: readonly SeriesPoint[];
  /** A previous-period or reference series. */
  dashed?: boolean;
  /** "bars" for sparse counts (throttles): one bar per slot reads better than a line through zeros. */
  style?: "line" | "bars";
}

const W = 560;
const H = 180;
const PAD = { left: 52, right: 8, top: 8, bottom: 22 };
/** Room above the plot for the markers' glyphs. */
const MARKER_BAND = 12;
/** Half the width of an `HH:mm` label at 9px, in viewBox units. */
const LABEL_HALF_WIDTH = 14;

const timeLabel = (t: number, step: number) => {
  const iso = new Date(t).toISOString();
  return step >= 86_400_000 ? iso.slice(5, 10) : iso.slice(11, 16);
};

/** SVG path segments for one line: a new `M` after every gap. */
function pathOf(points: readonly SeriesPoint[], x: (t: number) => number, y: (v: number) => number): string {
  let d = "";
  let pen = false;
  for (const p of points) {
    if (p.v === null) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** The grid step of a prepared series (its points are evenly spaced); null with fewer than two points. */
const stepOf = (points: readonly SeriesPoint[]): number | null => {
  const [a, b] = points;
  return a && b ? b.t - a.t : null;
};

/** A zero-length stroke with round caps: a dot for a lone point. */
const dotOf = (p: SeriesPoint | undefined, x: (t: number) => number, y: (v: number) => number): string =>
  p && p.v !== null ? `M${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}h0` : "";

/** The lines' shared grid and each line's value per slot (a slot a line lacks reads as a gap). */
function hoverData(lines: readonly ChartLine[]): { grid: number[]; series: HoverSeries[] } {
  const grid = [...new Set(lines.flatMap((l) => l.points.map((p) => p.t as number)))].sort((a, b) => a - b);
  const series = lines.map((l) => {
    const byT = new Map(l.points.map((p) => [p.t as number, p.v]));
    return { key: l.key, label: l.label, color: l.color, values: grid.map((t) => byT.get(t) ?? null) };
  });
  return { grid, series };
}

const GLYPH: Record<DeployMarkerKind, string> = {
  version: "M0,-4 L4,0 L0,4 L-4,0 Z", // diamond: a published version
  alias: "M-4,-3 L4,-3 L0,4 Z", // triangle: an alias moved
  config: "M-3.5,-3.5 h7 v7 h-7 Z", // square: a configuration change
};

function Markers({
  markers,
  x,
  frame,
  start,
  end,
}: {
  markers: readonly ChartMarker[];
  x: (t: number) => number;
  frame: PlotFrame;
  start: number;
  end: number;
}) {
  return (
    <g>
      {markers
        .filter((m) => m.t >= start && m.t <= end)
        .map((m) => {
          const mx = x(m.t);
          const when = `${new Date(m.t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
          const body = (
            <>
              <title>{`${m.label} · ${when}${m.detail ? `\n${m.detail}` : ""}`}</title>
              <line
                x1={mx}
                x2={mx}
                y1={frame.top - MARKER_BAND / 2}
                y2={frame.height - frame.bottom}
                strokeWidth={1}
                className="stroke-violet-500/70"
                pointerEvents="none"
              />
              <path
                d={GLYPH[m.kind]}
                transform={`translate(${mx},${frame.top - MARKER_BAND / 2})`}
                className="fill-violet-600"
              />
              {m.count > 1 ? (
                <text x={mx + 6} y={frame.top - MARKER_BAND / 2 + 3} className="fill-violet-700 text-[8px]">
                  {m.count}
                </text>
              ) : null}
            </>
          );
          return (
            <g
              key={`${m.kind}-${m.t}-${m.label}`}
              data-testid="deploy-marker"
              data-kind={m.kind}
              data-t={m.t}
              data-count={m.count}
            >
              {m.href ? <a href={m.href}>{body}</a> : body}
            </g>
          );
        })}
    </g>
  );
}

export function TimeChart({
  title,
  unit,
  lines,
  start,
  end,
  reference,
  yMax,
  markers = [],
  drill,
  zoomable = true,
  titleHidden = false,
}: {
  title: string;
  unit: ChartUnit;
  lines: readonly ChartLine[];
  start: number;
  end: number;
  reference?: { label: string; value: number };
  /** The least top of the y axis (room above a reference line for its label). */
  yMax?: number;
  /** Deployment markers (lib/core/charts/deploy-markers.ts). */
  markers?: readonly ChartMarker[];
  /** Where a click on a slot goes (page and query; the slot's range is added), e.g. a function's traces. */
  drill?: string;
  /** False on a chart whose window is not the URL's range (drag to zoom would change nothing it shows). */
  zoomable?: boolean;
  /** The panel heading right above already shows the title. */
  titleHidden?: boolean;
}) {
  const inWindow = markers.some((m) => m.t >= start && m.t <= end);
  const frame: PlotFrame = { width: W, height: H, ...PAD, top: PAD.top + (inWindow ? MARKER_BAND : 0) };
  let max = Math.max(reference?.value ?? 0, yMax ?? 0);
  for (const l of lines) for (const p of l.points) if (p.v !== null && p.v > max) max = p.v;
  const scale = axisScale(unit, max, 4);
  const span = Math.max(1, end - start);
  const plotWidth = W - frame.left - frame.right;
  // A first slot that starts before the window is drawn at the window's start.
  const x = (t: number) => frame.left + ((Math.max(t, start) - start) / span) * plotWidth;
  const y = (v: number) => H - frame.bottom - (v / (scale.max || 1)) * (H - frame.top - frame.bottom);
  const xt = timeTicks(start as never, end as never, 6);
  const empty = lines.every((l) => l.points.every((p) => p.v === null));
  const { grid, series } = hoverData(lines);
  const step = grid.length > 1 ? (grid[1] as number) - (grid[0] as number) : null;
  const bars = lines.filter((l) => l.style === "bars");
  return (
    <figure aria-label={title} className="space-y-1">
      {titleHidden ? null : (
        <figcaption className="text-xs font-medium text-zinc-700 dark:text-zinc-200">{title}</figcaption>
      )}
      <ChartInteraction
        title={title}
        unit={unit}
        frame={frame}
        start={start}
        end={end}
        grid={grid}
        step={step}
        series={series}
        drill={drill}
        zoomable={zoomable}
        overlay={
          inWindow ? <Markers markers={markers} x={x} frame={frame} start={start} end={end} /> : undefined
        }
      >
        {scale.ticks.map((v, i) => (
          <g key={`y${v}`}>
            <line
              x1={frame.left}
              x2={W - frame.right}
              y1={y(v)}
              y2={y(v)}
              className="stroke-zinc-200 dark:stroke-zinc-800"
            />
            <text x={frame.left - 4} y={y(v) + 3} textAnchor="end" className="fill-zinc-500 text-[9px]">
              {scale.labels[i]}
            </text>
          </g>
        ))}
        {xt.ticks.map((t) => (
          <text
            key={`x${t}`}
            x={x(t)}
            y={H - 6}
            textAnchor={tickAnchor(x(t), 0, W, LABEL_HALF_WIDTH)}
            className="fill-zinc-500 text-[9px]"
          >
            {timeLabel(t, xt.step)}
          </text>
        ))}
        {reference ? (
          <g data-testid="reference-line" data-value={reference.value} data-label={reference.label}>
            <line
              x1={frame.left}
              x2={W - frame.right}
              y1={y(reference.value)}
              y2={y(reference.value)}
              strokeDasharray="4 3"
              className="stroke-red-500"
            />
            <text
              x={W - frame.right}
              y={y(reference.value) - 3}
              textAnchor="end"
              className="fill-red-600 text-[9px]"
            >
              {reference.label}
            </text>
          </g>
        ) : null}
        {bars.map((l, bi) => {
          const s = stepOf(l.points);
          if (s === null) return null;
          // Bar series share a slot side by side; each bar is drawn over its whole slot.
          const slotWidth = (s / span) * plotWidth;
          const width = (slotWidth * 0.8) / bars.length;
          return (
            <g key={l.key} data-testid="chart-bars" data-key={l.key}>
              {l.points.map((p) =>
                p.v === null || p.v <= 0 ? null : (
                  <rect
                    key={p.t}
                    x={x(p.t) + slotWidth * 0.1 + bi * width}
                    y={y(p.v)}
                    width={Math.max(0.5, width)}
                    height={Math.max(0, y(0) - y(p.v))}
                    fill={l.color}
                    fillOpacity={p.t < start || p.t + s > end ? 0.35 : 0.85}
                  />
                ),
              )}
            </g>
          );
        })}
        {lines
          .filter((l) => l.style !== "bars")
          .map((l) => {
            const s = stepOf(l.points);
            const cut = (t: number) => s !== null && (t < start || t + s > end);
            const { whole, partial } = splitPartial(l.points, cut);
            return (
              <g key={l.key}>
                <path
                  d={pathOf(whole, x, y)}
                  fill="none"
                  stroke={l.color}
                  strokeWidth={1.5}
                  strokeDasharray={l.dashed ? "3 2" : undefined}
                />
                {partial.map((seg) => (
                  <path
                    key={`partial-${seg[seg.length - 1]?.t}`}
                    data-partial="true"
                    d={seg.length > 1 ? pathOf(seg, x, y) : dotOf(seg[0], x, y)}
                    fill="none"
                    stroke={l.color}
                    strokeWidth={1.5}
                    strokeOpacity={0.45}
                    strokeDasharray="1 3"
                    strokeLinecap="round"
                  >
                    <title>Partial period: only part of it lies inside the range</title>
                  </path>
                ))}
              </g>
            );
          })}
        {empty ? (
          <text x={W / 2} y={H / 2} textAnchor="middle" className="fill-zinc-400 text-[11px]">
            No data in this range
          </text>
        ) : null}
      </ChartInteraction>
      {lines.length > 1 ? (
        <div className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-300">
          {lines.map((l) => (
            <span key={l.key} className="inline-flex items-center gap-1">
              <span
                aria-hidden
                className={l.style === "bars" ? "inline-block h-2 w-2" : "inline-block h-0.5 w-3"}
                style={
                  l.dashed
                    ? {
                        backgroundImage: `repeating-linear-gradient(90deg, ${l.color} 0 3px, transparent 3px 5px)`,
                      }
                    : { backgroundColor: l.color }
                }
              />
              {l.label}
            </span>
          ))}
        </div>
      ) : null}
    </figure>
  );
}
