import { describe, expect, it } from "vitest";
import { versionCharts } from "@/lib/core/traffic/version-charts";
import { epochMs, ms } from "@/lib/core/units";

const t0 = Date.UTC(2026, 10, 23, 12, 0);
const minute = (i: number, invocations: number, errors: number, p99: number | null) => ({
  t: epochMs(t0 + i * 60_000),
  invocations,
  errors,
  p99: p99 === null ? null : ms(p99),
});

describe("versionCharts", () => {
  const charts = versionCharts("7", [
    { version: "7", minutes: [minute(0, 100, 1, 120), minute(1, 50, 0, 110)] },
    { version: "8", minutes: [minute(0, 10, 2, 300), minute(1, 0, 0, null)] },
  ]);

  it("labels the primary version stable and the other new", () => {
    expect(charts.errorRate.map((l) => [l.version, l.role])).toEqual([
      ["7", "stable"],
      ["8", "new"],
    ]);
    expect(charts.p99.map((l) => l.role)).toEqual(["stable", "new"]);
  });

  it("computes the error rate per minute, a gap (not 0 %) in a minute without invocations", () => {
    expect(charts.errorRate[0]?.points.map((p) => p.v)).toEqual([0.01, 0]);
    expect(charts.errorRate[1]?.points.map((p) => p.v)).toEqual([0.2, null]);
  });

  it("keeps p99 gaps as gaps and the minutes' timestamps in order", () => {
    expect(charts.p99[1]?.points).toEqual([
      { t: t0, v: 300 },
      { t: t0 + 60_000, v: null },
    ]);
  });
});
