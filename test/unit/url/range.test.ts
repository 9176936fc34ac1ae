/** The URL's range: one parser and one serializer; a bad range is the default plus a problem, never a throw. */
import { describe, expect, it } from "vitest";
import { DEFAULT_PRESET, PRESET_DURATION, RANGE_PRESETS, resolveRange } from "@/lib/core/time/range";
import { epochMs } from "@/lib/core/units";
import { loadRange, rangeToParams, serializeRange, DEFAULT_RANGE } from "@/lib/url/range";

const NOW = epochMs(Date.parse("2025-06-15T12:00:00.000Z"));
const DAY = 86_400_000;

/** The range a URL gives, asserting it had no problem. */
const ok = (p: Parameters<typeof loadRange>[0]) => {
  const r = loadRange(p, NOW);
  expect(r.problem).toBeNull();
  return r.range;
};

/** The problem a bad URL gives, asserting the default range is used instead. */
const problem = (p: Parameters<typeof loadRange>[0]): string => {
  const r = loadRange(p, NOW);
  expect(r.range).toEqual(DEFAULT_RANGE);
  expect(r.problem).toMatch(/Showing the last 3h\.$/);
  return r.problem ?? "";
};

describe("loadRange / serializeRange", () => {
  it("has one default, the CloudWatch console's 3 hours", () => {
    expect(DEFAULT_PRESET).toBe("3h");
    expect(ok({})).toEqual({ kind: "preset", preset: "3h" });
    expect(ok(new URLSearchParams())).toEqual({ kind: "preset", preset: "3h" });
  });

  it("round-trips every preset", () => {
    for (const preset of RANGE_PRESETS) {
      const spec = ok(new URLSearchParams(serializeRange({ kind: "preset", preset })));
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
    expect(ok(params)).toEqual({ kind: "custom", from, to });
  });

  it("accepts offsets and Next's record shape", () => {
    expect(ok({ from: "2025-06-10T10:00:00+02:00", to: "2025-06-10T09:00:00Z" })).toEqual({
      kind: "custom",
      from: Date.parse("2025-06-10T08:00:00Z"),
      to: Date.parse("2025-06-10T09:00:00Z"),
    });
    expect(ok({ range: ["7d"] })).toEqual({ kind: "preset", preset: "7d" });
  });

  it("clamps a future end to now", () => {
    expect(ok({ from: "2025-06-15T11:00:00Z", to: "2025-06-16T00:00:00Z" })).toEqual({
      kind: "custom",
      from: NOW - 3_600_000,
      to: NOW,
    });
  });

  it("keeps a future end as written when asked not to clamp, still validating against now", () => {
    const params = { from: "2025-06-15T11:00:00Z", to: "2025-06-16T00:00:00Z" };
    expect(loadRange(params, NOW, { clamp: false })).toEqual({
      range: { kind: "custom", from: NOW - 3_600_000, to: Date.parse("2025-06-16T00:00:00Z") },
      problem: null,
    });
    // The same at any later instant before the end: what a control shows does not depend on when it renders.
    expect(loadRange(params, epochMs(NOW + 5_000), { clamp: false })).toEqual(
      loadRange(params, NOW, { clamp: false }),
    );
    expect(
      loadRange({ from: "2025-06-16T00:00:00Z", to: "2025-06-17T00:00:00Z" }, NOW, { clamp: false }).problem,
    ).toMatch(/future/);
  });

  it("says what is wrong with malformed, inverted, empty, future, too long and too old ranges", () => {
    expect(problem({ range: "banana" })).toMatch(/^Unknown range "banana"; use one of 15m, 1h/);
    expect(problem({ range: "24h", from: "2025-06-10T00:00:00Z" })).toMatch(/either/);
    expect(problem({ range: ["1h", "3h"] })).toMatch(/repeats/);
    expect(problem(new URLSearchParams("range=1h&range=3h"))).toMatch(/repeats/);
    expect(problem({ from: "2025-06-10T00:00:00Z" })).toMatch(/both/);
    expect(problem({ from: "yesterday", to: "2025-06-10T00:00:00Z" })).toMatch(/ISO/);
    expect(problem({ from: "2025-06-10", to: "2025-06-11" })).toMatch(/ISO/);
    expect(problem({ from: "2025-06-11T00:00:00Z", to: "2025-06-10T00:00:00Z" })).toMatch(/start before/);
    expect(problem({ from: "2025-06-10T00:00:00Z", to: "2025-06-10T00:00:00Z" })).toMatch(/start before/);
    expect(problem({ from: "2025-06-16T00:00:00Z", to: "2025-06-17T00:00:00Z" })).toMatch(/future/);
    expect(problem({ from: "2024-01-01T00:00:00Z", to: "2025-06-01T00:00:00Z" })).toMatch(/455 days/);
    expect(problem({ from: "2024-03-01T00:00:00Z", to: "2024-03-02T00:00:00Z" })).toMatch(/455 days ago/);
  });

  it("cuts a long bad value in the message (URL text is untrusted)", () => {
    expect(problem({ range: "x".repeat(500) }).length).toBeLessThan(200);
  });

  it("accepts exactly 455 days", () => {
    const from = new Date(NOW - 455 * DAY).toISOString();
    expect(ok({ from, to: new Date(NOW).toISOString() })).toMatchObject({ kind: "custom" });
  });
});
