/**
 * Next.js start-up hook (runs once per server instance, before requests): the traffic runtime — the plan runner
 * loop, the one-time operator login token (lib/data/traffic/runtime.ts) — and the telemetry
 * collector (lib/collector/runtime.ts, unless FLEETSCOPE_COLLECTOR=off). Node runtime only: SQLite and timers do
 * not belong in the edge runtime.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { ensureTrafficRuntime } = await import("@/lib/data/traffic/runtime");
    await ensureTrafficRuntime();
    const { ensureCollector } = await import("@/lib/collector/runtime");
    ensureCollector();
  }
}
