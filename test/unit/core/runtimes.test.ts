import { describe, expect, it } from "vitest";
import {
  RUNTIMES,
  isoDateToEpoch,
  runtimeInfo,
  runtimeStatus,
  suggestedUpgrade,
  supportsArm64,
} from "@/lib/core/runtimes";
import { epochMs } from "@/lib/core/units";

const NOW = epochMs(Date.UTC(2026, 10, 23));
const DAY = 86_400_000;

describe("runtime table", () => {
  it("has unique ids, ISO dates, and block dates after deprecation", () => {
    const ids = RUNTIMES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RUNTIMES) {
      for (const d of [r.deprecation, r.blockCreate, r.blockUpdate]) {
        if (d !== null) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      if (r.deprecation && r.blockUpdate) expect(r.blockUpdate > r.deprecation).toBe(true);
      if (r.blockCreate && r.blockUpdate) expect(r.blockUpdate >= r.blockCreate).toBe(true);
    }
  });

  it("knows the planted deprecations' dates", () => {
    expect(runtimeInfo("python3.8")?.deprecation).toBe("2024-10-14");
    expect(runtimeInfo("nodejs16.x")?.deprecation).toBe("2024-06-12");
  });
});

describe("runtimeStatus", () => {
  it("marks the sandbox's current runtimes supported", () => {
    for (const r of [
      "nodejs22.x",
      "nodejs24.x",
      "python3.12",
      "python3.13",
      "java21",
      "provided.al2023",
      "ruby3.4",
    ]) {
      expect(runtimeStatus(r, NOW).status).toBe("supported");
    }
  });

  it("marks python3.8 and nodejs16.x deprecated, with negative days", () => {
    const s = runtimeStatus("python3.8", NOW);
    expect(s.status).toBe("deprecated");
    expect(s.daysUntilDeprecation).toBeLessThan(0);
    expect(runtimeStatus("nodejs16.x", NOW).status).toBe("deprecated");
  });

  it("warns exactly from 120 days before the deprecation date", () => {
    const dep = isoDateToEpoch("2027-03-31"); // ruby3.3
    expect(runtimeStatus("ruby3.3", epochMs(dep - 120 * DAY - 1)).status).toBe("supported");
    expect(runtimeStatus("ruby3.3", epochMs(dep - 120 * DAY)).status).toBe("deprecating-soon");
    expect(runtimeStatus("ruby3.3", epochMs(dep - 1)).status).toBe("deprecating-soon");
    expect(runtimeStatus("ruby3.3", dep).status).toBe("deprecated");
    expect(runtimeStatus("ruby3.3", epochMs(dep - 30 * DAY), 20).status).toBe("supported");
  });

  it("says unknown for runtimes it has never heard of, instead of guessing", () => {
    expect(runtimeStatus("cobol85", NOW)).toEqual({ status: "unknown", daysUntilDeprecation: null });
  });
});

describe("supportsArm64 and upgrades", () => {
  it("is true for Amazon Linux 2/2023 runtimes and false for AL1 or unknown ones", () => {
    expect(supportsArm64("nodejs22.x")).toBe(true);
    expect(supportsArm64("python3.8")).toBe(true);
    expect(supportsArm64("go1.x")).toBe(false);
    expect(supportsArm64("python3.7")).toBe(false);
    expect(supportsArm64("cobol85")).toBe(false);
  });

  it("suggests the newest supported runtime of the same language", () => {
    expect(suggestedUpgrade("python3.8", NOW)).toBe("python3.14");
    expect(suggestedUpgrade("nodejs16.x", NOW)).toBe("nodejs24.x");
    expect(suggestedUpgrade("java8.al2", NOW)).toBe("java25");
    expect(suggestedUpgrade("go1.x", NOW)).toBeUndefined();
  });
});
