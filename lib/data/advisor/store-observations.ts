/**
 * One function's FunctionObservations from the store's totals over the judged window (store-evidence.ts). Pure.
 *
 * Where the store keeps less than the live path reads, the observation says so instead of guessing:
 * - Duration percentiles come from the merged REPORT-line histograms (relative error RELATIVE_ERROR, 4.9 %);
 *   the average and the maximum from the Duration metric (the maximum also from REPORT lines).
 * - No init distribution is kept: p99 init is null and the longest init (`maxInitMs`) is given instead.
 * - No memory distribution is kept: p99 memory used is null (the rules judge on the peak anyway).
 * - Per-ExecutedVersion counts are kept only for versions served through a weighted alias (the collector reads
 *   them while the alias splits traffic): `perVersion` is null when an alias splits traffic but none were kept
 *   yet (data-coverage names the canary it could not judge), [] when no alias does.
 * - Provisioned-concurrency metrics are kept per function: a single provisioned qualifier gets them; several
 *   cannot be told apart, so theirs are null (0 only where the function-wide figure is 0 itself).
 * - Log-derived counts are null when the logs are not judged or the log group is shared by several functions.
 * - The iterator age's trend comes from the per-minute maxima folded into hours (hourlyMaxima), read only for
 *   functions with a stream mapping.
 */
import type { DayStats, FunctionObservations, IteratorAgePoint, ProvisionedStats } from "@/lib/core/advisor";
import type { FunctionConfig, ProvisionedConcurrency } from "@/lib/core/lambda/types";
import { quantiles } from "@/lib/core/rollup/histogram";
import type { LogRollup, MetricRollup } from "@/lib/core/rollup/types";
import type { TimeWindow } from "@/lib/core/time/range";
import { closeOpenHour } from "@/lib/core/triggers/lag";
import { epochMs, mb, ms, ratio, type Ms } from "@/lib/core/units";
import type { FunctionDetails } from "@/lib/store/inventory";

export interface FunctionEvidence {
  /** The judged window. */
  window: TimeWindow;
  /** The function's metric totals over it; undefined: no datapoint (counts 0, gauges null). */
  metrics: MetricRollup | undefined;
  /** The region row's totals (UnreservedConcurrentExecutions). */
  region: MetricRollup | undefined;
  /** null: REPORT lines not attributable (logs not judged, or a shared group); else the group's totals, if any. */
  logs: { totals: LogRollup | undefined } | null;
  /** Per UTC day: the function's metric row and, when logs are attributable, its group's row. */
  days: { day: number; metrics: MetricRollup | undefined; logs: LogRollup | undefined }[];
  /** Stored details; null while the collector has not read them. */
  details: FunctionDetails | null;
  /** Invocations and errors per version served through a weighted alias (the collector's version rows). */
  versions: { version: string; invocations: number; errors: number }[];
  /** IteratorAge per hour (hourlyMaxima); undefined or null: not read. */
  iteratorAgeHourly?: IteratorAgePoint[] | null;
}

const HOUR_MS = 3_600_000;

/**
 * The per-minute IteratorAge maxima folded into hourly maxima, oldest first; minutes without one are gaps. The
 * newest hour, when the rows end before it does, is read as the hour ending where they end (closeOpenHour).
 */
export function hourlyMaxima(
  rows: readonly Pick<MetricRollup, "t" | "res" | "iteratorAgeMax">[],
): IteratorAgePoint[] {
  const hours = new Map<number, number>();
  let coveredUntil = -Infinity;
  for (const r of rows) {
    coveredUntil = Math.max(coveredUntil, r.t + r.res * 1000);
    if (r.iteratorAgeMax === null || !Number.isFinite(r.iteratorAgeMax)) continue;
    const h = Math.floor(r.t / HOUR_MS) * HOUR_MS;
    hours.set(h, Math.max(hours.get(h) ?? -Infinity, r.iteratorAgeMax));
  }
  const points = [...hours].sort(([a], [b]) => a - b).map(([t, maxMs]) => ({ t, maxMs }));
  return closeOpenHour(points, coveredUntil).map((p) => ({ t: epochMs(p.t), maxMs: ms(p.maxMs) }));
}

const msOrNull = (v: number | null | undefined): Ms | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : ms(v);
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

