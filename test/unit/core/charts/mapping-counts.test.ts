/** Per event source mapping counts (lib/core/charts/mapping-counts.ts). */
import { describe, expect, it } from "vitest";
import { MAPPING_METRICS, mappingMetricKey, prepareMappingCounts } from "@/lib/core/charts/mapping-counts";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import { epochMs, seconds } from "@/lib/core/units";

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const M = 60_000;
const grid = { start: epochMs(T0), end: epochMs(T0 + 5 * M), period: seconds(60) };

const mapping = (uuid: string, metrics: string[]): EventSourceMapping => ({
  uuid,
  sourceArn: `arn:aws:kinesis:us-east-1:123456789012:stream/${uuid}`,
  kind: "kinesis",
  state: "Enabled",
  stateReason: "USER_INITIATED",
  lastProcessingResult: "OK",
  batchSize: 100,
  batchingWindowSeconds: null,
  startingPosition: "LATEST",
  filters: [],
  bisectOnError: false,
  reportBatchItemFailures: false,
  onFailureDestination: null,
  maxRetries: -1,
  maxRecordAgeSeconds: -1,
  parallelizationFactor: 1,
  lastModified: null,
  metrics,
});

describe("prepareMappingCounts", () => {
  it("sums each published count over the range; a metric without datapoints is not published, not 0", () => {
    const series = new Map([
      [mappingMetricKey("a", "PolledEventCount"), { timestamps: [T0, T0 + 2 * M], values: [120, 80] }],
      [mappingMetricKey("a", "InvokedEventCount"), { timestamps: [T0, T0 + 2 * M], values: [100, 70] }],
      [mappingMetricKey("a", "FailedInvokeEventCount"), { timestamps: [T0], values: [0] }],
      // Outside the range: not counted.
      [mappingMetricKey("a", "DroppedEventCount"), { timestamps: [T0 + 9 * M], values: [5] }],
    ]);
    const [a] = prepareMappingCounts([mapping("a", ["EventCount"])], series, grid);
    expect(a?.why).toBeNull();
    expect(a?.counts?.map((c) => [c.metric, c.total])).toEqual([
      ["PolledEventCount", 200],
      ["InvokedEventCount", 170],
      ["FilteredOutEventCount", null],
      ["FailedInvokeEventCount", 0],
      ["DroppedEventCount", 0],
      ["OnFailureDestinationDeliveredEventCount", null],
    ]);
    expect(a?.counts?.find((c) => c.metric === "FilteredOutEventCount")?.why).toContain("filter criteria");
    expect(a?.counts?.find((c) => c.metric === "PolledEventCount")?.why).toBeNull();
    // Missing periods of a count are 0 on the grid.
    expect(a?.counts?.[0]?.points.map((p) => p.v)).toEqual([120, 0, 80, 0, 0]);
  });

  it("a mapping without EventCount metrics gets no counts and says why", () => {
    const [b] = prepareMappingCounts([mapping("b", [])], new Map(), grid);
    expect(b).toMatchObject({ uuid: "b", counts: null, why: expect.stringContaining("MetricsConfig") });
  });

  it("knows the six documented metrics", () => {
    expect(MAPPING_METRICS).toHaveLength(6);
  });
});
