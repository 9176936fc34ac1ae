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
import { parseAccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { accountIdFor } from "@fleetscope/sandbox";
import { backfillProgress, type CollectorSettings, type RegionPorts } from "@/lib/collector/region";
import { createStore, type Store } from "@/lib/store";
import type { Db } from "@/lib/store/database";
import type { InventoryStore } from "@/lib/store/inventory";
import type { TelemetryStore } from "@/lib/store/telemetry";

const MINUTE = 60_000;

/** The sandbox's one account (seed 7, the benches' seed) in `region`: the scope the benches collect. */
export const benchScope = (region: string): Scope => ({ account: parseAccountId(accountIdFor(7)), region });

/** The collector's ports against `url`, as lib/collector/runtime.ts builds them, with the given Insights polling. */
export function collectorPorts(url: string, timing: Timing): (at: string | Scope) => RegionPorts {
  const settings = parseEnv({ AWS_ENDPOINT_URL: url });
  return (at) => {
    const region = typeof at === "string" ? at : at.region;
    const config = clientConfig(region, settings);
    return {
      lambda: createLambdaPort(new LambdaClient(config), region),
      cloudwatch: createCloudWatchPort(new CloudWatchClient(config), region),
      metricList: createMetricListPort(new CloudWatchClient(config), region),
      logs: createLogsPort(new CloudWatchLogsClient(config), region, timing),
    };
  };
}

export interface CountedStore extends Pick<Store, "telemetry" | "inventory" | "leases" | "fenced"> {
  /** Rows handed to putMetrics / putLogs (upserts: a re-read settle minute counts again). */
  written: { metrics: number; logs: number };
}

/** The collector's store on `db`, its fenced writes counted (the collector writes only through `fenced`). */
export function countedStore(db: Db): CountedStore {
  const store = createStore(db);
  const written = { metrics: 0, logs: 0 };
  const counted = (telemetry: TelemetryStore): TelemetryStore => ({
    ...telemetry,
    putMetrics(rows) {
      written.metrics += rows.length;
      return telemetry.putMetrics(rows);
    },
    putLogs(rows) {
      written.logs += rows.length;
      return telemetry.putLogs(rows);
    },
  });
  return {
    telemetry: store.telemetry,
    inventory: store.inventory,
    leases: store.leases,
    fenced: (fence, write) => store.fenced(fence, (tx) => write({ ...tx, telemetry: counted(tx.telemetry) })),
    written,
  };
}

/** Backfilled to the horizon for both sources, and the forward edge within `slackMs` of the newest closed minute. */
export async function caughtUp(
  store: Pick<CountedStore, "telemetry" | "inventory">,
  scope: Scope,
  settings: CollectorSettings,
  now: number,
  slackMs = MINUTE,
): Promise<boolean> {
  if ((await store.inventory.account(scope)) === null) return false;
  for (const source of ["metrics", "logs"] as const) {
    const p = await backfillProgress({ scope, telemetry: store.telemetry, settings }, source, now);
    const cov = await store.telemetry.coverage(scope, source, 60);
    const lag = source === "metrics" ? settings.metricLagMs : settings.logLagMs;
    const closed = Math.floor((now - lag) / MINUTE) * MINUTE;
    if (cov === null || p.collectedMs < p.targetMs || cov.to < closed - slackMs) return false;
  }
  return true;
}

/** Every function of the stored inventory has its details (aliases, concurrency) read. */
export const detailsComplete = async (inventory: InventoryStore, scope: Scope) => {
  const fns = await inventory.functions(scope);
  return fns.length > 0 && fns.every((e) => e.details !== null);
};

export const total = (stats: Record<string, number>) => Object.values(stats).reduce((a, b) => a + b, 0);

export function diffStats(after: Record<string, number>, before: Record<string, number>) {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) !== 0) out[k] = v - (before[k] ?? 0);
  return out;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
