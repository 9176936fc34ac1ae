/**
 * The previous period read from a real in-memory SQLite store (lib/data/telemetry/previous-period.ts): the same
 * range a day earlier, on the same grid, with gaps where the collector had not collected it and a note saying
 * how much it covered. No AWS port may be called.
 */
import { describe, expect, it } from "vitest";
import { parseAccountId } from "@/lib/core/accounts";
import { previousLine } from "@/lib/core/charts/previous-period";
import type { SeriesPoint } from "@/lib/core/charts/series";
import { emptyMetric, type MetricRollup } from "@/lib/core/rollup/types";
import { bucketRange } from "@/lib/core/time/bucket";
import { epochMs, seconds } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { loadPreviousFleetMetrics, loadPreviousFunctionMetrics } from "@/lib/data/telemetry/previous-period";
import { openDatabase } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { withRegionMetrics } from "@/test/support/region-rows";
import { config } from "../core/advisor-fixtures";

const REGION = "us-east-1";
const SCOPE = { account: parseAccountId("123456789012"), region: REGION };
const M = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const bucket = bucketRange({ start: epochMs(NOW - 60 * M), end: epochMs(NOW) }, epochMs(NOW), seconds(60));
const earlierStart = bucket.start - DAY;

async function deps(): Promise<TelemetryDeps> {
  const db = openDatabase(":memory:");
  const telemetry = createTelemetryStore(db);
  const inventory = createInventoryStore(db);
  await inventory.putConfigs(SCOPE, [config({ name: "a", region: REGION })], NOW);
  await inventory.putAccount(SCOPE, { concurrentExecutions: 1000 } as never, NOW);
  const row = (k: number, invocations: number): MetricRollup => ({
    ...emptyMetric(SCOPE, "a", 60, earlierStart + k * M),
    invocations,
  });
  await telemetry.putMetrics(withRegionMetrics([row(0, 5), row(1, 7), row(40, 99)]));
  // The collector had reached only the first half hour of the earlier window.
  await telemetry.setCoverage(SCOPE, "metrics", 60, earlierStart, earlierStart + 30 * M, NOW - DAY);
  const aws = () => {
    throw new Error("AWS called");
  };
  return {
    lambda: aws,
    cloudwatch: aws,
    logs: aws,
    store: () => ({ telemetry, inventory }),
    liveCache: createCache({ ttlMs: 30_000, maxEntries: 100 }),
    settledCache: createCache({ ttlMs: 600_000, maxEntries: 100 }),
    now: () => epochMs(NOW),
    insightsTimeoutMs: 1000,
  };
}

describe("loadPreviousFunctionMetrics", () => {
  it("reads the range a day earlier on the same grid, a gap where it was not collected, and says how much", async () => {
    const o = await loadPreviousFunctionMetrics(
      SCOPE,
      { name: "a", logGroup: "/aws/lambda/a" },
      bucket,
      "1d",
      await deps(),
    );
    if (!o.ok) throw new Error(o.error.message);
    const p = o.value;
    expect(p.shift).toBe("1d");
    expect(p.share).toBe(0); // logs were not collected at all: the thinner source
    expect(p.coverage.find((c) => c.source === "metrics")?.coveredMs).toBe(30 * M);
    expect(p.note).toBe(
      "1 day earlier: metrics 50 %, REPORT lines 0 % of the range collected; the rest is a gap (not collected), not zero",
    );

    const inv = p.data.invocations;
    expect(inv[0]).toEqual({ t: earlierStart, v: 5 });
    expect(inv[2]?.v).toBe(0); // collected, nothing happened
    expect(inv[40]?.v).toBeNull(); // not collected: a gap, although a row exists
    // Moved onto the current window: same length, current timestamps.
    const line = previousLine({ key: "inv", label: "Invocations", points: bucketGrid() }, inv, "1d");
    expect(line.points.slice(0, 2)).toEqual([
      { t: bucket.start, v: 5 },
      { t: bucket.start + M, v: 7 },
    ]);
    expect(line.points.at(-1)?.v).toBeNull();
  });
});

describe("loadPreviousFleetMetrics", () => {
  it("reads the fleet's earlier window through the overview's store path, with its coverage", async () => {
    const o = await loadPreviousFleetMetrics([SCOPE], bucket, "1d", await deps());
    if (!o.ok) throw new Error(o.error.message);
    expect(o.value.data?.invocations[1]).toEqual({ t: earlierStart + M, v: 7 });
    expect(o.value.data?.invocations[45]?.v).toBeNull();
    expect(o.value.coverage.some((c) => c.source === "metrics" && c.coveredMs === 30 * M)).toBe(true);
  });
});

describe("an earlier window kept only at a coarser period", () => {
  // A 1-hour range 9 days ago on a 1-minute grid: a week before it is 16 days old, held only at 5 minutes.
  const old = bucketRange(
    { start: epochMs(NOW - 9 * DAY), end: epochMs(NOW - 9 * DAY + 60 * M) },
    epochMs(NOW),
    seconds(60),
  );

  it("is refused with the reason the panel shows, for a function and for the fleet, without reading", async () => {
    const reason =
      /^1 week earlier is kept only at 5-minute resolution, coarser than this chart's 1-minute grid/;
    const fn = await loadPreviousFunctionMetrics(
      SCOPE,
      { name: "a", logGroup: "/aws/lambda/a" },
      old,
      "1w",
      await deps(),
    );
    expect(fn.ok ? "drawn" : fn.error.message).toMatch(reason);
    const fleet = await loadPreviousFleetMetrics([SCOPE], old, "1w", await deps());
    expect(fleet.ok ? "drawn" : fleet.error.message).toMatch(reason);
    // A day earlier is 10 days old, still held at 1 minute: drawn.
    expect((await loadPreviousFleetMetrics([SCOPE], old, "1d", await deps())).ok).toBe(true);
  });
});

function bucketGrid(): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (let t: number = bucket.start; t < bucket.end; t += M) out.push({ t: epochMs(t), v: null });
  return out;
}
