/**
 * Next.js start-up hook (runs once per server instance, before requests): the traffic runtime — the plan runner
 * loop, the one-time operator login token (lib/data/traffic/runtime.ts) — and the telemetry
 * collector (lib/data/collector/runtime.ts, unless FLEETSCOPE_COLLECTOR=off). Then, in the background, one log line
 * per configured account saying whether it answers (lib/data/accounts.ts): an unreachable account never delays
 * or stops the start. Node runtime only: SQLite and timers do not belong in the edge runtime.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { ensureTrafficRuntime } = await import("@/lib/data/traffic/runtime");
    await ensureTrafficRuntime();
    const { ensureCollector } = await import("@/lib/data/collector/runtime");
    ensureCollector();
    const [{ logAccountCheck }, { systemClock }] = await Promise.all([
      import("@/lib/data/accounts"),
      import("@/lib/config/clock"),
    ]);
    // Not awaited: STS in a slow or unreachable account must not hold the server's start.
    void logAccountCheck(systemClock.now);
  }
}
