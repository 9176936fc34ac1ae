/** Browser entry for test/bench/functions-table.ts: the real FleetTable with N synthetic telemetry rows. */
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { FleetTable } from "@/components/fleet/fleet-table";
import { DEFAULT_FLEET_QUERY } from "@/components/fleet/table-model";
import { mb, microUsd, ms, ratio } from "@/lib/core/units";
import type { FunctionRow } from "@/lib/data/telemetry/assemble";

declare global {
  interface Window {
    renderTable(
      n: number,
    ): Promise<{ renderMs: number; sortMs: number; rows: number; firstAfterSort: string }>;
  }
}

const painted = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/** Deterministic rows (an LCG), so every run sorts the same data. */
function rowsOf(n: number): FunctionRow[] {
  let s = 42;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, (_, i) => {
    const inv = Math.floor(rnd() * 100_000);
    const err = Math.floor(inv * rnd() * 0.05);
    return {
      account: "123456789012",
      accountName: null,
      region: i % 2 ? "us-east-1" : "eu-west-1",
      name: `function-${String(i).padStart(5, "0")}`,
      memory: mb(1024),
      invocations: inv,
      errors: err,
      errorRate: inv ? ratio(err / inv) : null,
      throttles: Math.floor(rnd() * 10),
      p99: ms(rnd() * 3000),
      coldStarts: Math.floor(inv * 0.01),
      coldStartRate: ratio(rnd() * 0.05),
      avgInit: ms(200 + rnd() * 2000),
      maxMemoryUsed: mb(100 + rnd() * 900),
      monthlyCost: microUsd(Math.floor(rnd() * 50_000_000)),
      cost: null,
    };
  });
}

window.renderTable = async (n) => {
  const data = rowsOf(n);
  const root = createRoot(document.getElementById("root") as HTMLElement);
  const t0 = performance.now();
  flushSync(() => root.render(<FleetTable rows={data} initialQuery={DEFAULT_FLEET_QUERY} linkQuery="" />));
  await painted();
  const renderMs = performance.now() - t0;
  const button = [...document.querySelectorAll('[role="columnheader"] button')].find((b) =>
    b.textContent?.startsWith("p99"),
  ) as HTMLButtonElement;
  const t1 = performance.now();
  flushSync(() => button.click());
  await painted();
  const sortMs = performance.now() - t1;
  return {
    renderMs,
    sortMs,
    rows: document.querySelectorAll('[role="row"]').length,
    firstAfterSort: document.querySelector("[data-function]")?.getAttribute("data-function") ?? "",
  };
};
