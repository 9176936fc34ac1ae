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
 */
import type { SourceCoverage } from "@/lib/core/rollup/coverage";
import {
  coveredIntervals,
  intersectIntervals,
  tile,
  type Interval,
  type TierCoverage,
} from "@/lib/core/rollup/tiling";
import { addLog, addMetric, type LogRollup, type MetricRollup } from "@/lib/core/rollup/types";
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
}

interface SourceTiers {
  tiers: TierCoverage;
  coverage: SourceCoverage;
}

function sourceTiers(reader: AdvisorStoreReader, region: string, source: RollupSource, asked: Interval) {
  const { tiers, collected } = collectedTiers(reader, region, source);
  const t = tile(asked, tiers);
  const coverage: SourceCoverage = {
    region,
    source,
    collected,
    window: asked,
    coveredMs: t.coveredMs,
    gaps: t.gaps,
  };
  return { tiers, coverage, covered: coveredIntervals(t.pieces) };
}

export interface JudgedSpan {
  region: string;
  asked: Interval;
  /** Newest part of `asked` every source judged covers; null when metrics cover none of it. */
  judged: Interval | null;
  logsJudged: boolean;
  /** Covered time of `asked` left out because it is not contiguous with the judged part. */
  droppedMs: number;
  metrics: SourceTiers;
  logs: SourceTiers;
}

export function judgedSpan(reader: AdvisorStoreReader, region: string, asked: Interval): JudgedSpan {
  const m = sourceTiers(reader, region, "metrics", asked);
  const l = sourceTiers(reader, region, "logs", asked);
  const both = intersectIntervals(m.covered, l.covered);
  const logsJudged = both.length > 0;
  const parts = logsJudged ? both : m.covered;
  const judged = parts[parts.length - 1] ?? null;
  const total = parts.reduce((a, p) => a + (p.to - p.from), 0);
  return {
    region,
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

function addUp<T>(rows: readonly T[], key: (r: T) => string, add: (a: T, b: T) => T, into: Map<string, T>) {
  for (const r of rows) {
    const k = key(r);
    const acc = into.get(k);
    into.set(k, acc === undefined ? r : add(acc, r));
  }
}

/** Totals per UTC day of the judged window (the first and last days may be partial). */
export function readDays(reader: AdvisorStoreReader, span: JudgedSpan): DayTotals[] {
  const j = span.judged;
  if (j === null) return [];
  const out: DayTotals[] = [];
  for (let day = Math.floor(j.from / DAY) * DAY; day < j.to; day += DAY) {
    const part = { from: Math.max(day, j.from), to: Math.min(day + DAY, j.to) };
    const metrics = new Map<string, MetricRollup>();
    for (const p of tile(part, span.metrics.tiers).pieces)
      addUp(reader.telemetry.metricTotals(span.region, p.res, p.from, p.to), (r) => r.fn, addMetric, metrics);
    let logs: Map<string, LogRollup> | null = null;
    if (span.logsJudged) {
      logs = new Map();
      for (const p of tile(part, span.logs.tiers).pieces)
        addUp(reader.telemetry.logTotals(span.region, p.res, p.from, p.to), (r) => r.logGroup, addLog, logs);
    }
    out.push({ day, metrics, logs });
  }
  return out;
}
