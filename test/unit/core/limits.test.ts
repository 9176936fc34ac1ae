import { describe, expect, it } from "vitest";
import {
  configLimitRows,
  LIMITS,
  ONE_VCPU_MEMORY,
  runtimeLimitRows,
  type LimitRow,
  type RuntimeEvidence,
} from "@/lib/core/limits";
import { bytes, bytesToMb, mb, ms, seconds } from "@/lib/core/units";
import { account, config, MiB } from "./advisor-fixtures";

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

describe("runtimeLimitRows: limits measured where they bite", () => {
  const evidence = (over: Partial<RuntimeEvidence> = {}): RuntimeEvidence => ({
    timeout: seconds(30),
    memory: mb(1024),
    p99Duration: { ok: true, value: ms(28_400) },
    maxDuration: { ok: true, value: ms(30_000) },
    maxMemoryUsed: { ok: true, value: mb(700) },
    peakConcurrency: { ok: true, value: 40 },
    ceiling: { kind: "reserved", value: 50 },
    ...over,
  });
  const byId = (rows: LimitRow[], id: string) => rows.find((r) => r.id === id);

  it("measures p99 and max duration against the function's own timeout, not the 900 s maximum", () => {
    const rows = runtimeLimitRows(evidence());
    expect(byId(rows, "timeout-p99")).toMatchObject({
      group: "runtime",
      measured: "Duration p99",
      against: "configured timeout",
      unit: "ms",
      status: "measured",
      used: 28_400,
      limit: 30_000,
    });
    const p99 = byId(rows, "timeout-p99");
    expect(p99?.status === "measured" && p99.ratio).toBeCloseTo(28.4 / 30);
    expect(byId(rows, "timeout-max")).toMatchObject({ used: 30_000, limit: 30_000, ratio: 1 });
  });

  it("measures memory used against configured memory, concurrency against reserved or the unreserved pool", () => {
    const reserved = runtimeLimitRows(evidence());
    expect(byId(reserved, "memory-used")).toMatchObject({
      used: 700,
      limit: 1024,
      against: "configured memory",
    });
    expect(byId(reserved, "concurrency-peak")).toMatchObject({
      used: 40,
      limit: 50,
      ratio: 0.8,
      against: "reserved concurrency",
    });
    const pooled = runtimeLimitRows(evidence({ ceiling: { kind: "unreserved-pool", value: 900 } }));
    expect(byId(pooled, "concurrency-peak")).toMatchObject({
      limit: 900,
      against: "account's unreserved pool",
    });
  });

  it("says why a figure is missing instead of showing 0 %", () => {
    const rows = runtimeLimitRows(
      evidence({
        p99Duration: { ok: false, why: "no REPORT lines in the collected part of this range" },
        peakConcurrency: { ok: true, value: 3 },
        ceiling: { kind: "unknown", why: "account settings unavailable (Throttled)" },
      }),
    );
    expect(byId(rows, "timeout-p99")).toEqual(
      expect.objectContaining({
        status: "unavailable",
        why: "no REPORT lines in the collected part of this range",
      }),
    );
    expect(byId(rows, "timeout-p99")).not.toHaveProperty("ratio");
    expect(byId(rows, "concurrency-peak")).toMatchObject({
      status: "unavailable",
      why: "account settings unavailable (Throttled)",
    });
    // Reserved concurrency 0 turns the function off: no share of 0 to show.
    const off = runtimeLimitRows(evidence({ ceiling: { kind: "reserved", value: 0 } }));
    expect(byId(off, "concurrency-peak")).toMatchObject({ status: "unavailable" });
  });

  it("carries per-row notes", () => {
    const rows = runtimeLimitRows(evidence({ notes: { "timeout-max": "3 timed out in this range." } }));
    expect(byId(rows, "timeout-max")?.note).toBe("3 timed out in this range.");
    expect(byId(rows, "timeout-p99")?.note).toBeUndefined();
  });
});

describe("configLimitRows: sizes against quotas, settings against maximums", () => {
  it("labels the configured timeout as a setting of the 900 s maximum, never as used", () => {
    const rows = configLimitRows(config({ timeout: seconds(30) }), null, account());
    const timeout = rows.find((r) => r.id === "timeout-setting");
    expect(timeout).toMatchObject({ group: "setting", against: "900 s maximum", used: 30, limit: 900 });
    expect(rows.every((r) => r.group !== "runtime")).toBe(true);
    expect(rows.some((r) => r.id === "reserved-concurrency")).toBe(false);
  });

  it("measures package, code + layers and env vars against AWS's hard limits", () => {
    const rows = configLimitRows(
      config({
        codeSize: bytes(40 * MiB),
        layers: [{ arn: "arn:aws:lambda:us-east-1:0:layer:x:1", codeSize: bytes(20 * MiB) }],
        envVarsSize: bytes(1024),
      }),
      100,
      account(),
    );
    expect(rows.find((r) => r.id === "package-zipped")).toMatchObject({ group: "quota", ratio: 0.8 });
    expect(rows.find((r) => r.id === "code-and-layers")).toMatchObject({ used: 60 * MiB, limit: 250 * MiB });
    expect(rows.find((r) => r.id === "env-vars")).toMatchObject({ ratio: 0.25 });
    expect(rows.find((r) => r.id === "reserved-concurrency")).toMatchObject({ group: "setting", used: 100 });
    // Image functions have no zip package to measure.
    const image = configLimitRows(config({ packageType: "Image" }), null, null);
    expect(image.some((r) => r.id === "package-zipped" || r.id === "account-code-storage")).toBe(false);
  });
});
