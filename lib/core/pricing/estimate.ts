/**
 * One function's monthly cost estimated from what was observed over a window, saying what it could not price.
 *
 * Invariants:
 * - Counts are projected to a 730-hour month from the span they were observed over (metrics and logs apart);
 *   provisioned concurrency and SnapStart caches are priced as configured now, for the whole month.
 * - A part that cannot be priced (cold starts unknown because the logs failed, provisioned concurrency not
 *   read, SnapStart restores not collected for the window) is named in `missing` and the total is a lower
 *   bound: never a silent undercount.
 * - SnapStart restores (REPORT lines with a Billed Restore Duration) are projected like cold starts; their
 *   billed restore duration is priced for every runtime, the cache and per-restore charges where they apply.
 * - Provisioned versus on-demand split: CloudWatch gives per function the Invocations and the
 *   ProvisionedConcurrencySpilloverInvocations of the provisioned aliases/versions, and the store keeps no
 *   per-alias counts. So every invocation that did not spill over is priced at the provisioned duration rate
 *   (exact when traffic goes through the provisioned qualifiers, as AWS recommends), capped by what the
 *   provisioned environments could have run in the window (concurrency × span / average billed duration); the
 *   rest is on demand. Without the spillover metric the split rests on that cap alone and `notes` says so.
 * - Cold starts counted from REPORT lines are on-demand ones: provisioned environments initialise ahead of
 *   traffic, their INIT is covered by the provisioned charge and their REPORT lines carry no Init Duration.
 * - Memory is the $LATEST configuration's: the store keeps no per-version configuration, so a provisioned
 *   version sized differently is priced at $LATEST's size.
 */
import type { Alias, FunctionConfig, ProvisionedConcurrency } from "@/lib/core/lambda/types";
import { type EpochMs, type MicroUsd, type Ms, epochMs, microUsd, ms } from "@/lib/core/units";
import {
  type CostBreakdown,
  MONTH_MS,
  isInitBilled,
  isSnapStartCharged,
  monthlyCost,
  projectMonthly,
} from "./cost";
import { provisionedMonthlyCharge } from "./provisioned";
import type { UnknownRegionPolicy } from "./rates";

export interface ProvisionedConfig {
  /** Alias name or version number. */
  qualifier: string;
  concurrency: number;
}

/**
 * What is billed of each provisioned-concurrency config: the requested concurrency while it is configured (a
 * FAILED one runs only what it allocated, usually none).
 */
export function provisionedConfigs(list: readonly ProvisionedConcurrency[]): ProvisionedConfig[] {
  return list.map((p) => ({
    qualifier: p.qualifier,
    concurrency: p.status === "FAILED" ? p.allocated : p.requested,
  }));
}

/** Distinct published versions the aliases route to (each a cached SnapStart snapshot while active). */
export function aliasVersionCount(aliases: readonly Alias[]): number {
  const versions = new Set<string>();
  for (const a of aliases) {
    if (a.functionVersion !== "$LATEST") versions.add(a.functionVersion);
    if (a.routing) versions.add(a.routing.additionalVersion);
  }
  return versions.size;
}

/** A figure that could not be read, with why ("logs unavailable"). */
export interface Unknown {
  unknown: string;
}

export interface CostEvidence {
  config: Pick<
    FunctionConfig,
    "region" | "architecture" | "memory" | "ephemeralStorage" | "runtime" | "packageType" | "snapStart"
  >;
  now: EpochMs;
  /** [metric Invocations Sum] over `metricsMs`. */
  invocations: number;
  metricsMs: number;
  /** Average billed duration of one invocation (REPORT lines, else the Duration metric rounded up). */
  avgBilled: Ms;
  /** [logs] cold starts (Init Duration present) over `spanMs`; Unknown when the logs could not be read. */
  coldStarts: { count: number; avgInit: Ms | null; spanMs: number } | Unknown;
  /** Provisioned concurrency per alias or version; Unknown when not read. */
  provisioned: readonly ProvisionedConfig[] | Unknown;
  /** [metric ProvisionedConcurrencySpilloverInvocations Sum] over `metricsMs`; null when not collected. */
  spillover: number | null;
  /** Published versions whose SnapStart snapshot is cached (the versions aliases route to). */
  snapStartVersions?: number;
  /**
   * [logs] SnapStart restores and the sum of their Billed Restore Duration over `spanMs`; Unknown (or absent)
   * when they were not collected for the window. Read only for a SnapStart function.
   */
  restores?: { count: number; billedSumMs: number; spanMs: number } | Unknown;
  unknownRegion?: UnknownRegionPolicy;
}

export interface CostEstimate {
  total: MicroUsd;
  parts: CostBreakdown;
  /** The fixed monthly provisioned-concurrency charge of each alias or version. */
  provisioned: { qualifier: string; concurrency: number; monthly: MicroUsd }[];
  /** Parts that could not be priced ("init: logs unavailable"): the total is then a lower bound. */
  missing: string[];
  lowerBound: boolean;
  /** What the estimate assumed (how invocations were split between provisioned and on-demand). */
  notes: string[];
}

const isUnknown = <T extends object>(v: T | Unknown): v is Unknown => "unknown" in v;

