import { describe, expect, it } from "vitest";
import { accountSelected, globMatches, parseFilterEntry } from "@/lib/core/accounts";

const prod = { id: "111111111111", name: "prod-payments" };
const staging = { id: "222222222222", name: "staging-payments" };
const byArn = { id: "333333333333", name: null };

describe("globMatches", () => {
  it.each([
    ["prod-*", "prod-payments", true],
    ["prod-*", "staging-prod-x", false],
    ["*-payments", "staging-payments", true],
    ["*", "", true],
    ["*", "anything at all", true],
    ["prod", "prod-payments", false],
    ["Prod-*", "prod-payments", false],
    ["a*b*c", "aXXbYYc", true],
    ["a*b*c", "aXXbYY", false],
    ["*a*a*a*", "aaa", true],
    ["*a*a*a*", "aa", false],
    ["a.b", "aXb", false],
    ["(x)+", "(x)+", true],
  ])("%j vs %j → %s", (glob, name, expected) => {
    expect(globMatches(glob, name)).toBe(expected);
  });
});

describe("accountSelected", () => {
  it("selects every account when nothing is included or excluded", () => {
    for (const a of [prod, staging, byArn])
      expect(accountSelected(a, { include: [], exclude: [] })).toBe(true);
  });

  it("includes by id exactly and by name glob", () => {
    const filter = { include: ["prod-*", "333333333333"], exclude: [] };
    expect(accountSelected(prod, filter)).toBe(true);
    expect(accountSelected(staging, filter)).toBe(false);
    expect(accountSelected(byArn, filter)).toBe(true);
  });

  it("lets exclude win over include", () => {
    const filter = { include: ["*-payments"], exclude: ["111111111111"] };
    expect(accountSelected(prod, filter)).toBe(false);
    expect(accountSelected(staging, filter)).toBe(true);
  });

  it("never matches a name glob against an account without a name, even *", () => {
    expect(accountSelected(byArn, { include: ["*"], exclude: [] })).toBe(false);
    expect(accountSelected(byArn, { include: [], exclude: ["*"] })).toBe(true);
  });

  it("does not treat an id as a glob over names, nor a partial id as a match", () => {
    const named = { id: "444444444444", name: "111111111111" };
    expect(accountSelected(named, { include: ["111111111111"], exclude: [] })).toBe(false);
    expect(accountSelected(prod, { include: ["11111111111*"], exclude: [] })).toBe(false);
  });
});

describe("parseFilterEntry", () => {
  it("trims and keeps ids and globs", () => {
    expect(parseFilterEntry(" 123456789012 ")).toBe("123456789012");
    expect(parseFilterEntry("Prod Account *")).toBe("Prod Account *");
  });

  it("refuses an id of the wrong length, an empty entry and non-printable names, naming them", () => {
    expect(() => parseFilterEntry("12345")).toThrow('"12345" looks like an account id but is not 12 digits');
    expect(() => parseFilterEntry("  ")).toThrow("an account filter entry is empty");
    expect(() => parseFilterEntry("prod\u00e9")).toThrow('"prod\u00e9" is neither a 12-digit account id');
  });
});
