/** The sandbox CLI's account flags: --accounts, --deny-role-in, --monitoring. */
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli";
import { accountIdFor } from "../../src/index";

describe("sandbox CLI account flags", () => {
  it("without account flags: one account, no organization", () => {
    expect(parseArgs([]).accounts).toEqual({});
  });

  it("--accounts N names management then member-i; --deny-role-in makes those fleetscope roles deny", () => {
    const { accounts } = parseArgs(["--accounts", "3", "--deny-role-in", "2"]);
    expect(accounts.accounts?.map((a) => a.name)).toEqual(["management", "member-1", "member-2"]);
    expect(accounts.accounts?.[1]?.roles).toBeUndefined();
    expect(accounts.accounts?.[2]?.roles?.find((r) => r.name === "fleetscope")?.deny).toBe(true);
    expect(accounts.monitoring).toBeUndefined();
  });

  it("--monitoring links account 0 to every other account", () => {
    const { accounts } = parseArgs(["--accounts=3", "--monitoring", "--seed", "9"]);
    expect(accounts.monitoring).toEqual({
      accountId: accountIdFor(9),
      sourceAccountIds: [accountIdFor(1009), accountIdFor(2009)],
    });
  });

  it("refuses out-of-range counts and indices with a message naming the flag", () => {
    expect(() => parseArgs(["--accounts", "21"])).toThrow(/--accounts: at most 20 accounts/);
    expect(() => parseArgs(["--accounts", "0"])).toThrow(/--accounts: at least 1 account/);
    expect(() => parseArgs(["--accounts", "2", "--deny-role-in", "2"])).toThrow(
      /--deny-role-in: account index 2 does not exist \(indices run 0..1\)/,
    );
    expect(() => parseArgs(["--deny-role-in", "x"])).toThrow(/--deny-role-in: account indices like 1,2/);
    expect(() => parseArgs(["--monitoring"])).toThrow(/--monitoring needs --accounts 2 or more/);
    expect(() => parseArgs(["--monitoring=yes"])).toThrow(/--monitoring takes no value/);
  });
});
