/**
 * A small SVG time-series chart for prepared series (lib/core/charts): lines break at gaps (null points), never
 * drop to zero; an optional dashed reference line (a limit). A slot the window cuts (its first or last, when the
 * period does not divide the range) holds part of a period: it is drawn dotted and faint, as incomplete, rather
 * than as a drop. Rendered on the server: no client JavaScript.
 */
import type { ChartUnit } from "@/lib/core/charts/metrics";
import { splitPartial } from "@/lib/core/charts/partial";
import type { SeriesPoint } from "@/lib/core/charts/series";
import { niceTicks, timeTicks } from "@/lib/core/charts/ticks";
import { formatChartValue } from "@/lib/core/charts/value-format";

export interface ChartLine {
  key: string;
  label: string;
  color: string;
  points: readonly SeriesPoint[];
  dashed?: boolean;
}

const W = 560;
const H = 180;
const PAD = { left: 52, right: 8, top: 8, bottom: 22 };

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

export function TimeChart({
  title,
  unit,
  lines,
  start,
  end,
  reference,
  yMax,
}: {
  title: string;
  unit: ChartUnit;
  lines: readonly ChartLine[];
  start: number;
  end: number;
  reference?: { label: string; value: number };
  /** The least top of the y axis (room above a reference line for its label). */
  yMax?: number;
}) {
  let max = Math.max(reference?.value ?? 0, yMax ?? 0);
  for (const l of lines) for (const p of l.points) if (p.v !== null && p.v > max) max = p.v;
  const scale = niceTicks(0, max, 4);
  const span = Math.max(1, end - start);
  // A first slot that starts before the window is drawn at the window's start.
  const x = (t: number) => PAD.left + ((Math.max(t, start) - start) / span) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / (scale.max || 1)) * (H - PAD.top - PAD.bottom);
  const xt = timeTicks(start as never, end as never, 6);
  const empty = lines.every((l) => l.points.every((p) => p.v === null));
  return (
    <figure aria-label={title} className="space-y-1">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title} chart`} className="h-auto w-full">
        {scale.ticks.map((v) => (
          <g key={`y${v}`}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(v)}
              y2={y(v)}
              className="stroke-zinc-200 dark:stroke-zinc-800"
            />
            <text x={PAD.left - 4} y={y(v) + 3} textAnchor="end" className="fill-zinc-500 text-[9px]">
              {formatChartValue(unit, v)}
            </text>
          </g>
        ))}
        {xt.ticks.map((t) => (
          <text key={`x${t}`} x={x(t)} y={H - 6} textAnchor="middle" className="fill-zinc-500 text-[9px]">
            {timeLabel(t, xt.step)}
          </text>
        ))}
        {reference ? (
          <g data-testid="reference-line" data-value={reference.value} data-label={reference.label}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(reference.value)}
              y2={y(reference.value)}
              strokeDasharray="4 3"
              className="stroke-red-500"
            />
            <text
              x={W - PAD.right}
              y={y(reference.value) - 3}
              textAnchor="end"
              className="fill-red-600 text-[9px]"
            >
              {reference.label}
            </text>
          </g>
        ) : null}
        {lines.map((l) => {
          const step = stepOf(l.points);
          const cut = (t: number) => step !== null && (t < start || t + step > end);
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
      </svg>
      {lines.length > 1 ? (
        <figcaption className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-300">
          {lines.map((l) => (
            <span key={l.key} className="inline-flex items-center gap-1">
              <span aria-hidden className="inline-block h-0.5 w-3" style={{ backgroundColor: l.color }} />
              {l.label}
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
}
