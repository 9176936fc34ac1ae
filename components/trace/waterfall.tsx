"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { formatDuration } from "@/lib/core/format";
import { layoutTrace, zoomWindow, type Row } from "@/lib/core/traces/layout";
import type { WaterfallTree } from "@/lib/core/traces/types";
import { fromWaterfallData, type WaterfallData } from "@/lib/core/traces/waterfall-data";
import { ms } from "@/lib/core/units";
import { Minimap } from "./minimap";
import { SpanDetails } from "./span-details";
import { formatSpanMs, STATUS_BAR, STATUS_LABEL } from "./span-format";

const ROW_HEIGHT = 28;
const MINIMAP_FROM_ROWS = 30;

/** The span to open first: the first one carrying an exception, else the Initialization phase, else the root. */
function initialSelection(tree: WaterfallTree): number {
  const withException = tree.spans.findIndex((s) => s.exceptions.length > 0);
  if (withException !== -1) return withException;
  const init = tree.spans.findIndex((s) => s.phase === "Initialization");
  return init !== -1 ? init : 0;
}

/**
 * Where a key moves in the visible rows (WAI-ARIA tree pattern): a number is the row to select, "toggle" flips
 * the current row's collapse, null leaves the key to the browser.
 */
function treeKey(key: string, rows: readonly Row[], at: number): number | "toggle" | null {
  const row = rows[at];
  if (!row) return null;
  switch (key) {
    case "ArrowDown":
      return Math.min(at + 1, rows.length - 1);
    case "ArrowUp":
      return Math.max(at - 1, 0);
    case "Home":
      return 0;
    case "End":
      return rows.length - 1;
    case "ArrowRight":
      // Closed: open it; open: go to its first child; a leaf: stay.
      return row.hasChildren ? (row.collapsed ? "toggle" : at + 1) : at;
    case "ArrowLeft": {
      if (row.hasChildren && !row.collapsed) return "toggle";
      for (let i = at - 1; i >= 0; i--) if ((rows[i] as Row).depth < row.depth) return i;
      return at;
    }
    case "Enter":
    case " ":
      return row.hasChildren ? "toggle" : at;
    default:
      return null;
  }
}

/**
 * The row the keyboard stands on: the selected span's, or, when a collapse hid it, its collapsed ancestor (in
 * depth-first order, the last visible row before it).
 */
function keyboardRow(rows: readonly Row[], selected: number): number {
  let before = 0;
  for (let i = 0; i < rows.length; i++) {
    const index = (rows[i] as Row).index;
    if (index === selected) return i;
    if (index < selected) before = i;
  }
  return before;
}

/**
 * The X-Ray waterfall. The tree, its critical path and every row's [start, end] come from lib/core/traces: the
 * server parses the documents and sends `data` (toWaterfallData), so the browser only decodes it, lays out
 * rows (linear, cheap) and renders the rows in view (virtualized): first-paint work does not grow with the trace.
 *
 * Keyboard: the tree is one tab stop; arrows move the selection (and the details panel with it), Right/Left
 * expand/collapse, Enter or Space toggles. Focus stays on the tree and names the selected row through
 * aria-activedescendant, because a virtualized row may not exist in the DOM until it is scrolled to.
 */
export function Waterfall({ data }: { data: WaterfallData }) {
  const { tree, critical } = useMemo(() => fromWaterfallData(data), [data]);
  return <WaterfallView tree={tree} critical={critical} />;
}

