/**
 * `npm run collector [-- --once]`: the telemetry collector as its own process, for deployments that run the
 * console with FLEETSCOPE_COLLECTOR=off. Same environment as the console (regions, AWS access, the store);
 * exactly one collector works per store (a lease), so a second one waits. `--once` runs one round and exits.
 */
import { collectorFromEnv } from "@/lib/collector/runtime";

async function main(): Promise<void> {
  const once = process.argv.includes("--once");
  const collector = collectorFromEnv();
  if (once) {
    await collector.tick();
    await collector.stop();
    const s = collector.status();
    console.log(s.leader ? "collected one round" : "another collector holds the lease; nothing done");
    return;
  }
  collector.start();
  console.log("[fleetscope] collector running (Ctrl-C to stop)");
  const stop = () => void collector.stop().finally(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
