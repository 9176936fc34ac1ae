import { describe, expect, it } from "vitest";
import { isAccountId, parseAccountId } from "@/lib/core/accounts";
import { isFleetscopeError } from "@/lib/core/errors";

const failure = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a failure");
};

describe("parseAccountId", () => {
  it("takes exactly 12 digits, leading zeros kept", () => {
    expect(parseAccountId("012345678901")).toBe("012345678901");
    expect(isAccountId("123456789012")).toBe(true);
  });

  it.each(["12345678901", "1234567890123", "12345678901a", " 123456789012", "", "1234-5678-9012"])(
    "refuses %j naming it",
    (raw) => {
      const e = failure(() => parseAccountId(raw));
      expect(isFleetscopeError(e) && e.code).toBe("InvalidInput");
      expect((e as Error).message).toBe(`"${raw}" is not an AWS account id: it must be exactly 12 digits`);
    },
  );
});
