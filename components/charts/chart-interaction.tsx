"use client";
/**
 * The client layer of a TimeChart: crosshair and readout, drag to zoom, click to drill in, keyboard. The chart's
 * drawing stays server-rendered (passed in as `children`); this layer adds a transparent pointer surface over the
 * plot and draws only the crosshair, the drag selection and the readout.
 *
 * Invariants:
 * - The crosshair is the page's (crosshair-store): every chart of the page draws it at the same time; only the
 *   chart under the pointer or keyboard shows the readout.
 * - The readout names every series; a gap reads "no data", never 0.
 * - A drag across ≥ 2 slots sets the URL's range (withRange) and navigates; Escape cancels it. A click (or Enter)
 *   opens `drill` for the slot's minute, or without `drill` zooms the page to that slot.
 * - Props are plain data: the server renders the chart and passes them across.
 *
 * Fleet charts pass no `drill`: a fleet point sums every function of every region, so no one trace list answers
 * "what happened here"; zooming the fleet page to that slot does, its table then ranks the functions of that
 * minute, each one click from its own page and traces.
 */
import { usePathname, useRouter } from "next/navigation";
import {
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
} from "react";
import type { ChartUnit } from "@/lib/core/charts/metrics";
import { moveSlot, nearestSlot, valuesAt, type HoverSeries } from "@/lib/core/charts/hover";
import { formatChartValue } from "@/lib/core/charts/value-format";
import { slotRange, zoomRange } from "@/lib/core/charts/zoom";
import type { RangeSpec } from "@/lib/core/time/range";
import { withRange } from "@/lib/url/shell";
import { clearCrosshair, setCrosshair, useCrosshair } from "./crosshair-store";

export interface PlotFrame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface ChartInteractionProps {
  title: string;
  unit: ChartUnit;
  frame: PlotFrame;
  start: number;
  end: number;
  /** Slot starts (epoch ms), ascending; every series has one value per slot. */
  grid: readonly number[];
  /** Grid step in ms; null with fewer than two slots (no zoom then). */
  step: number | null;
  series: readonly HoverSeries[];
  /** A page and query (e.g. `/traces?region=…&fn=…`) a click opens with the clicked slot as its range. */
  drill?: string;
  /** False where the page's range is not the URL's (a fixed window): no drag to zoom, no zoom on click. */
  zoomable?: boolean;
  /** The server-drawn plot. */
  children: ReactNode;
  /** Drawn above the pointer surface (deployment markers keep their tooltips and links). */
  overlay?: ReactNode;
}

const NO_VALUE = "no data";

const timeText = (t: number, span: number) => {
  const iso = new Date(t).toISOString();
  return span > 86_400_000 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : `${iso.slice(11, 16)} UTC`;
};

