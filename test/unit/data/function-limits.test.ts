/**
 * The function page's measured limits (lib/data/function-limits.ts): store-backed telemetry outcomes turned into
 * rows that say what is measured against what, or why a figure is unavailable (never 0 %).
 */
import { describe, expect, it } from "vitest";
import type { SeriesPoint } from "@/lib/core/charts/series";
import type { Outcome } from "@/lib/core/errors";
import type { LimitRow } from "@/lib/core/limits";
import type { SourceCoverage } from "@/lib/core/rollup/coverage";
import { epochMs, mb, ms, seconds } from "@/lib/core/units";
import { measuredLimits, type MeasuredLimitsInput } from "@/lib/data/function-limits";
import { account } from "../core/advisor-fixtures";

const HOUR = 3_600_000;
const window = { from: 0, to: 24 * HOUR };
const coverage = (source: "metrics" | "logs", coveredMs = 24 * HOUR): SourceCoverage => ({
  region: "us-east-1",
  source,
  collected: coveredMs > 0 ? { from: 0, to: coveredMs, updatedAt: coveredMs } : null,
  window,
  coveredMs,
  gaps: coveredMs < window.to ? [{ from: coveredMs, to: window.to, within: null }] : [],
});
const points = (...vs: (number | null)[]): SeriesPoint[] => vs.map((v, i) => ({ t: epochMs(i * HOUR), v }));

type Logs = Extract<MeasuredLimitsInput["logs"], { ok: true }>["value"];
type Metrics = Extract<MeasuredLimitsInput["metrics"], { ok: true }>["value"];

function logs(over: Partial<Logs["stats"]> = {}, rest: Partial<Logs> = {}): Outcome<Logs> {
  return {
    ok: true,
    value: {
      stats: {
        invocations: 5000,
        p99Duration: ms(28_400),
        maxDuration: ms(30_000),
        maxMemoryUsed: mb(794),
        memorySize: mb(1024),
        timeouts: 0,
        ...over,
      },
      listed: true,
      sharedWith: [],
      coverage: [coverage("logs")],
      ...rest,
    },
  };
}

function metrics(concurrency: SeriesPoint[], rest: Partial<Metrics> = {}): Outcome<Metrics> {
  return { ok: true, value: { concurrency, listed: true, coverage: [coverage("metrics")], ...rest } };
}

const input = (over: Partial<MeasuredLimitsInput> = {}): MeasuredLimitsInput => ({
  config: { timeout: seconds(30), memory: mb(1024) },
  reservedConcurrency: null,
  account: { ok: true, value: account({ unreservedConcurrentExecutions: 900 }) },
  metrics: metrics(points(3, null, 12, 7)),
  logs: logs(),
  ...over,
});

const byId = (rows: LimitRow[], id: string) => rows.find((r) => r.id === id);
const why = (rows: LimitRow[], id: string) => {
  const r = byId(rows, id);
  return r?.status === "unavailable" ? r.why : null;
};

describe("measuredLimits", () => {
  it("measures p99/max duration against the timeout, memory against memory, peak against the unreserved pool", () => {
    const rows = measuredLimits(input());
    expect(byId(rows, "timeout-p99")).toMatchObject({ used: 28_400, limit: 30_000, status: "measured" });
    expect(byId(rows, "timeout-max")).toMatchObject({ used: 30_000, limit: 30_000, ratio: 1 });
    expect(byId(rows, "memory-used")).toMatchObject({ used: 794, limit: 1024 });
    expect(byId(rows, "concurrency-peak")).toMatchObject({
      used: 12,
      limit: 900,
      against: "account's unreserved pool",
      note: "The pool is shared by every function without reserved concurrency.",
    });
    expect(byId(measuredLimits(input({ reservedConcurrency: 20 })), "concurrency-peak")).toMatchObject({
      used: 12,
      limit: 20,
      ratio: 0.6,
      against: "reserved concurrency",
    });
  });

  it("notes timeouts, a memory size changed within the range, and partial coverage", () => {
    const partial = coverage("logs", 6 * HOUR);
    const rows = measuredLimits(
      input({ logs: logs({ timeouts: 2, memorySize: mb(512) }, { coverage: [partial] }) }),
    );
    expect(byId(rows, "timeout-max")?.note).toBe(
      "2 timed out in this range. Over the 6 h of 24 h collected.",
    );
    expect(byId(rows, "timeout-p99")?.note).toBe("Over the 6 h of 24 h collected.");
    expect(byId(rows, "memory-used")?.note).toMatch(/^REPORT lines say 512 MB: the memory size changed/);
  });

  it("says why REPORT figures are unavailable instead of showing 0 %", () => {
    expect(
      why(measuredLimits(input({ logs: logs({ invocations: 0, p99Duration: null }) })), "timeout-p99"),
    ).toBe("no REPORT lines in the collected part of this range");
    expect(why(measuredLimits(input({ logs: logs({}, { sharedWith: ["a", "b"] }) })), "memory-used")).toBe(
      "log group shared with a, b: its REPORT lines are not this function's alone",
    );
    expect(why(measuredLimits(input({ logs: logs({}, { listed: false }) })), "timeout-max")).toBe(
      "the collector has not listed this function yet",
    );
    expect(
      why(measuredLimits(input({ logs: logs({}, { coverage: [coverage("logs", 0)] }) })), "timeout-p99"),
    ).toBe("REPORT lines not collected for this range yet");
    const failed = measuredLimits(
      input({ logs: { ok: false, error: { code: "Throttled", message: "Rate exceeded" } } }),
    );
    expect(why(failed, "timeout-p99")).toBe("REPORT-line rollups failed to load (Throttled): Rate exceeded");
  });

  it("says why peak concurrency is unavailable: idle (no datapoint), or no account settings to measure against", () => {
    expect(why(measuredLimits(input({ metrics: metrics(points(null, null)) })), "concurrency-peak")).toBe(
      "no ConcurrentExecutions datapoint in the collected part of this range",
    );
    const noAccount = measuredLimits(
      input({ account: { ok: false, error: { code: "AccessDenied", message: "no" } } }),
    );
    expect(why(noAccount, "concurrency-peak")).toBe("account settings unavailable (AccessDenied)");
    // With reserved concurrency the account's settings are not needed.
    const reserved = measuredLimits(
      input({
        reservedConcurrency: 50,
        account: { ok: false, error: { code: "AccessDenied", message: "no" } },
      }),
    );
    expect(byId(reserved, "concurrency-peak")).toMatchObject({ status: "measured", limit: 50 });
  });
});