export function WaterfallView({ tree, critical }: { tree: WaterfallTree; critical: Uint8Array }) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [zoom, setZoom] = useState<readonly [number, number]>([0, 1]);
  const [selected, setSelected] = useState(() => initialSelection(tree));
  const window = useMemo(() => zoomWindow(tree, zoom[0], zoom[1]), [tree, zoom]);
  const { rows } = useMemo(
    () => layoutTrace(tree, { window, collapsed, critical }),
    [tree, window, collapsed, critical],
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  const rowIdPrefix = useId();
  const rowId = (index: number) => `${rowIdPrefix}-span-${index}`;
  const cursor = keyboardRow(rows, selected);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is designed for this use.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    // Server render and first paint: one screenful, never all 10,000 rows.
    initialRect: { width: 1200, height: 560 },
  });

  const toggle = (id: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const onTreeKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = cursor;
    const move = treeKey(e.key, rows, at);
    if (move === null) return;
    e.preventDefault();
    const row = rows[at] as Row;
    if (move === "toggle") {
      setSelected(row.index);
      toggle(tree.spans[row.index]?.id ?? "");
      return;
    }
    setSelected((rows[move] as Row).index);
    virtualizer.scrollToIndex(move);
  };

  const zoomToSpan = (index: number) => {
    const s = tree.spans[index];
    const total = tree.end - tree.start;
    if (!s || total <= 0) return;
    setZoom([(s.start - tree.start) / total, (s.end - tree.start) / total]);
  };

  const windowMs = window.to - window.from;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const zoomed = zoom[0] > 0 || zoom[1] < 1;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span className="tabular-nums text-zinc-600 dark:text-zinc-300" data-testid="trace-span-count">
          {tree.spans.length.toLocaleString("en-US")} spans · {formatDuration(ms(tree.end - tree.start))}
        </span>
        <button
          type="button"
          className="rounded border border-zinc-300 px-2 py-0.5 disabled:opacity-40 dark:border-zinc-700"
          onClick={() => setZoom([0, 1])}
          disabled={!zoomed}
        >
          Reset zoom
        </button>
        <button
          type="button"
          className="rounded border border-zinc-300 px-2 py-0.5 dark:border-zinc-700"
          onClick={() => setCollapsed(new Set())}
        >
          Expand all
        </button>
        <span className="flex items-center gap-1 text-xs text-zinc-500">
          <span className="inline-block h-2 w-4 rounded-sm bg-sky-500 ring-2 ring-amber-400" /> critical path
        </span>
      </div>
      {tree.spans.length >= MINIMAP_FROM_ROWS ? (
        <Minimap tree={tree} zoom={zoom} onZoom={(a, b) => setZoom([Math.min(a, b), Math.max(a, b)])} />
      ) : null}
      <div className="grid gap-3 xl:grid-cols-[minmax(0,1fr)_26rem]">
        <div className="rounded-lg border border-zinc-200 dark:border-zinc-800">
          <div className="grid grid-cols-[20rem_minmax(0,1fr)] border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800">
            <div className="px-2 py-1">Span</div>
            <div className="relative h-6">
              {ticks.map((t) => (
                <span
                  key={t}
                  className="absolute top-1 -translate-x-1/2 tabular-nums first:translate-x-0 last:-translate-x-full"
                  style={{ left: `${t * 100}%` }}
                >
                  {formatDuration(ms(window.from - tree.start + t * windowMs))}
                </span>
              ))}
            </div>
          </div>
          <div
            ref={scrollRef}
            role="tree"
            aria-label="Trace waterfall"
            aria-activedescendant={rows[cursor] ? rowId(rows[cursor].index) : undefined}
            tabIndex={0}
            onKeyDown={onTreeKey}
            data-testid="trace-waterfall"
            className="h-[560px] overflow-auto focus-visible:outline-2 focus-visible:outline-sky-500"
          >
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = rows[item.index] as Row;
                return (
                  <SpanRow
                    key={tree.spans[row.index]?.id ?? item.index}
                    id={rowId(row.index)}
                    tree={tree}
                    row={row}
                    top={item.start}
                    selected={selected === row.index}
                    onSelect={() => setSelected(row.index)}
                    onToggle={() => toggle(tree.spans[row.index]?.id ?? "")}
                  />
                );
              })}
            </div>
          </div>
        </div>
        <SpanDetails tree={tree} index={selected} onZoom={() => zoomToSpan(selected)} />
      </div>
    </div>
  );
}

