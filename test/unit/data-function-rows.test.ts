import { describe, expect, it } from "vitest";
import { ratio } from "@/lib/core/units";
import {
  filterFunctions,
  formatAliasRouting,
  sortFunctions,
  type FleetFunction,
} from "@/lib/data/function-rows";

const row = (name: string, over: Partial<FleetFunction> = {}): FleetFunction => ({
  region: "us-east-1",
  name,
  description: "",
  runtime: "nodejs20.x",
  packageType: "Zip",
  architecture: "x86_64",
  memoryMb: 128,
  timeoutSeconds: 3,
  codeSizeBytes: 0,
  lastModified: 0,
  versionsCount: 0,
  aliases: [],
  ...over,
});

describe("filterFunctions", () => {
  const rows = [
    row("payments-api"),
    row("orders-worker", { runtime: "python3.12" }),
    row("img", { runtime: null }),
  ];
  it("matches name or runtime, case-insensitively, all terms", () => {
    expect(filterFunctions(rows, "PAYMENTS").map((r) => r.name)).toEqual(["payments-api"]);
    expect(filterFunctions(rows, "python").map((r) => r.name)).toEqual(["orders-worker"]);
    expect(filterFunctions(rows, "orders python").map((r) => r.name)).toEqual(["orders-worker"]);
    expect(filterFunctions(rows, "orders node")).toEqual([]);
    expect(filterFunctions(rows, "  ")).toHaveLength(3);
  });
});

describe("sortFunctions", () => {
  it("sorts numbers numerically and names naturally, both directions, with stable ties", () => {
    const rows = [
      row("fn-10", { memoryMb: 1024 }),
      row("fn-2", { memoryMb: 256 }),
      row("fn-1", { memoryMb: 1024, region: "eu-west-1" }),
    ];
    expect(sortFunctions(rows, "name", "asc").map((r) => r.name)).toEqual(["fn-1", "fn-2", "fn-10"]);
    expect(sortFunctions(rows, "memory", "desc").map((r) => r.name)).toEqual(["fn-1", "fn-10", "fn-2"]);
    expect(sortFunctions(rows, "memory", "asc").map((r) => r.name)).toEqual(["fn-2", "fn-1", "fn-10"]);
  });
});

describe("formatAliasRouting", () => {
  it("shows both versions with their shares", () => {
    const alias = {
      name: "live",
      arn: "",
      functionVersion: "7",
      description: "",
      revisionId: "",
      routing: { additionalVersion: "8", weight: ratio(0.3) },
    };
    expect(formatAliasRouting(alias)).toBe("live → 7 (70%) / 8 (30%)");
    expect(formatAliasRouting({ ...alias, routing: null })).toBe("live → 7");
  });
});
