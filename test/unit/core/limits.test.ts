import { describe, expect, it } from "vitest";
import { LIMITS, ONE_VCPU_MEMORY } from "@/lib/core/limits";
import { bytesToMb } from "@/lib/core/units";

describe("LIMITS", () => {
  it("holds Lambda's documented quotas in their units", () => {
    expect([LIMITS.memoryMin.value, LIMITS.memoryMax.value]).toEqual([128, 10_240]);
    expect(LIMITS.timeoutMax.value).toBe(900);
    expect(LIMITS.envVarsSize.value).toBe(4096);
    expect(bytesToMb(LIMITS.zippedPackage.value)).toBe(50);
    expect(bytesToMb(LIMITS.unzippedPackage.value)).toBe(250);
    expect([LIMITS.ephemeralMin.value, LIMITS.ephemeralMax.value]).toEqual([512, 10_240]);
    expect(bytesToMb(LIMITS.codeStorage.value)).toBe(75 * 1024);
    expect(LIMITS.accountConcurrency.value).toBe(1000);
    expect(ONE_VCPU_MEMORY.value).toBe(1769);
  });

  it("cites an AWS document for every limit", () => {
    for (const limit of [...Object.values(LIMITS), ONE_VCPU_MEMORY]) {
      expect(limit.cite).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/lambda\//);
    }
  });
});
