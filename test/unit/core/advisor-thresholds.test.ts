import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, parseThresholds } from "@/lib/core/advisor";

describe("parseThresholds", () => {
  it("returns the defaults for nothing", () => {
    expect(parseThresholds(undefined)).toEqual(DEFAULT_THRESHOLDS);
    expect(parseThresholds({})).toEqual(DEFAULT_THRESHOLDS);
    expect(DEFAULT_THRESHOLDS.memory.overProvisionedBelow).toBe(0.6);
    expect(DEFAULT_THRESHOLDS.runtime.warnWithinDays).toBe(120);
  });

  it("merges a partial nested JSON override, keeping the other defaults", () => {
    const t = parseThresholds({ memory: { overProvisionedBelow: 0.8 }, errors: { warnAbove: 0.02 } });
    expect(t.memory.overProvisionedBelow).toBe(0.8);
    expect(t.memory.headroom).toBe(DEFAULT_THRESHOLDS.memory.headroom);
    expect(t.errors).toEqual({ warnAbove: 0.02, criticalAbove: 0.1 });
    expect(t.timeout).toEqual(DEFAULT_THRESHOLDS.timeout);
  });

  it("reads env-like records with string values", () => {
    const t = parseThresholds({
      FLEETSCOPE_ADVISOR__MEMORY__OVER_PROVISIONED_BELOW: "0.5",
      ADVISOR__ARM64__ENABLED: "false",
      "timeout.largeSeconds": "120",
    });
    expect(t.memory.overProvisionedBelow).toBe(0.5);
    expect(t.arm64.enabled).toBe(false);
    expect(t.timeout.largeSeconds).toBe(120);
  });

  it("rejects unknown keys, out-of-range values and inconsistent pairs, naming them", () => {
    expect(() => parseThresholds({ ADVISOR__MEMORY__OVERPROVISIONED: "0.5" })).toThrow(
      /Unknown advisor threshold/,
    );
    expect(() => parseThresholds({ memory: { overProvisionedBellow: 0.5 } })).toThrow(/memory/);
    expect(() => parseThresholds({ errors: { warnAbove: 2 } })).toThrow(/errors\.warnAbove/);
    expect(() => parseThresholds({ "errors.warnAbove": "abc" })).toThrow(/errors\.warnAbove/);
    expect(() => parseThresholds({ errors: { warnAbove: 0.2, criticalAbove: 0.1 } })).toThrow(
      /must not exceed/,
    );
    expect(() => parseThresholds("0.5")).toThrow(/must be an object/);
  });
});
