/**
 * The Advisor's evidence read from the collector's store: which part of the asked window it can judge, and per
 * UTC day of that part, each function's metric totals and each log group's REPORT totals. No AWS request.
 *
 * Invariants:
 * - The judged window is the newest contiguous part of the asked window that metrics and logs both cover, so
 *   every ratio a rule takes (cold starts, timeouts or REPORT lines per invocation) has its numerator and its
 *   denominator over the same minutes. When logs cover none of it, the metrics' part is judged and every
 *   log-derived observation is null ("could not judge"), never 0.
 * - Each day of the judged window is tiled (lib/core/rollup/tiling.ts: the coarsest tier in the middle, finer at
 *   the edges) and each row read once; window totals are the sum of the days, so the totals and the per-day
 *   split (the daily rules) are the same rows, as the live path's daily datapoints are.
 * - A covered bucket without a row had no datapoint: counts 0, gauges null (lib/store/telemetry.ts).
 * - Reads are issued side by side (every day, every piece) and folded in the order the pieces come in, so the
 *   totals do not depend on which answer arrives first.
 */
import type { Scope } from "@/lib/core/accounts/scope";
import type { SourceCoverage } from "@/lib/core/rollup/coverage";
import {
  coveredIntervals,
  intersectIntervals,
  tile,
  type Interval,
  type TierCoverage,
} from "@/lib/core/rollup/tiling";
import { addLog, addMetric, type LogRollup, type MetricRollup } from "@/lib/core/rollup/types";
import type { CollectorAccountStore } from "@/lib/store/collector-accounts";
import type { InventoryStore } from "@/lib/store/inventory";
import type { RollupSource, TelemetryStore } from "@/lib/store/telemetry";
import type { TriggerStore } from "@/lib/store/triggers";
import { collectedTiers } from "@/lib/data/telemetry/store-source";

const DAY = 86_400_000;

/** The parts of the store the Advisor reads. */
export interface AdvisorStoreReader {
  telemetry: Pick<TelemetryStore, "coverage" | "metricTotals" | "logTotals" | "metricRows">;
  inventory: Pick<InventoryStore, "functions" | "account">;
  /** The collector's trigger readings (sources.ts uses them while fresh); absent: read live. */
  triggers?: Pick<TriggerStore, "listing" | "list">;
  /** Whether the collector reaches each account (why a scope never listed is not); absent: "not listed yet". */
  collectorAccounts?: Pick<CollectorAccountStore, "list">;
}

interface SourceTiers {
  tiers: TierCoverage;
  coverage: SourceCoverage;
}

async function sourceTiers(reader: AdvisorStoreReader, scope: Scope, source: RollupSource, asked: Interval) {
  const { tiers, collected } = await collectedTiers(reader, scope, source);
  const t = tile(asked, tiers);
  const coverage: SourceCoverage = {
    region: scope.region,
    source,
    collected,
    window: asked,
    coveredMs: t.coveredMs,
    gaps: t.gaps,
  };
  return { tiers, coverage, covered: coveredIntervals(t.pieces) };
}

export interface JudgedSpan {
  scope: Scope;
  asked: Interval;
  /** Newest part of `asked` every source judged covers; null when metrics cover none of it. */
  judged: Interval | null;
  logsJudged: boolean;
  /** Covered time of `asked` left out because it is not contiguous with the judged part. */
  droppedMs: number;
  metrics: SourceTiers;
  logs: SourceTiers;
}

export async function judgedSpan(
  reader: AdvisorStoreReader,
  scope: Scope,
  asked: Interval,
): Promise<JudgedSpan> {
  const [m, l] = await Promise.all([
    sourceTiers(reader, scope, "metrics", asked),
    sourceTiers(reader, scope, "logs", asked),
  ]);
  const both = intersectIntervals(m.covered, l.covered);
  const logsJudged = both.length > 0;
  const parts = logsJudged ? both : m.covered;
  const judged = parts[parts.length - 1] ?? null;
  const total = parts.reduce((a, p) => a + (p.to - p.from), 0);
  return {
    scope,
    asked,
    judged: judged && { ...judged },
    logsJudged,
    droppedMs: total - (judged ? judged.to - judged.from : 0),
    metrics: { tiers: m.tiers, coverage: m.coverage },
    logs: { tiers: l.tiers, coverage: l.coverage },
  };
}

export interface DayTotals {
  /** UTC midnight. */
  day: number;
  /** Per function, and REGION_ROW for the region-wide series; a function without rows is absent. */
  metrics: Map<string, MetricRollup>;
  /** Per log group; null when logs are not judged. */
  logs: Map<string, LogRollup> | null;
}

/** Every piece's rows, read side by side, added up per key in piece order. */
async function addUp<T>(
  reads: readonly Promise<readonly T[]>[],
  key: (r: T) => string,
  add: (a: T, b: T) => T,
): Promise<Map<string, T>> {
  const into = new Map<string, T>();
  for (const rows of await Promise.all(reads))
    for (const r of rows) {
      const k = key(r);
      const acc = into.get(k);
      into.set(k, acc === undefined ? r : add(acc, r));
    }
  return into;
}

/** Totals per UTC day of the judged window (the first and last days may be partial). */
export async function readDays(reader: AdvisorStoreReader, span: JudgedSpan): Promise<DayTotals[]> {
  const j = span.judged;
  if (j === null) return [];
  const days: number[] = [];
  for (let day = Math.floor(j.from / DAY) * DAY; day < j.to; day += DAY) days.push(day);
  return Promise.all(
    days.map(async (day): Promise<DayTotals> => {
      const part = { from: Math.max(day, j.from), to: Math.min(day + DAY, j.to) };
      const [metrics, logs] = await Promise.all([
        addUp(
          tile(part, span.metrics.tiers).pieces.map((p) =>
            reader.telemetry.metricTotals(span.scope, p.res, p.from, p.to),
          ),
          (r) => r.fn,
          addMetric,
        ),
        span.logsJudged
          ? addUp(
              tile(part, span.logs.tiers).pieces.map((p) =>
                reader.telemetry.logTotals(span.scope, p.res, p.from, p.to),
              ),
              (r) => r.logGroup,
              addLog,
            )
          : null,
      ]);
      return { day, metrics, logs };
    }),
  );
}
