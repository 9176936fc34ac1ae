/**
 * The process's collector: built from the environment on the real AWS adapters and the process's store, started
 * once (kept on globalThis so Next's dev reloads do not start a second), stopped on shutdown. The console server
 * starts it from instrumentation.ts unless FLEETSCOPE_COLLECTOR=off; `npm run collector` runs it alone.
 * Every replica starts one; the collector lease (FLEETSCOPE_LEASE_SECONDS) lets exactly one of them work.
 */
import "server-only";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { metricListFor } from "@/lib/aws/cloudwatch-list-metrics";
import { lambdaFor } from "@/lib/aws/lambda";
import { BACKGROUND_TIMING, logsFor } from "@/lib/aws/logs";
import { env } from "@/lib/config/env";
import { replicaId } from "@/lib/config/replica";
import { store } from "@/lib/store";
import { createCollector, type Collector } from "./collector";

const holder = globalThis as typeof globalThis & { __fleetscopeCollector?: Collector };

export function collectorFromEnv(): Collector {
  const settings = env();
  return createCollector({
    regions: settings.regions,
    portsFor: (region) => ({
      lambda: lambdaFor(region),
      cloudwatch: cloudWatchFor(region),
      metricList: metricListFor(region),
      logs: logsFor(region, BACKGROUND_TIMING),
    }),
    store: store(),
    // This replica's name, the same the plan runner's lease and /api/health carry.
    owner: replicaId(),
    leaseMs: settings.leaseSeconds * 1000,
    settings: { horizonMs: settings.collector.backfillHours * 3_600_000 },
    lambdaRequestsPerSecond: settings.collector.lambdaRequestsPerSecond,
    maxConcurrentInsightsQueries: settings.collector.insightsConcurrency,
    log: (m) => console.warn(`[fleetscope] ${m}`),
  });
}

/** Starts the embedded collector once; null when this deployment runs it elsewhere. */
export function ensureCollector(): Collector | null {
  if (env().collector.mode === "off") return null;
  if (!holder.__fleetscopeCollector) {
    holder.__fleetscopeCollector = collectorFromEnv();
    holder.__fleetscopeCollector.start();
  }
  return holder.__fleetscopeCollector;
}

export const runningCollector = (): Collector | null => holder.__fleetscopeCollector ?? null;
