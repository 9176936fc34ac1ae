/**
 * `npm run collector [-- --once]`: the telemetry collector as its own process, for deployments that run the
 * console with FLEETSCOPE_COLLECTOR=off. Same environment as the console (regions, AWS access, the store);
 * exactly one collector works per store (a lease), so a second one waits. `--once` runs one round and exits.
 */
import { collectorFromEnv } from "@/lib/data/collector/runtime";
import { collectOnce, COLLECTOR_USAGE, parseCollectorArgs } from "@/lib/data/collector/cli";

async function main(): Promise<number | null> {
  let args;
  try {
    args = parseCollectorArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${COLLECTOR_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(COLLECTOR_USAGE);
    return 0;
  }
  const collector = collectorFromEnv();
  if (args.once) {
    console.log(await collectOnce(collector));
    return 0;
  }
  collector.start();
  // The collector's timer is unref'd (it must not hold a console server open): this one keeps the process up.
  const keepAlive = setInterval(() => undefined, 60_000);
  console.log("[fleetscope] collector running (Ctrl-C to stop)");
  const stop = () => {
    clearInterval(keepAlive);
    void collector.stop().finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return null;
}

main().then(
  (code) => {
    if (code !== null) process.exit(code);
  },
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
