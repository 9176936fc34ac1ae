/**
 * The `npm run collector` command's pure parts (its arguments and the `--once` report), and the backfill horizon
 * `npm run advise -- --collect` runs the collector with, so the scripts only wire them to the process.
 * Exit codes of `npm run collector`: 0 done (or stopped by a signal), 1 a bad environment, 2 bad usage.
 */
import type { Collector } from "@/lib/collector/collector";
import { MAX_BACKFILL_HOURS, MAX_COLLECTOR_LAMBDA_RPS } from "@/lib/config/env-schema";
import { invalidInput } from "@/lib/core/errors";

export const COLLECTOR_USAGE = `Usage: npm run collector [-- --once]
  --once       collect one round, then exit (default: keep collecting until SIGINT or SIGTERM)

Settings come from the console's environment: FLEETSCOPE_REGIONS, FLEETSCOPE_DATABASE_URL, AWS access,
FLEETSCOPE_COLLECTOR_BACKFILL_HOURS (1-${MAX_BACKFILL_HOURS}, default 24),
FLEETSCOPE_COLLECTOR_LAMBDA_RPS (above 0, at most ${MAX_COLLECTOR_LAMBDA_RPS}, default 2), FLEETSCOPE_COLLECTOR_INSIGHTS_CONCURRENCY (1-100, default 4).`;

export interface CollectorArgs {
  once: boolean;
  help: boolean;
}

export function parseCollectorArgs(argv: readonly string[]): CollectorArgs {
  const args: CollectorArgs = { once: false, help: false };
  for (const arg of argv) {
    if (arg === "--once") args.once = true;
    else if (arg === "--help" || arg === "-h") args.help = true;
    // A typo such as `--onec` must not start a collector that runs until someone notices.
    else throw invalidInput(`unknown ${arg.startsWith("-") ? "option" : "argument"} ${arg}`);
  }
  return args;
}

/** One round; whether it collected is read before stop(), which gives the lease up. */
export async function collectOnce(collector: Pick<Collector, "tick" | "stop" | "status">): Promise<string> {
  let leader = false;
  try {
    await collector.tick();
    leader = collector.status().leader;
  } finally {
    await collector.stop();
  }
  return leader ? "collected one round" : "another collector holds the lease; nothing done";
}

/**
 * The backfill horizon for collecting a window that starts `windowStart`: the configured one, stretched to the
 * window, at most MAX_BACKFILL_HOURS. `note` says what was stretched or capped, never silently.
 */
export function backfillHoursFor(
  windowStart: number,
  now: number,
  configuredHours: number,
): { hours: number; note: string | null } {
  const needed = Math.ceil((now - windowStart) / 3_600_000);
  if (needed <= configuredHours) return { hours: configuredHours, note: null };
  if (needed <= MAX_BACKFILL_HOURS)
    return {
      hours: needed,
      note: `backfilling ${needed} h for this run (FLEETSCOPE_COLLECTOR_BACKFILL_HOURS is ${configuredHours})`,
    };
  return {
    hours: MAX_BACKFILL_HOURS,
    note:
      `the window needs ${needed} h of backfill but the collector backfills at most ${MAX_BACKFILL_HOURS} h ` +
      `(14 days): older data counts only if the store already holds it, and collecting runs until ` +
      `--collect-timeout`,
  };
}
