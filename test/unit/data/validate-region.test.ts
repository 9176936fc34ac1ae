import { describe, expect, it } from "vitest";
import { isFleetscopeError } from "@/lib/core/errors";
import { parseConfiguredRegion } from "@/lib/data/validate";

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
};

describe("parseConfiguredRegion", () => {
  const configured = ["us-east-1", "eu-west-1"];
  it("accepts a configured region", () => {
    expect(parseConfiguredRegion("eu-west-1", configured)).toBe("eu-west-1");
  });
  it("says a well-formed region is not configured, naming the configured ones", () => {
    const e = thrown(() => parseConfiguredRegion("ap-south-1", configured));
    expect(isFleetscopeError(e) && e.code).toBe("InvalidInput");
    expect((e as Error).message).toMatch(/"ap-south-1" is not configured.*us-east-1, eu-west-1/);
  });
  it("still calls a malformed region malformed", () => {
    expect((thrown(() => parseConfiguredRegion("mars-1", configured)) as Error).message).toMatch(
      /not an AWS region name/,
    );
  });
});
