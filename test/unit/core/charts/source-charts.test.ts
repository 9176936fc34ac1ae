/** The function page's event-source and async charts (lib/core/charts/source-charts.ts). */
import { describe, expect, it } from "vitest";
import type { SeriesPoint } from "@/lib/core/charts/series";
import {
  ageTrend,
  ageUnit,
  prepareSourceCharts,
  totalsText,
  type SourceChart,
  type SourceChartsInput,
  type SourceMetric,
} from "@/lib/core/charts/source-charts";
import { epochMs } from "@/lib/core/units";

const H = 3_600_000;
const series = (...values: (number | null)[]): SeriesPoint[] =>
  values.map((v, i) => ({ t: epochMs(i * 300_000), v }));
const zeros = series(0, 0, 0);

/** Nothing published: counts are 0 on the grid (as the store prepares them), gauges gaps. */
function input(over: Partial<SourceChartsInput> = {}): SourceChartsInput {
  const none = { points: zeros, read: false };
  const gap = { points: series(null, null, null), read: false };
  const metrics: Record<SourceMetric, { points: SeriesPoint[]; read: boolean }> = {
    IteratorAge: gap,
    OffsetLag: gap,
    AsyncEventsReceived: none,
    AsyncEventsDropped: none,
    AsyncEventAge: gap,
    DeadLetterErrors: none,
    DestinationDeliveryFailures: none,
    RecursiveInvocationsDropped: none,
  };
  return { ...metrics, ...over };
}

const byId = (charts: SourceChart[], id: string) => charts.find((c) => c.id === id);

describe("prepareSourceCharts", () => {
  it("a function publishing nothing gets no chart at all, each absent with why (no flat zero line)", () => {
    const charts = prepareSourceCharts(input());
    expect(charts.every((c) => c.kind === "absent")).toBe(true);
    expect(byId(charts, "fn-chart-iterator-age")).toMatchObject({
      kind: "absent",
      why: expect.stringContaining("stream event sources"),
    });
    expect(byId(charts, "fn-chart-async-events")).toMatchObject({
      why: expect.stringContaining("invoked asynchronously"),
    });
    expect(byId(charts, "fn-chart-recursive-dropped")).toMatchObject({
      why: expect.stringContaining("only when its loop detection stops"),
    });
  });

  it("charts a rising iterator age in hours, with its trend in ms", () => {
    const charts = prepareSourceCharts(
      input({ IteratorAge: { points: series(1.5 * H, null, 4.5 * H), read: true } }),
    );
    const c = byId(charts, "fn-chart-iterator-age");
    if (c?.kind !== "chart") throw new Error("expected a chart");
    expect(c.unit).toBe("hours");
    expect(c.lines[0]?.points.map((p) => p.v)).toEqual([1.5, null, 4.5]);
    expect(c.trend).toMatchObject({ firstMs: 1.5 * H, lastMs: 4.5 * H, peakMs: 4.5 * H });
    expect(c.trend?.summary).toMatch(/^rising: 1h 30m .* 4h 30m/);
    // The other charts stay absent.
    expect(byId(charts, "fn-chart-async-events")?.kind).toBe("absent");
  });

  it("an async function's dropped line is drawn even when nothing was dropped (0 is a value there)", () => {
    const charts = prepareSourceCharts(
      input({
        AsyncEventsReceived: { points: series(10, 0, 4), read: true },
        AsyncEventAge: { points: series(40, null, 55), read: true },
        DeadLetterErrors: { points: zeros, read: true },
      }),
    );
    const events = byId(charts, "fn-chart-async-events");
    if (events?.kind !== "chart") throw new Error("expected a chart");
    expect(events.lines.map((l) => [l.key, l.total])).toEqual([
      ["AsyncEventsReceived", 14],
      ["AsyncEventsDropped", 0],
    ]);
    expect(totalsText(events.lines)).toBe("Received 14 · Dropped 0");
    const age = byId(charts, "fn-chart-async-age");
    expect(age).toMatchObject({ kind: "chart", unit: "ms" });
    // A DLQ without a destination: one line, and the missing one said.
    const failures = byId(charts, "fn-chart-delivery-failures");
    if (failures?.kind !== "chart") throw new Error("expected a chart");
    expect(failures.lines.map((l) => l.key)).toEqual(["DeadLetterErrors"]);
    expect(failures.notPublished).toEqual([
      { metric: "DestinationDeliveryFailures", why: expect.stringContaining("destination") },
    ]);
  });

  it("recursive drops are charted once some were dropped", () => {
    const charts = prepareSourceCharts(
      input({ RecursiveInvocationsDropped: { points: series(0, 3, 0), read: true } }),
    );
    expect(byId(charts, "fn-chart-recursive-dropped")).toMatchObject({
      kind: "chart",
      unit: "count",
      lines: [{ key: "RecursiveInvocationsDropped", total: 3 }],
    });
  });
});

describe("age units and trends", () => {
  it("picks hours from 2 h, minutes from 2 min, else ms", () => {
    expect(ageUnit(2 * H).unit).toBe("hours");
    expect(ageUnit(2 * H - 1).unit).toBe("minutes");
    expect(ageUnit(120_000).unit).toBe("minutes");
    expect(ageUnit(119_999).unit).toBe("ms");
    expect(ageUnit(null).unit).toBe("ms");
  });

  it("reads first and last measured points past gaps; none without points", () => {
    expect(ageTrend(series(null, 5, 3, null))).toMatchObject({ firstMs: 5, lastMs: 3, peakMs: 5 });
    expect(ageTrend(series(null, 5, 3, null))?.summary).toMatch(/^falling/);
    expect(ageTrend(series(null, null))).toBeNull();
  });
});
