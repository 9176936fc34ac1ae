/**
 * The function page's monthly cost: its store-backed metrics and logs over the window, its provisioned
 * concurrency per alias or version, priced by lib/core/pricing/estimate.ts. Pure.
 *
 * What each input gives: invocations, the Duration average and the spillover from the metrics rows; billed
 * duration, cold starts and init, SnapStart restores from the log group's REPORT rollups. Logs that failed, are
 * not collected yet or are shared with other functions leave INIT (and restores) unpriced (said in `missing`),
 * never read as "no cold starts"; so do restores in a window partly collected before they were.
 */
import type { Outcome } from "@/lib/core/errors";
import type { Alias, FunctionConfig, ProvisionedConcurrency } from "@/lib/core/lambda/types";
import {
  aliasVersionCount,
  billedMs,
  estimateCost,
  provisionedConfigs,
  type CostEstimate,
  type CostEvidence,
} from "@/lib/core/pricing";
import { ms, type EpochMs } from "@/lib/core/units";
import type { StoreFunctionLogs, StoreFunctionMetrics } from "./function-store";

export type CostConfig = CostEvidence["config"];

export interface FunctionCostInput {
  config: CostConfig;
  aliases: readonly Alias[];
  /** Absent or failed: provisioned concurrency is a missing part. */
  provisioned?: Outcome<ProvisionedConcurrency[]>;
  metrics: StoreFunctionMetrics;
  logs: Outcome<StoreFunctionLogs>;
  now: EpochMs;
}

/** null when nothing can be priced: the function is not collected yet, or no duration is known. */
export function functionMonthlyCost(input: FunctionCostInput): CostEstimate | null {
  const { metrics: m, logs } = input;
  const metricsMs = m.coverage[0]?.coveredMs ?? 0;
  if (!m.listed || !(metricsMs > 0)) return null;

  const l = logs.ok ? logs.value : null;
  const logsMs = l?.coverage[0]?.coveredMs ?? 0;
  const ownLogs = l !== null && l.sharedWith.length === 0 && logsMs > 0 ? l : null;
  const reports = ownLogs?.stats.invocations ?? 0;
  const avgBilled =
    ownLogs && reports > 0
      ? ms(ownLogs.stats.billedSum / reports)
      : m.usage.avgDuration === null
        ? null
        : billedMs(m.usage.avgDuration);
  if (avgBilled === null && m.totals.invocations > 0) return null;

  const coldStarts: CostEvidence["coldStarts"] =
    l === null
      ? { unknown: "logs unavailable" }
      : l.sharedWith.length > 0
        ? { unknown: `log group shared with ${l.sharedWith.join(", ")}` }
        : ownLogs === null
          ? { unknown: "logs not collected yet" }
          : { count: ownLogs.stats.coldStarts, avgInit: ownLogs.stats.avgInit, spanMs: logsMs };

  const p = input.provisioned;
  return estimateCost({
    config: input.config,
    now: input.now,
    invocations: m.totals.invocations,
    metricsMs,
    avgBilled: avgBilled ?? ms(0),
    coldStarts,
    provisioned:
      p === undefined
        ? { unknown: "not read" }
        : p.ok
          ? provisionedConfigs(p.value)
          : { unknown: "not read" },
    spillover: m.usage.pcSpillover,
    snapStartVersions: aliasVersionCount(input.aliases),
    restores:
      "unknown" in coldStarts
        ? coldStarts
        : ownLogs?.stats.restores
          ? {
              count: ownLogs.stats.restores.count,
              billedSumMs: ownLogs.stats.restores.billedSum,
              spanMs: logsMs,
            }
          : { unknown: "not collected for the whole window" },
  });
}

/** The configuration fields the estimate reads. */
export const costConfigOf = (c: FunctionConfig): CostConfig => ({
  region: c.region,
  architecture: c.architecture,
  memory: c.memory,
  ephemeralStorage: c.ephemeralStorage,
  runtime: c.runtime,
  packageType: c.packageType,
  snapStart: c.snapStart,
});
