"use client";

import { useMemo, useRef, useState, type PointerEvent } from "react";
import { minimapLines } from "@/lib/core/traces/layout";
import type { WaterfallTree } from "@/lib/core/traces/types";
import { STATUS_BAR } from "./span-format";

const LINES = 80;

/**
 * The whole trace in a strip: drag across it to zoom the waterfall into that slice of time. Draws at most
 * LINES elements whatever the trace's size.
 */
export function Minimap({
  tree,
  zoom,
  onZoom,
}: {
  tree: WaterfallTree;
  zoom: readonly [number, number];
  onZoom: (a: number, b: number) => void;
}) {
  const lines = useMemo(() => minimapLines(tree, LINES), [tree]);
  const ref = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const at = (e: PointerEvent) => {
    const box = ref.current?.getBoundingClientRect();
    return box && box.width > 0 ? Math.min(1, Math.max(0, (e.clientX - box.left) / box.width)) : 0;
  };
  const shown = drag ? [Math.min(drag.a, drag.b), Math.max(drag.a, drag.b)] : zoom;
  return (
    <div
      ref={ref}
      role="slider"
      aria-label="Trace minimap: drag to zoom"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round((shown[0] ?? 0) * 100)}
      tabIndex={0}
      data-testid="trace-minimap"
      className="relative h-14 cursor-crosshair select-none overflow-hidden rounded border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        const x = at(e);
        setDrag({ a: x, b: x });
      }}
      onPointerMove={(e) => drag && setDrag({ a: drag.a, b: at(e) })}
      onPointerUp={() => {
        if (drag && Math.abs(drag.b - drag.a) > 0.002) onZoom(drag.a, drag.b);
        setDrag(null);
      }}
    >
      {lines.map((l, i) => (
        <div
          key={i}
          className={`absolute ${STATUS_BAR[l.status]} opacity-70`}
          style={{
            top: `${(i / lines.length) * 100}%`,
            height: `${Math.max(100 / lines.length, 1)}%`,
            left: `${l.start * 100}%`,
            width: `max(${(l.end - l.start) * 100}%, 1px)`,
          }}
        />
      ))}
      <div
        aria-hidden
        className="absolute inset-y-0 border-x-2 border-sky-600 bg-sky-500/10"
        style={{ left: `${(shown[0] ?? 0) * 100}%`, width: `${((shown[1] ?? 1) - (shown[0] ?? 0)) * 100}%` }}
      />
    </div>
  );
}
