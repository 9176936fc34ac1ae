import { describe, expect, it } from "vitest";
import { ratio } from "@/lib/core/units";
import { formatAliasRouting } from "@/lib/data/function-rows";

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
