/** Sorting and filtering the fleet telemetry table (components/fleet/table-model.ts). */
import { describe, expect, it } from "vitest";
import { parseFleetQuery, selectRows, DEFAULT_FLEET_QUERY } from "@/components/fleet/table-model";
import { mb, ms, ratio } from "@/lib/core/units";
import type { FunctionRow } from "@/lib/data/telemetry/assemble";

const row = (name: string, over: Partial<FunctionRow> = {}): FunctionRow => ({
  region: "us-east-1",
  name,
  memory: mb(1024),
  invocations: 10,
  errors: 0,
  errorRate: ratio(0),
  throttles: 0,
  p99: ms(100),
  coldStarts: 0,
  coldStartRate: ratio(0),
  avgInit: null,
  maxMemoryUsed: null,
  monthlyCost: null,
  cost: null,
  ...over,
});

const rows = [
  row("alpha", { p99: ms(300), errors: 2 }),
  row("beta", { p99: null }),
  row("gamma", { p99: ms(100), throttles: 4 }),
  row("delta", { p99: ms(200), coldStarts: 1 }),
];
const names = (r: FunctionRow[]) => r.map((x) => x.name);

describe("fleet table model", () => {
  it("sorts both ways with unknown values last", () => {
    expect(names(selectRows(rows, { ...DEFAULT_FLEET_QUERY, sort: "p99", dir: "desc" }))).toEqual([
      "alpha",
      "delta",
      "gamma",
      "beta",
    ]);
    expect(names(selectRows(rows, { ...DEFAULT_FLEET_QUERY, sort: "p99", dir: "asc" }))).toEqual([
      "gamma",
      "delta",
      "alpha",
      "beta",
    ]);
  });

  it("filters by search terms and by condition", () => {
    expect(names(selectRows(rows, { ...DEFAULT_FLEET_QUERY, sort: "name", dir: "asc", q: "ta" }))).toEqual([
      "beta",
      "delta",
    ]);
    expect(names(selectRows(rows, { ...DEFAULT_FLEET_QUERY, filter: "errors" }))).toEqual(["alpha"]);
    expect(names(selectRows(rows, { ...DEFAULT_FLEET_QUERY, filter: "throttled" }))).toEqual(["gamma"]);
    expect(names(selectRows(rows, { ...DEFAULT_FLEET_QUERY, filter: "cold" }))).toEqual(["delta"]);
  });

  it("reads its URL state and falls back to defaults for unknown values", () => {
    expect(parseFleetQuery(new URLSearchParams("fq=pay&fsort=p99&fdir=asc&ffilter=cold"))).toEqual({
      q: "pay",
      sort: "p99",
      dir: "asc",
      filter: "cold",
    });
    expect(parseFleetQuery(new URLSearchParams("fsort=nope&fdir=up&ffilter=x"))).toEqual(DEFAULT_FLEET_QUERY);
  });
});