export function ChartInteraction(props: ChartInteractionProps) {
  const {
    title,
    unit,
    frame,
    start,
    end,
    grid,
    step,
    series,
    drill,
    zoomable = true,
    children,
    overlay,
  } = props;
  const id = useId();
  const router = useRouter();
  const pathname = usePathname();
  const svg = useRef<SVGSVGElement>(null);
  const crosshair = useCrosshair();
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  // A chart that leaves the page (navigation) takes its crosshair with it.
  useEffect(() => () => clearCrosshair(id), [id]);
  const span = Math.max(1, end - start);
  const plotWidth = frame.width - frame.left - frame.right;
  const x = (t: number) => frame.left + ((Math.max(t, start) - start) / span) * plotWidth;

  /** The time under a pointer, from its position over the (scaled) SVG. */
  const timeAt = (clientX: number): number => {
    const box = svg.current?.getBoundingClientRect();
    const width = box && box.width > 0 ? box.width : frame.width;
    const vx = ((clientX - (box?.left ?? 0)) / width) * frame.width;
    const f = Math.max(0, Math.min(1, (vx - frame.left) / plotWidth));
    return start + f * span;
  };
  const hover = (t: number) => {
    const i = nearestSlot(grid, step === null ? t : t - step / 2);
    if (i >= 0) setCrosshair({ t: grid[i] as number, source: id });
  };
  const go = (path: string, spec: RangeSpec) => {
    const [page = pathname, query = ""] = path.split("?", 2);
    router.push(`${page}${withRange(query, spec)}`, { scroll: false });
  };
  const openSlot = (t: number) => {
    if (step === null || (drill === undefined && !zoomable)) return;
    const spec = slotRange({ start, end, step }, t);
    go(drill ?? `${pathname}${window.location.search}`, spec);
  };

  const onPointerDown = (e: PointerEvent<SVGRectElement>) => {
    if (e.button !== 0 || (!zoomable && drill === undefined)) return;
    e.currentTarget.setPointerCapture?.(e.pointerId);
    const t = timeAt(e.clientX);
    setDrag({ from: t, to: t });
  };
  const onPointerMove = (e: PointerEvent<SVGRectElement>) => {
    const t = timeAt(e.clientX);
    hover(t);
    if (drag) setDrag({ from: drag.from, to: t });
  };
  const onPointerUp = (e: PointerEvent<SVGRectElement>) => {
    if (!drag) return;
    const t = timeAt(e.clientX);
    setDrag(null);
    const zoom = step === null || !zoomable ? null : zoomRange({ start, end, step }, drag.from, t);
    if (zoom) go(`${pathname}${window.location.search}`, zoom);
    else openSlot(t);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const here = crosshair?.source === id ? grid.indexOf(crosshair.t) : -1;
    const moves: Record<string, number> = {
      ArrowLeft: -1,
      ArrowRight: 1,
      Home: -grid.length,
      End: grid.length,
    };
    const delta = moves[e.key];
    if (delta !== undefined) {
      e.preventDefault();
      const i = moveSlot(grid.length, here, delta);
      if (i >= 0) setCrosshair({ t: grid[i] as number, source: id });
    } else if (e.key === "Escape") {
      setDrag(null);
      clearCrosshair(id);
    } else if (e.key === "Enter" && here >= 0) {
      openSlot(grid[here] as number);
    }
  };

  const shown =
    crosshair !== null && crosshair.t >= start - (step ?? 0) && crosshair.t < end ? crosshair : null;
  const index = shown ? grid.indexOf(shown.t) : -1;
  const mine = shown?.source === id && index >= 0;
  const cx = shown ? x(shown.t) : 0;
  const dragBox = drag
    ? { x: x(Math.min(drag.from, drag.to)), w: Math.abs(x(drag.to) - x(drag.from)) }
    : null;
  return (
    <div
      className="relative rounded outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
      tabIndex={0}
      role="group"
      aria-label={`${title}: arrow keys move the crosshair${drill || zoomable ? ", Enter opens that minute" : ""}${zoomable ? ", drag to zoom" : ""}`}
      onKeyDown={onKeyDown}
      onBlur={() => clearCrosshair(id)}
    >
      <svg
        ref={svg}
        viewBox={`0 0 ${frame.width} ${frame.height}`}
        role="img"
        aria-label={`${title} chart`}
        className="h-auto w-full touch-pan-y select-none"
      >
        {children}
        {dragBox ? (
          <rect
            data-testid="zoom-selection"
            x={dragBox.x}
            width={dragBox.w}
            y={frame.top}
            height={frame.height - frame.top - frame.bottom}
            className="fill-sky-500/15 stroke-sky-500"
          />
        ) : null}
        {shown ? (
          <line
            data-testid="crosshair"
            data-t={shown.t}
            x1={cx}
            x2={cx}
            y1={frame.top}
            y2={frame.height - frame.bottom}
            className="stroke-zinc-500"
            strokeDasharray="2 2"
            pointerEvents="none"
          />
        ) : null}
        <rect
          data-testid="chart-surface"
          x={frame.left}
          y={frame.top}
          width={plotWidth}
          height={frame.height - frame.top - frame.bottom}
          fill="transparent"
          className={drill ? "cursor-pointer" : "cursor-crosshair"}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerLeave={() => {
            if (!drag) clearCrosshair(id);
          }}
        />
        {overlay}
      </svg>
      {mine && shown ? (
        <div
          role="status"
          data-testid="chart-readout"
          data-t={shown.t}
          className={`pointer-events-none absolute top-1 z-10 rounded border border-zinc-200 bg-white/95 px-2 py-1 text-xs shadow-sm dark:border-zinc-700 dark:bg-zinc-900/95 ${
            cx > frame.width / 2 ? "left-14" : "right-2"
          }`}
        >
          <p className="font-medium tabular-nums">{timeText(shown.t, span)}</p>
          <ul>
            {valuesAt(series, index).map((v) => (
              <li key={v.key} className="flex items-center gap-1 tabular-nums">
                <span
                  aria-hidden
                  className="inline-block h-2 w-2 rounded-full"
                  style={{ backgroundColor: v.color }}
                />
                <span>{v.label}:</span>
                <span data-testid="readout-value" data-key={v.key}>
                  {v.value === null ? NO_VALUE : formatChartValue(unit, v.value)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
