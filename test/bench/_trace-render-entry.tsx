/** Browser entry for test/bench/trace-render.ts: renders the real Waterfall component for a synthetic trace. */
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { Waterfall } from "@/components/trace/waterfall";
import { syntheticTrace, TRACE_ID } from "@/test/unit/core/traces/fixtures";

declare global {
  interface Window {
    renderTrace(spans: number): Promise<{ ms: number; rows: number }>;
    scrollThrough(steps: number): Promise<{ maxRows: number; positions: number }>;
  }
}

const painted = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const rows = () => document.querySelectorAll('[role="treeitem"]').length;

window.renderTrace = async (spans) => {
  // The documents arrive as strings, as from BatchGetTraces; parsing them is part of opening the trace.
  const segments = syntheticTrace(spans);
  const root = createRoot(document.getElementById("root") as HTMLElement);
  const t0 = performance.now();
  flushSync(() => root.render(<Waterfall traceId={TRACE_ID} segments={segments} />));
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
