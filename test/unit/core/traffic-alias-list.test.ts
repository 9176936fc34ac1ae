import { describe, expect, it } from "vitest";
import { parseTrafficQuery } from "@/lib/url/traffic";
import type { Alias } from "@/lib/core/lambda/types";
import { filterAliasRows, healthRank, listHealth, type ListRow } from "@/lib/core/traffic/alias-list";
import { aliasVerdict, DEFAULT_VERDICT_THRESHOLDS as T } from "@/lib/core/traffic/verdict";
import { ratio } from "@/lib/core/units";

const alias = (name: string, primary: string, extra?: string, weight = 0.3): Alias => ({
  name,
  arn: `arn:${name}`,
  functionVersion: primary,
  description: "",
  routing: extra ? { additionalVersion: extra, weight: ratio(weight) } : null,
  revisionId: "r",
});
const sample = (version: string, invocations: number, errors: number) => ({
  version,
  invocations,
  errors,
  p99: null,
});

const rows: ListRow[] = [
  {
    account: "111111111111",
    region: "us-east-1",
    functionName: "payments-api",
    alias: alias("live", "7", "8"),
    verdict: aliasVerdict(sample("7", 1260, 4), sample("8", 540, 75), T),
  },
  {
    account: "111111111111",
    region: "us-east-1",
    functionName: "orders-api",
    alias: alias("live", "12", "13", 0.1),
    verdict: aliasVerdict(sample("12", 1000, 3), sample("13", 1000, 2), T),
  },
  {
    account: "111111111111",
    region: "eu-west-1",
    functionName: "orders-api",
    alias: alias("live", "12", "13"),
    verdict: null,
  },
  {
    account: "222222222222",
    region: "us-east-1",
    functionName: "user-profile",
    alias: alias("live", "4"),
    verdict: null,
  },
];

describe("the /traffic list's health, filter and search", () => {
  it("says failing / healthy, 'unknown' for an uncollected canary and 'none' without one", () => {
    expect(rows.map(listHealth)).toEqual(["failing", "healthy", "unknown", "none"]);
    expect(healthRank("failing")).toBeLessThan(healthRank("degraded"));
    expect(healthRank("unknown")).toBeLessThan(healthRank("healthy"));
  });

  it("filters by health", () => {
    const failing = filterAliasRows(rows, { q: "", health: "failing" });
    expect(failing.map((r) => r.functionName)).toEqual(["payments-api"]);
    expect(filterAliasRows(rows, { q: "", health: "all" })).toHaveLength(4);
    expect(filterAliasRows(rows, { q: "", health: "degraded" })).toEqual([]);
  });

  it("searches function:alias, region and the health words, every word must match", () => {
    expect(filterAliasRows(rows, { q: "orders", health: "all" })).toHaveLength(2);
    expect(filterAliasRows(rows, { q: "ORDERS eu-west", health: "all" }).map((r) => r.region)).toEqual([
      "eu-west-1",
    ]);
    expect(filterAliasRows(rows, { q: "failing", health: "all" }).map((r) => r.functionName)).toEqual([
      "payments-api",
    ]);
    expect(filterAliasRows(rows, { q: "payments-api:live", health: "healthy" })).toEqual([]);
  });

  it("searches the account id too", () => {
    expect(filterAliasRows(rows, { q: "222222222222", health: "all" }).map((r) => r.functionName)).toEqual([
      "user-profile",
    ]);
  });

  it("reads ?q and ?health from the URL, falling back to everything on nonsense", () => {
    expect(parseTrafficQuery({ q: " pay ", health: "failing" })).toEqual({ q: "pay", health: "failing" });
    expect(parseTrafficQuery({ health: "bogus" })).toEqual({ q: "", health: "all" });
    expect(parseTrafficQuery({ q: ["a", "b"], health: undefined })).toEqual({ q: "a", health: "all" });
  });
});
