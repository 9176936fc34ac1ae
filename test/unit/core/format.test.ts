import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatCount,
  formatDateTime,
  formatDuration,
  formatInteger,
  formatMb,
  formatMoney,
  formatNumber,
  formatPercent,
  formatRate,
  formatWeight,
  formatRelativeTime,
  formatSpan,
} from "@/lib/core/format";
import { bytes, epochMs, mb, microUsd, ms, ratio, usdToMicro } from "@/lib/core/units";

describe("formatters", () => {
  it("durations", () => {
    const cases: [number, string][] = [
      [0.42, "0.42 ms"],
      [3.71, "3.7 ms"],
      [12.34, "12.3 ms"],
      [102.25, "102 ms"],
      [999.4, "999 ms"],
      [999.6, "1 s"],
      [1234, "1.2 s"],
      [59_960, "1m 0s"],
      [125_000, "2m 5s"],
      [3_720_000, "1h 2m"],
      [97_200_000, "1d 3h"],
    ];
    for (const [v, text] of cases) expect(formatDuration(ms(v))).toBe(text);
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(ms(Number.NaN))).toBe("—");
  });

  it("sizes", () => {
    expect(formatBytes(bytes(512))).toBe("512 B");
    expect(formatBytes(bytes(1536))).toBe("1.5 KB");
    expect(formatBytes(bytes(50 * 1024 * 1024))).toBe("50 MB");
    expect(formatBytes(bytes(262_144_000))).toBe("250 MB");
    expect(formatMb(mb(128))).toBe("128 MB");
    expect(formatMb(mb(10_240))).toBe("10,240 MB");
    expect(formatMb(mb(70.54))).toBe("70.5 MB");
  });

  it("counts", () => {
    const cases: [number, string][] = [
      [0, "0"],
      [42, "42"],
      [2.5, "2.5"],
      [999, "999"],
      [1000, "1k"],
      [1234, "1.2k"],
      [12_345, "12k"],
      [999_950, "1M"],
      [1_500_000, "1.5M"],
      [2e9, "2B"],
      [-1234, "-1.2k"],
    ];
    for (const [v, text] of cases) expect(formatCount(v)).toBe(text);
  });

  it("percentages", () => {
    expect(formatPercent(ratio(0))).toBe("0%");
    expect(formatPercent(ratio(0.0004))).toBe("<0.1%");
    expect(formatPercent(ratio(0.012))).toBe("1.2%");
    expect(formatPercent(ratio(0.25))).toBe("25%");
    expect(formatPercent(ratio(1))).toBe("100%");
    expect(formatPercent(null)).toBe("—");
  });

  it("money", () => {
    expect(formatMoney(usdToMicro(1.23))).toBe("$1.23");
    expect(formatMoney(usdToMicro(0.0042))).toBe("$0.0042");
    expect(formatMoney(usdToMicro(0.5))).toBe("$0.50");
    expect(formatMoney(usdToMicro(1234.5))).toBe("$1,234.50");
    expect(formatMoney(microUsd(0))).toBe("$0.00");
    expect(formatMoney(microUsd(1))).toBe("$0.000001");
    expect(formatMoney(usdToMicro(-3.1))).toBe("-$3.10");
  });

  it("relative times against the given now", () => {
    const now = epochMs(Date.parse("2025-06-15T12:00:00Z"));
    expect(formatRelativeTime(epochMs(now - 10_000), now)).toBe("just now");
    expect(formatRelativeTime(epochMs(now - 5 * 60_000), now)).toBe("5m ago");
    expect(formatRelativeTime(epochMs(now - 3 * 3_600_000), now)).toBe("3h ago");
    expect(formatRelativeTime(epochMs(now - 2 * 86_400_000), now)).toBe("2d ago");
    expect(formatRelativeTime(epochMs(now + 10 * 60_000), now)).toBe("in 10m");
    expect(formatRelativeTime(null, now)).toBe("—");
  });

  it("spans of time in their largest unit (coverage, freshness)", () => {
    expect(formatSpan(40_000)).toBe("40 s");
    expect(formatSpan(12 * 60_000)).toBe("12 min");
    expect(formatSpan(90 * 60_000)).toBe("1.5 h");
    expect(formatSpan(19 * 3_600_000)).toBe("19 h");
    expect(formatSpan(6.5 * 86_400_000)).toBe("6.5 d");
    expect(formatSpan(30 * 86_400_000)).toBe("30 d");
    expect(formatSpan(-5)).toBe("0 s");
    expect(formatSpan(null)).toBe("—");
  });

  it("exact numbers and whole numbers with thousands separators", () => {
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect(formatNumber(1234.5)).toBe("1,234.5");
    expect(formatInteger(373_499.4)).toBe("373,499");
    expect(formatInteger(0)).toBe("0");
  });

  it("instants to the minute in UTC, unknown as a dash", () => {
    expect(formatDateTime(Date.UTC(2025, 2, 4, 17, 5, 59))).toBe("2025-03-04 17:05 UTC");
    expect(formatDateTime(0)).toBe("—");
    expect(formatDateTime(null)).toBe("—");
    expect(formatDateTime(Number.NaN)).toBe("—");
  });
});

describe("formatWeight", () => {
  it("keeps an alias weight exact to 0.01 %, without rounding to whole percents", () => {
    expect(formatWeight(ratio(0.5))).toBe("50%");
    expect(formatWeight(ratio(0.125))).toBe("12.5%");
    expect(formatWeight(ratio(0.0005))).toBe("0.05%");
    expect(formatWeight(ratio(1))).toBe("100%");
    expect(formatWeight(null)).toBe(formatPercent(null));
  });
});

describe("formatRate", () => {
  it("keeps one decimal at every size, where formatPercent rounds to whole percents", () => {
    expect(formatRate(ratio(0.123))).toBe("12.3%");
    expect(formatPercent(ratio(0.123))).toBe("12%");
    expect(formatRate(ratio(0.15))).toBe("15.0%");
    expect(formatRate(ratio(0.025))).toBe("2.5%");
    expect(formatRate(ratio(1))).toBe("100.0%");
    expect(formatRate(ratio(0))).toBe("0.0%");
  });

  it("shows 0.05 % as 0.1 % and only a non-zero rate below it as <0.1%", () => {
    expect(formatRate(ratio(0.0005))).toBe("0.1%");
    expect(formatRate(ratio(0.0004))).toBe("<0.1%");
    expect(formatRate(ratio(0.000_499_9))).toBe("<0.1%");
    expect(formatRate(ratio(1 / 100_000))).toBe("<0.1%");
  });

  it("renders no data (no requests: 0 / 0) as the em dash", () => {
    expect(formatRate(null)).toBe("—");
    expect(formatRate(ratio(0 / 0))).toBe("—");
    expect(formatRate(ratio(1 / 0))).toBe("—");
  });
});
