/**
 * Browser entry for test/bench/trace-render.ts: renders the real Waterfall component.
 * - `renderPrepared`: what the console's browser does. The page server component parsed the trace and sent
 *   WaterfallData as RSC props; the timed part decodes that JSON text and renders.
 * - `renderRaw`: the whole pipeline in the browser (parse the segment documents, build the tree, find the
 *   critical path, render), kept as a comparison with the old design.
 */
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { Waterfall, WaterfallView } from "@/components/trace/waterfall";
import { criticalPath } from "@/lib/core/traces/critical-path";
import { readTrace } from "@/lib/core/traces/tree";
import type { WaterfallData } from "@/lib/core/traces/waterfall-data";
import { syntheticTrace, TRACE_ID } from "@/test/unit/core/traces/fixtures";

declare global {
  interface Window {
    stagePayload(payload: string): void;
    renderPrepared(): Promise<{ ms: number; rows: number }>;
    stageRaw(spans: number): void;
    renderRaw(): Promise<{ ms: number; rows: number }>;
    scrollThrough(steps: number): Promise<{ maxRows: number; positions: number }>;
  }
}

const painted = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const rows = () => document.querySelectorAll('[role="treeitem"]').length;
const mount = () => createRoot(document.getElementById("root") as HTMLElement);
let staged = "";
let stagedSegments = syntheticTrace(0);

// Handing the payload over is a separate call so that moving the text into the page is not timed.
window.stagePayload = (payload) => {
  staged = payload;
};

window.renderPrepared = async () => {
  const root = mount();
  const t0 = performance.now();
  const data = JSON.parse(staged) as WaterfallData;
  flushSync(() => root.render(<Waterfall data={data} />));
  await painted();
  return { ms: performance.now() - t0, rows: rows() };
};

// The documents arrive as strings, as from BatchGetTraces; parsing them is part of opening the trace.
window.stageRaw = (spans) => {
  stagedSegments = syntheticTrace(spans);
};

window.renderRaw = async () => {
  const root = mount();
  const t0 = performance.now();
  const tree = readTrace(TRACE_ID, stagedSegments);
  flushSync(() => root.render(<WaterfallView tree={tree} critical={criticalPath(tree)} />));
  await painted();
  return { ms: performance.now() - t0, rows: rows() };
};

window.scrollThrough = async (steps) => {
  const el = document.querySelector('[data-testid="trace-waterfall"]') as HTMLElement;
  let maxRows = 0;
  for (let i = 0; i <= steps; i++) {
    el.scrollTop = ((el.scrollHeight - el.clientHeight) * i) / steps;
    el.dispatchEvent(new Event("scroll"));
    await painted();
    maxRows = Math.max(maxRows, rows());
  }
  return { maxRows, positions: steps + 1 };
};
