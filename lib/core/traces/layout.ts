/**
 * The waterfall layout: which spans are rows (collapsed subtrees hidden) and where each bar sits, as
 * [start, end] fractions of the view window. The component only positions bars by these percentages.
 *
 * Invariants:
 * - Rows follow the tree's depth-first order; a collapsed span is a row, its descendants are not.
 * - 0 ≤ start ≤ end ≤ 1 for every row; a span reaching outside the window is clipped and flagged, a span
 *   entirely outside it has start = end at the nearer edge and `outside: true` (it keeps its row, so zooming
 *   never reshuffles the tree).
 * - Linear in the number of spans, no recursion: one pass over the depth-first order, skipping the spans
 *   deeper than a collapsed ancestor. Needs only spans and depths (WaterfallTree), what the client receives.
 */
import { ratio, type EpochMs, type Ratio } from "../units";
import type { WaterfallTree } from "./types";

export interface ViewWindow {
  from: EpochMs;
  to: EpochMs;
}

export type SpanStatus = "ok" | "error" | "fault" | "throttle";

export interface Row {
  /** Index of the span in `tree.spans`. */
  index: number;
  depth: number;
  start: Ratio;
  end: Ratio;
  clippedLeft: boolean;
  clippedRight: boolean;
  outside: boolean;
  hasChildren: boolean;
  collapsed: boolean;
  critical: boolean;
  status: SpanStatus;
}

export interface LayoutOptions {
  /** Absolute window to show; the whole trace when absent. */
  window?: ViewWindow;
  /** Ids of collapsed spans. */
  collapsed?: ReadonlySet<string>;
  /** From criticalPath(); no span is critical when absent. */
  critical?: Uint8Array;
}

export interface Layout {
  rows: Row[];
  window: ViewWindow;
}

export function layoutTrace(tree: WaterfallTree, options: LayoutOptions = {}): Layout {
  const window = options.window ?? { from: tree.start, to: tree.end };
  const span = Math.max(window.to - window.from, Number.EPSILON);
  const collapsed = options.collapsed;
  const n = tree.spans.length;
  const rows: Row[] = [];
  let skipDeeperThan = Infinity;
  for (let i = 0; i < n; i++) {
    const depth = tree.depth[i] as number;
    if (depth > skipDeeperThan) continue;
    skipDeeperThan = Infinity;
    const s = tree.spans[i]!;
    // Depth-first order: a span has children exactly when the next span is deeper.
    const hasChildren = i + 1 < n && (tree.depth[i + 1] as number) > depth;
    const isCollapsed = hasChildren && collapsed !== undefined && collapsed.size > 0 && collapsed.has(s.id);
    if (isCollapsed) skipDeeperThan = depth;
    const a = (s.start - window.from) / span;
    const b = (s.end - window.from) / span;
    rows.push({
      index: i,
      depth,
      start: ratio(clamp01(a)),
      end: ratio(clamp01(b)),
      clippedLeft: a < 0,
      clippedRight: b > 1,
      outside: b < 0 || a > 1,
      hasChildren,
      collapsed: isCollapsed,
      critical: options.critical?.[i] === 1,
      status: s.fault ? "fault" : s.throttle ? "throttle" : s.error ? "error" : "ok",
    });
  }
  return { rows, window };
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** The absolute window for a zoom given as fractions [a, b] of the whole trace (clamped, at least 1 µs wide). */
export function zoomWindow(tree: WaterfallTree, a: number, b: number): ViewWindow {
  const lo = clamp01(Math.min(a, b));
  const hi = clamp01(Math.max(a, b));
  const total = tree.end - tree.start;
  const from = tree.start + lo * total;
  const to = Math.max(tree.start + hi * total, from + 0.001);
  return { from: from as EpochMs, to: to as EpochMs };
}

export interface MinimapLine {
  start: Ratio;
  end: Ratio;
  status: SpanStatus;
}

/**
 * The minimap: every span of the trace (collapsed or not) squeezed into at most `lines` lines, each covering
 * consecutive spans in display order and drawn from the earliest start to the latest end among them, with the
 * worst status. Linear; a 10,000-span trace draws as `lines` elements.
 */
export function minimapLines(tree: WaterfallTree, lines: number): MinimapLine[] {
  const n = tree.spans.length;
  if (n === 0 || lines <= 0) return [];
  const count = Math.min(lines, n);
  const total = Math.max(tree.end - tree.start, Number.EPSILON);
  const out: MinimapLine[] = [];
  const rank: Record<SpanStatus, number> = { ok: 0, error: 1, throttle: 2, fault: 3 };
  for (let line = 0; line < count; line++) {
    const from = Math.floor((line * n) / count);
    const to = Math.floor(((line + 1) * n) / count);
    let lo = Infinity;
    let hi = -Infinity;
    let status: SpanStatus = "ok";
    for (let i = from; i < to; i++) {
      const s = tree.spans[i]!;
      lo = Math.min(lo, s.start);
      hi = Math.max(hi, s.end);
      const st: SpanStatus = s.fault ? "fault" : s.throttle ? "throttle" : s.error ? "error" : "ok";
      if (rank[st] > rank[status]) status = st;
    }
    out.push({
      start: ratio(clamp01((lo - tree.start) / total)),
      end: ratio(clamp01((hi - tree.start) / total)),
      status,
    });
  }
  return out;
}
