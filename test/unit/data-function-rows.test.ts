import { describe, expect, it } from "vitest";
import { formatWeight } from "@/lib/core/format";
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

  it("shows a weight exact to 0.01 %, as the function page does (formatWeight), not rounded to 0.1 %", () => {
    const alias = {
      name: "live",
      arn: "",
      functionVersion: "7",
      description: "",
      revisionId: "",
      routing: { additionalVersion: "8", weight: ratio(0.1235) },
    };
    expect(formatAliasRouting(alias)).toBe("live → 7 (87.65%) / 8 (12.35%)");
    const tiny = { ...alias, routing: { additionalVersion: "8", weight: ratio(0.0005) } };
    expect(formatAliasRouting(tiny)).toBe("live → 7 (99.95%) / 8 (0.05%)");
    // The same text the function page renders for each version.
    expect(formatAliasRouting(alias)).toContain(`(${formatWeight(ratio(1 - 0.1235))})`);
    expect(formatAliasRouting(alias)).toContain(`(${formatWeight(ratio(0.1235))})`);
  });
});
