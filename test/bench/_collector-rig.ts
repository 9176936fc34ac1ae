/**
 * Shared by the collector benchmarks: the collector's AWS ports pointed at a sandbox URL (built as the console builds
 * them), a store whose writes are counted, "is it caught up", and small figures helpers.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { clientConfig } from "@/lib/aws/client-config";
import { createCloudWatchPort } from "@/lib/aws/cloudwatch";
import { createMetricListPort } from "@/lib/aws/cloudwatch-list-metrics";
import { createLambdaPort } from "@/lib/aws/lambda";
import { createLogsPort, type Timing } from "@/lib/aws/logs";
import { parseEnv } from "@/lib/config/env-schema";
import { backfillProgress, type CollectorSettings, type RegionPorts } from "@/lib/collector/region";
import type { Db } from "@/lib/store/database";
import { createInventoryStore, type InventoryStore } from "@/lib/store/inventory";
import { createLeases, type Leases } from "@/lib/store/leases";
import { createTelemetryStore, type TelemetryStore } from "@/lib/store/telemetry";

const MINUTE = 60_000;

/** The collector's ports against `url`, as lib/collector/runtime.ts builds them, with the given Insights polling. */
export function collectorPorts(url: string, timing: Timing): (region: string) => RegionPorts {
  const settings = parseEnv({ AWS_ENDPOINT_URL: url });
  return (region) => {
    const config = clientConfig(region, settings);
    return {
      lambda: createLambdaPort(new LambdaClient(config), region),
      cloudwatch: createCloudWatchPort(new CloudWatchClient(config), region),
      metricList: createMetricListPort(new CloudWatchClient(config), region),
      logs: createLogsPort(new CloudWatchLogsClient(config), region, timing),
    };
  };
}

export interface CountedStore {
  telemetry: TelemetryStore;
  inventory: InventoryStore;
  leases: Leases;
  /** Rows handed to putMetrics / putLogs (upserts: a re-read settle minute counts again). */
  written: { metrics: number; logs: number };
}

export function countedStore(db: Db): CountedStore {
  const telemetry = createTelemetryStore(db);
  const written = { metrics: 0, logs: 0 };
  return {
    telemetry: {
      ...telemetry,
      putMetrics(rows) {
        written.metrics += rows.length;
        telemetry.putMetrics(rows);
      },
      putLogs(rows) {
        written.logs += rows.length;
        telemetry.putLogs(rows);
      },
    },
    inventory: createInventoryStore(db),
    leases: createLeases(db),
    written,
  };
}

/** Backfilled to the horizon for both sources, and the forward edge within `slackMs` of the newest closed minute. */
export function caughtUp(
  store: Pick<CountedStore, "telemetry" | "inventory">,
  region: string,
  settings: CollectorSettings,
  now: number,
  slackMs = MINUTE,
): boolean {
  if (store.inventory.account(region) === null) return false;
  return (["metrics", "logs"] as const).every((source) => {
    const p = backfillProgress({ region, telemetry: store.telemetry, settings }, source, now);
    const cov = store.telemetry.coverage(region, source, 60);
    const lag = source === "metrics" ? settings.metricLagMs : settings.logLagMs;
    const closed = Math.floor((now - lag) / MINUTE) * MINUTE;
    return cov !== null && p.collectedMs >= p.targetMs && cov.to >= closed - slackMs;
  });
}

/** Every function of the stored inventory has its details (aliases, concurrency) read. */
export const detailsComplete = (inventory: InventoryStore, region: string) => {
  const fns = inventory.functions(region);
  return fns.length > 0 && fns.every((e) => e.details !== null);
};

export const total = (stats: Record<string, number>) => Object.values(stats).reduce((a, b) => a + b, 0);

export function diffStats(after: Record<string, number>, before: Record<string, number>) {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) !== 0) out[k] = v - (before[k] ?? 0);
  return out;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