function provisionedStats(
  pcs: readonly ProvisionedConcurrency[],
  m: MetricRollup | undefined,
): ProvisionedStats[] {
  const execMax = m?.pcExecutionsMax ?? null;
  const spill = m?.pcSpillover ?? 0;
  return pcs.map((pc): ProvisionedStats => {
    if (pcs.length > 1)
      return {
        qualifier: pc.qualifier,
        utilisationMax: null,
        utilisationAvg: null,
        spilloverInvocations: spill === 0 ? 0 : null,
        concurrencyMax: null,
      };
    const allocated = pc.allocated || pc.requested;
    // Peak executions over the allocation is the peak utilisation, where only the former was published.
    const derived = execMax !== null && allocated > 0 ? Math.min(1, execMax / allocated) : null;
    const util = m?.pcUtilizationMax ?? derived;
    return {
      qualifier: pc.qualifier,
      utilisationMax: util === null ? null : ratio(util),
      utilisationAvg: null, // the store keeps the per-minute maximum only
      spilloverInvocations: spill,
      concurrencyMax: execMax,
    };
  });
}

function durations(m: MetricRollup | undefined, l: LogRollup | undefined | null) {
  const [p50, p99, p999] = l ? quantiles(l.durations, [0.5, 0.99, 0.999]) : [null, null, null];
  const metricAvg = m?.durationCount ? (m.durationSum ?? 0) / m.durationCount : null;
  const logAvg = l && l.reports > 0 ? l.durationSumMs / l.reports : null;
  return {
    p50: msOrNull(p50),
    p99: msOrNull(p99),
    p999: msOrNull(p999),
    max: msOrNull(maxOf(m?.durationMax ?? null, l?.durationMaxMs ?? null)),
    avg: msOrNull(metricAvg ?? logAvg),
  };
}

export function storeObservations(config: FunctionConfig, e: FunctionEvidence): FunctionObservations {
  const m = e.metrics;
  const attributable = e.logs !== null;
  const l = e.logs === null ? null : (e.logs.totals ?? null);
  const weighted = e.details?.aliases.some((a) => a.routing !== null) ?? true;
  const perDay: DayStats[] = e.days.map((d) => ({
    day: epochMs(d.day),
    invocations: d.metrics?.invocations ?? 0,
    errors: d.metrics?.errors ?? 0,
    throttles: d.metrics?.throttles ?? 0,
    timeouts: attributable ? (d.logs?.timeouts ?? 0) : null,
  }));
  return {
    window: e.window,
    invocations: m?.invocations ?? 0,
    errors: m?.errors ?? 0,
    throttles: m?.throttles ?? 0,
    duration: durations(m, l),
    memoryUsed: { max: l?.maxMemoryUsedMb == null ? null : mb(l.maxMemoryUsedMb), p99: null },
    timeouts: attributable ? (l?.timeouts ?? 0) : null,
    nearTimeoutInvocations: null,
    outOfMemory: attributable ? (l?.ooms ?? 0) : null,
    coldStarts: {
      count: attributable ? (l?.coldStarts ?? 0) : null,
      avgInitMs: l && l.coldStarts > 0 ? ms(l.initSumMs / l.coldStarts) : null,
      p99InitMs: null,
      maxInitMs: msOrNull(l?.initMaxMs),
    },
    concurrencyMax: m?.concurrencyMax ?? null,
    accountUnreservedConcurrencyMax: e.region?.unreservedMax ?? null,
    provisioned: provisionedStats(e.details?.provisioned ?? [], m),
    iteratorAgeMaxMs: msOrNull(m?.iteratorAgeMax),
    iteratorAgeHourly: e.iteratorAgeHourly ?? null,
    asyncEventsDropped: m?.asyncDropped ?? 0,
    // Null: the function publishes no such metric (no destination, no DLQ) or rows predate the collector
    // reading it; left out of the evidence, never read as 0.
    destinationDeliveryFailures: m?.destinationFailures ?? null,
    deadLetterErrors: m?.deadLetterErrors ?? null,
    recursiveInvocationsDropped: m?.recursiveDropped ?? 0,
    reportCount: attributable ? (l?.reports ?? 0) : null,
    perDay,
    perVersion: !weighted ? [] : e.versions.length > 0 ? e.versions : null,
    unzippedCodeSize: null,
  };
}
