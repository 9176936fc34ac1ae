import { describe, expect, it } from "vitest";
import {
  DEFAULT_RANGE,
  parseRegions,
  parseTimeRange,
  regionsProblem,
  resolveTimeRange,
  timeRangeProblem,
} from "@/app/search-params";

const NOW = Date.parse("2026-11-23T12:00:00Z");

describe("shared URL state", () => {
  it("reads presets and custom windows through lib/core/time", () => {
    expect(parseTimeRange({ range: "24h" }, NOW)).toEqual({ kind: "preset", preset: "24h" });
    const custom = parseTimeRange({ from: "2026-11-23T08:00:00Z", to: "2026-11-23T09:30:00Z" }, NOW);
    expect(resolveTimeRange(custom, NOW)).toEqual({
      from: Date.parse("2026-11-23T08:00:00Z"),
      to: Date.parse("2026-11-23T09:30:00Z"),
    });
    expect(resolveTimeRange({ kind: "preset", preset: "15m" }, NOW)).toEqual({
      from: NOW - 900_000,
      to: NOW,
    });
  });

  it("falls back to the default on a bad range and says why", () => {
    expect(parseTimeRange({}, NOW)).toEqual({ kind: "preset", preset: DEFAULT_RANGE });
    expect(timeRangeProblem({}, NOW)).toBeNull();
    for (const bad of [
      { range: "2y" },
      { from: "yesterday", to: "2026-11-23T09:00:00Z" },
      { from: "2026-11-23T10:00:00Z", to: "2026-11-23T09:00:00Z" },
      { range: "1h", from: "2026-11-23T08:00:00Z" },
    ]) {
      expect(parseTimeRange(bad, NOW)).toEqual({ kind: "preset", preset: DEFAULT_RANGE });
      expect(timeRangeProblem(bad, NOW)).toMatch(/Showing the last 3h/);
    }
  });

  it("keeps only configured regions", () => {
    expect(parseRegions({ regions: "eu-west-1,mars-1" }, ["us-east-1", "eu-west-1"])).toEqual(["eu-west-1"]);
    expect(parseRegions({ regions: "nope" }, ["us-east-1"])).toEqual(["us-east-1"]);
  });

  it("says which asked regions are not configured, and what is shown instead", () => {
    const configured = ["us-east-1", "eu-west-1"];
    expect(regionsProblem({ regions: "eu-west-1,mars-1" }, configured)).toBe(
      "Not a configured region: mars-1 (FLEETSCOPE_REGIONS is us-east-1, eu-west-1). Showing eu-west-1.",
    );
    expect(regionsProblem({ regions: "nope" }, configured)).toMatch(/nope .*Showing us-east-1, eu-west-1\.$/);
    expect(regionsProblem({ regions: "eu-west-1" }, configured)).toBeNull();
    expect(regionsProblem({}, configured)).toBeNull();
  });
});
