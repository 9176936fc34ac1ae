/**
 * Next.js start-up hook (runs once per server instance, before requests): the traffic runtime — store, the
 * one-time operator login token, and the plan runner loop (lib/data/traffic/runtime.ts) — and the telemetry
 * collector (lib/collector/runtime.ts, unless FLEETSCOPE_COLLECTOR=off). Node runtime only: SQLite and timers do
 * not belong in the edge runtime.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { ensureTrafficRuntime } = await import("@/lib/data/traffic/runtime");
    ensureTrafficRuntime();
    const { ensureCollector } = await import("@/lib/collector/runtime");
    ensureCollector();
  }
}