function SpanRow({
  id,
  tree,
  row,
  top,
  selected,
  onSelect,
  onToggle,
}: {
  id: string;
  tree: WaterfallTree;
  row: Row;
  top: number;
  selected: boolean;
  onSelect: () => void;
  onToggle: () => void;
}) {
  const s = tree.spans[row.index];
  if (!s) return null;
  const label = s.phase ?? s.name;
  const duration = s.endMissing ? "end unknown" : formatSpanMs(s.duration);
  // What a screen reader says for the row (its visible text also holds the toggle's label).
  const name = [label, s.origin, duration, row.status !== "ok" ? STATUS_LABEL[row.status] : null]
    .filter(Boolean)
    .join(", ");
  return (
    <div
      id={id}
      role="treeitem"
      aria-label={name}
      aria-level={row.depth + 1}
      aria-expanded={row.hasChildren ? !row.collapsed : undefined}
      aria-selected={selected}
      data-span-name={s.name}
      data-phase={s.phase ?? undefined}
      data-status={row.status}
      data-critical={row.critical ? "true" : undefined}
      className={`absolute inset-x-0 grid grid-cols-[20rem_minmax(0,1fr)] items-center text-xs ${
        selected ? "bg-sky-50 dark:bg-sky-950/40" : "hover:bg-zinc-50 dark:hover:bg-zinc-900"
      }`}
      style={{ top, height: ROW_HEIGHT }}
      onClick={onSelect}
    >
      <div
        className="flex min-w-0 items-center gap-1 pr-2"
        style={{ paddingLeft: 4 + Math.min(row.depth, 24) * 12 }}
      >
        {row.hasChildren ? (
          <button
            type="button"
            // The tree is the tab stop (arrow keys); the button serves the pointer and leaves focus on the
            // tree, so Enter or Space is handled once, by the tree.
            tabIndex={-1}
            onMouseDown={(e) => e.preventDefault()}
            aria-label={row.collapsed ? `Expand ${label}` : `Collapse ${label}`}
            className="w-4 shrink-0 text-zinc-500"
            onClick={(e) => {
              e.stopPropagation();
              onToggle();
            }}
          >
            {row.collapsed ? "▸" : "▾"}
          </button>
        ) : (
          <span className="w-4 shrink-0" />
        )}
        <span className="truncate font-medium" title={s.name}>
          {label}
        </span>
        {s.origin ? <span className="truncate text-zinc-400">{s.origin}</span> : null}
        {row.status !== "ok" ? (
          <span className="shrink-0 rounded bg-red-100 px-1 text-[10px] text-red-800 dark:bg-red-950 dark:text-red-200">
            {STATUS_LABEL[row.status]}
          </span>
        ) : null}
      </div>
      <div className="relative h-full">
        <div
          className={`absolute top-1.5 h-3 rounded-sm ${STATUS_BAR[row.status]} ${
            row.critical ? "ring-2 ring-amber-400" : ""
          } ${row.outside ? "opacity-20" : ""} ${s.endMissing ? "bg-[repeating-linear-gradient(45deg,transparent,transparent_3px,rgba(0,0,0,.25)_3px,rgba(0,0,0,.25)_6px)]" : ""}`}
          style={{ left: `${row.start * 100}%`, width: `max(${(row.end - row.start) * 100}%, 2px)` }}
        />
        <span
          className="absolute top-1 whitespace-nowrap pl-1 tabular-nums text-zinc-600 dark:text-zinc-300"
          style={
            row.end < 0.8
              ? { left: `${row.end * 100}%` }
              : { right: `${(1 - row.start) * 100}%`, paddingRight: 4 }
          }
          data-testid="span-duration"
        >
          {duration}
        </span>
      </div>
    </div>
  );
}
