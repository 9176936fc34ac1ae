import { describe, expect, it } from "vitest";
import { loadCompare, withCompare } from "@/lib/url/compare";

describe("compare URL state", () => {
  it("loads 1d and 1w, and nothing when absent", () => {
    expect(loadCompare({ compare: "1d" })).toEqual({ compare: "1d", problem: null });
    expect(loadCompare(new URLSearchParams("compare=1w"))).toEqual({ compare: "1w", problem: null });
    expect(loadCompare({})).toEqual({ compare: null, problem: null });
  });

  it("turns a bad value off and says why, next to the control", () => {
    const bad = loadCompare({ compare: "2d" });
    expect(bad.compare).toBeNull();
    expect(bad.problem).toMatch(/^Not a comparison: "2d" \(use 1d or 1w\)/);
  });

  it("sets or removes compare and keeps every other param", () => {
    expect(withCompare("?range=6h&regions=us-east-1", "1d")).toBe("?range=6h&regions=us-east-1&compare=1d");
    expect(withCompare("range=6h&compare=1d", "1w")).toBe("?range=6h&compare=1w");
    expect(withCompare("?compare=1d", null)).toBe("");
  });
});
