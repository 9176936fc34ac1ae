import { describe, expect, it } from "vitest";
import { loadRefresh, withRefresh } from "@/lib/url/refresh";

describe("refresh URL state", () => {
  it("loads each interval, and off when absent", () => {
    expect(loadRefresh({ refresh: "30s" })).toEqual({ refresh: "30s", ms: 30_000, problem: null });
    expect(loadRefresh(new URLSearchParams("refresh=5m"))).toEqual({
      refresh: "5m",
      ms: 300_000,
      problem: null,
    });
    expect(loadRefresh({ refresh: "off" })).toEqual({ refresh: "off", ms: 0, problem: null });
    expect(loadRefresh({})).toEqual({ refresh: "off", ms: 0, problem: null });
  });

  it.each(["toString", "constructor", "valueOf", "__proto__", "hasOwnProperty", "10s"])(
    "turns %s off and says why",
    (raw) => {
      const bad = loadRefresh(new URLSearchParams({ refresh: raw }));
      expect(bad.refresh).toBe("off");
      expect(bad.ms).toBe(0);
      expect(bad.problem).toBe(`Not a refresh interval: "${raw}" (use 30s, 1m, 5m). Auto-refresh is off.`);
    },
  );

  it("sets or removes refresh and keeps every other param", () => {
    expect(withRefresh("?range=6h&fq=orders", "1m")).toBe("?range=6h&fq=orders&refresh=1m");
    expect(withRefresh("refresh=toString&range=6h", "off")).toBe("?range=6h");
    expect(withRefresh("", "off")).toBe("");
  });
});
