import { describe, expect, it } from "vitest";
import { describeSearchWindow } from "@/lib/core/traces/search-window";

const at = (iso: string) => Date.parse(iso);

describe("describeSearchWindow", () => {
  it("a narrowed link's ±20 min", () => {
    expect(describeSearchWindow(at("2026-12-07T11:40:00Z"), at("2026-12-07T12:20:00Z"))).toBe(
      "11:40–12:20 UTC (40 min)",
    );
  });
  it("a day-long search names its dates and hours", () => {
    expect(describeSearchWindow(at("2026-12-06T12:00:00Z"), at("2026-12-07T12:00:00Z"))).toBe(
      "2026-12-06 12:00–2026-12-07 12:00 UTC (24 h)",
    );
  });
});