/** Monthly projection of `n` observed over `spanMs` (0 stays 0, even over an empty span). */
const perMonth = (n: number, spanMs: number): number =>
  n === 0 ? 0 : projectMonthly({ n }, { start: epochMs(0), end: epochMs(spanMs) }).n;

/** How many of `invocations` the provisioned environments served (see the module's invariants). */
export function provisionedShare(
  e: Pick<CostEvidence, "invocations" | "metricsMs" | "avgBilled" | "spillover">,
  concurrency: number,
): { served: number; estimated: boolean } {
  if (concurrency <= 0 || e.invocations <= 0) return { served: 0, estimated: false };
  const capacity = e.avgBilled > 0 ? (concurrency * e.metricsMs) / e.avgBilled : Infinity;
  const notSpilled = e.spillover === null ? e.invocations : Math.max(0, e.invocations - e.spillover);
  return { served: Math.min(notSpilled, capacity), estimated: e.spillover === null };
}

export function estimateCost(e: CostEvidence): CostEstimate {
  const missing: string[] = [];
  const notes: string[] = [];
  const { config } = e;

  const configs = isUnknown(e.provisioned) ? [] : e.provisioned.filter((p) => p.concurrency > 0);
  if (isUnknown(e.provisioned)) missing.push(`provisioned concurrency: ${e.provisioned.unknown}`);
  const concurrency = configs.reduce((a, p) => a + p.concurrency, 0);
  const share = provisionedShare(e, concurrency);
  if (concurrency > 0) {
    notes.push(
      share.estimated
        ? "provisioned/on-demand split estimated: spillover not collected, provisioned capacity assumed used first"
        : "invocations minus spillover priced at the provisioned duration rate",
    );
  }

  const initBilled = isInitBilled(config, e.now);
  if (isUnknown(e.coldStarts)) {
    if (initBilled) missing.push(`init: ${e.coldStarts.unknown}`);
  }
  const cold = isUnknown(e.coldStarts) ? null : e.coldStarts;

  const restores = config.snapStart
    ? (e.restores ?? { unknown: "not collected" })
    : { count: 0, billedSumMs: 0, spanMs: 0 };
  if (isUnknown(restores) && e.invocations > 0) missing.push(`SnapStart restores: ${restores.unknown}`);
  const restored = isUnknown(restores) ? null : restores;

  const parts = monthlyCost({
    region: config.region,
    architecture: config.architecture,
    memory: config.memory,
    ephemeralStorage: config.ephemeralStorage,
    invocations: perMonth(e.invocations - share.served, e.metricsMs),
    avgBilledDurationMs: e.avgBilled,
    init:
      cold === null || cold.count === 0 || cold.avgInit === null
        ? undefined
        : {
            coldStarts: perMonth(cold.count, cold.spanMs),
            avgInitDurationMs: cold.avgInit,
            billed: initBilled,
          },
    provisioned:
      concurrency > 0
        ? {
            concurrency,
            invocations: perMonth(share.served, e.metricsMs),
            avgBilledDurationMs: e.avgBilled,
          }
        : undefined,
    snapStart: config.snapStart
      ? {
          cachedVersions: e.snapStartVersions ?? 1,
          restores: restored === null ? 0 : perMonth(restored.count, restored.spanMs),
          avgBilledRestoreMs: ms(restored && restored.count > 0 ? restored.billedSumMs / restored.count : 0),
          charged: isSnapStartCharged(config.runtime),
        }
      : undefined,
    unknownRegion: e.unknownRegion ?? "estimate",
  });
  if (parts.estimatedRegion) notes.push(`no price table for ${config.region}: us-east-1 rates`);

  return {
    total: parts.total,
    parts,
    provisioned: configs.map((p) => ({
      qualifier: p.qualifier,
      concurrency: p.concurrency,
      monthly: provisionedMonthlyCharge({
        region: config.region,
        architecture: config.architecture,
        memory: config.memory,
        concurrency: p.concurrency,
        unknownRegion: e.unknownRegion ?? "estimate",
      }),
    })),
    missing,
    lowerBound: missing.length > 0,
    notes,
  };
}

/** A monthly estimate scaled to a span (the fleet's "cost of the range"). */
export const scaleToSpan = (monthly: MicroUsd, spanMs: number): number => (monthly * spanMs) / MONTH_MS;

export interface CostSum {
  total: MicroUsd;
  /** Estimates that could not be made at all (no duration, no metrics). */
  unpriced: number;
  lowerBound: boolean;
  /** Each missing part with how many functions lack it. */
  missing: { part: string; functions: number }[];
}

/** Adds estimates (each already scaled by `scale`): the sum is a lower bound as soon as one part is. */
export function sumEstimates(
  estimates: readonly (CostEstimate | null)[],
  scale: (monthly: MicroUsd) => number = (m) => m,
): CostSum {
  let total = 0;
  let unpriced = 0;
  const missing = new Map<string, number>();
  for (const est of estimates) {
    if (est === null) {
      unpriced++;
      continue;
    }
    total += scale(est.total);
    for (const m of est.missing) missing.set(m, (missing.get(m) ?? 0) + 1);
  }
  return {
    total: microUsd(Math.round(total)),
    unpriced,
    lowerBound: missing.size > 0 || unpriced > 0,
    missing: [...missing].map(([part, functions]) => ({ part, functions })),
  };
}
