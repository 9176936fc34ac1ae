import { describe, expect, it } from "vitest";
import { isFleetscopeError } from "@/lib/core/errors";
import { PRESET_DURATION, RANGE_PRESETS, resolveRange } from "@/lib/core/time/range";
import { parseRangeParams, rangeToParams, serializeRange } from "@/lib/core/time/range-url";
import { epochMs } from "@/lib/core/units";

const NOW = epochMs(Date.parse("2025-06-15T12:00:00.000Z"));
const DAY = 86_400_000;

const invalid = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isFleetscopeError(e) && e.code === "InvalidInput") return e.message;
    throw e;
  }
  throw new Error("expected InvalidInput");
};

describe("parseRangeParams / serializeRange", () => {
  it("round-trips every preset", () => {
    for (const preset of RANGE_PRESETS) {
      const spec = parseRangeParams(new URLSearchParams(serializeRange({ kind: "preset", preset })), NOW);
      expect(spec).toEqual({ kind: "preset", preset });
      expect(resolveRange(spec, NOW)).toEqual({ start: NOW - PRESET_DURATION[preset], end: NOW });
    }
    expect(serializeRange({ kind: "preset", preset: "24h" })).toBe("range=24h");
  });

  it("round-trips a custom range through ISO strings", () => {
    const from = epochMs(Date.parse("2025-06-10T08:30:00.000Z"));
    const to = epochMs(Date.parse("2025-06-11T08:30:00.000Z"));
    const params = rangeToParams({ kind: "custom", from, to });
    expect(params).toEqual({ from: "2025-06-10T08:30:00.000Z", to: "2025-06-11T08:30:00.000Z" });
    expect(parseRangeParams(params, NOW)).toEqual({ kind: "custom", from, to });
  });

  it("accepts offsets and Next's record shape, defaulting to 24h when absent", () => {
    expect(parseRangeParams({ from: "2025-06-10T10:00:00+02:00", to: "2025-06-10T09:00:00Z" }, NOW)).toEqual({
      kind: "custom",
      from: Date.parse("2025-06-10T08:00:00Z"),
      to: Date.parse("2025-06-10T09:00:00Z"),
    });
    expect(parseRangeParams({}, NOW)).toEqual({ kind: "preset", preset: "24h" });
    expect(parseRangeParams({ range: ["7d"] }, NOW)).toEqual({ kind: "preset", preset: "7d" });
  });

  it("clamps a future end to now", () => {
    const spec = parseRangeParams({ from: "2025-06-15T11:00:00Z", to: "2025-06-16T00:00:00Z" }, NOW);
    expect(spec).toEqual({ kind: "custom", from: NOW - 3_600_000, to: NOW });
  });

  it("rejects malformed, inverted, empty, future, too long and too old ranges with InvalidInput", () => {
    expect(invalid(() => parseRangeParams({ range: "2h" }, NOW))).toMatch(/Unknown range/);
    expect(invalid(() => parseRangeParams({ range: "24h", from: "2025-06-10T00:00:00Z" }, NOW))).toMatch(
      /either/,
    );
    expect(invalid(() => parseRangeParams({ range: ["1h", "3h"] }, NOW))).toMatch(/repeats/);
    expect(invalid(() => parseRangeParams({ from: "2025-06-10T00:00:00Z" }, NOW))).toMatch(/both/);
    expect(invalid(() => parseRangeParams({ from: "yesterday", to: "2025-06-10T00:00:00Z" }, NOW))).toMatch(
      /ISO/,
    );
    expect(invalid(() => parseRangeParams({ from: "2025-06-10", to: "2025-06-11" }, NOW))).toMatch(/ISO/);
    expect(
      invalid(() => parseRangeParams({ from: "2025-06-11T00:00:00Z", to: "2025-06-10T00:00:00Z" }, NOW)),
    ).toMatch(/start before/);
    expect(
      invalid(() => parseRangeParams({ from: "2025-06-10T00:00:00Z", to: "2025-06-10T00:00:00Z" }, NOW)),
    ).toMatch(/start before/);
    expect(
      invalid(() => parseRangeParams({ from: "2025-06-16T00:00:00Z", to: "2025-06-17T00:00:00Z" }, NOW)),
    ).toMatch(/future/);
    expect(
      invalid(() => parseRangeParams({ from: "2024-01-01T00:00:00Z", to: "2025-06-01T00:00:00Z" }, NOW)),
    ).toMatch(/455 days/);
    expect(
      invalid(() => parseRangeParams({ from: "2024-03-01T00:00:00Z", to: "2024-03-02T00:00:00Z" }, NOW)),
    ).toMatch(/455 days ago/);
  });

  it("accepts exactly 455 days", () => {
    const from = new Date(NOW - 455 * DAY).toISOString();
    expect(parseRangeParams({ from, to: new Date(NOW).toISOString() }, NOW)).toMatchObject({
      kind: "custom",
    });
  });
});
