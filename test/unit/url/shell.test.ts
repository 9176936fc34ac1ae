/**
 * The shell's URL state: accounts, regions and range with a problem each, and the params links carry between
 * pages.
 */
import { describe, expect, it } from "vitest";
import { epochMs } from "@/lib/core/units";
import { showsRangePicker } from "@/lib/url/range-pages";
import {
  accountsParam,
  loadAccounts,
  loadRegions,
  loadShell,
  rangeWindow,
  selectedScopes,
  shellQuery,
  showsAccounts,
  withRange,
} from "@/lib/url/shell";

const NOW = epochMs(Date.parse("2026-11-23T12:00:00Z"));
const CONFIGURED = ["us-east-1", "eu-west-1"];

describe("loadRegions", () => {
  it("keeps only configured regions, in configured order", () => {
    expect(loadRegions({ regions: "eu-west-1,us-east-1" }, CONFIGURED)).toEqual({
      regions: ["us-east-1", "eu-west-1"],
      problem: null,
    });
    expect(loadRegions({}, CONFIGURED)).toEqual({ regions: CONFIGURED, problem: null });
  });

  it("says which asked regions are not configured, and what is shown instead", () => {
    expect(loadRegions({ regions: "eu-west-1,mars-1" }, CONFIGURED)).toEqual({
      regions: ["eu-west-1"],
      problem:
        "Not a configured region: mars-1 (FLEETSCOPE_REGIONS is us-east-1, eu-west-1). Showing eu-west-1.",
    });
    const none = loadRegions(new URLSearchParams("regions=ap-south-1"), CONFIGURED);
    expect(none.regions).toEqual(CONFIGURED);
    expect(none.problem).toMatch(/^Not a configured region: ap-south-1 .*Showing us-east-1, eu-west-1\.$/);
  });
});

describe("loadShell", () => {
  it("gives regions, range and one problem per bad param", () => {
    expect(loadShell({ regions: "eu-west-1", range: "24h" }, CONFIGURED, NOW)).toEqual({
      regions: ["eu-west-1"],
      accounts: [],
      range: { kind: "preset", preset: "24h" },
      problems: { regions: null, accounts: null, range: null },
    });
    const bad = loadShell({ regions: "mars-1", range: "banana" }, CONFIGURED, NOW);
    expect(bad.range).toEqual({ kind: "preset", preset: "3h" });
    expect(bad.problems.range).toMatch(/^Unknown range "banana".*Showing the last 3h\.$/);
    expect(bad.problems.regions).toMatch(/mars-1/);
  });

  it("resolves a range to its window at the request's now", () => {
    expect(rangeWindow({ kind: "preset", preset: "15m" }, NOW)).toEqual({ from: NOW - 900_000, to: NOW });
    const custom = loadShell({ from: "2026-11-23T08:00:00Z", to: "2026-11-23T09:30:00Z" }, CONFIGURED, NOW);
    expect(rangeWindow(custom.range, NOW)).toEqual({
      from: Date.parse("2026-11-23T08:00:00Z"),
      to: Date.parse("2026-11-23T09:30:00Z"),
    });
  });
});

describe("withRange", () => {
  it("replaces the range, keeping every other param", () => {
    expect(withRange("?regions=eu-west-1&range=3h&q=pay", { kind: "preset", preset: "7d" })).toBe(
      "?regions=eu-west-1&q=pay&range=7d",
    );
    const custom = withRange("range=3h&sort=memory", {
      kind: "custom",
      from: epochMs(Date.parse("2026-11-23T08:00:00Z")),
      to: epochMs(Date.parse("2026-11-23T09:00:00Z")),
    });
    expect(Object.fromEntries(new URLSearchParams(custom))).toEqual({
      sort: "memory",
      from: "2026-11-23T08:00:00.000Z",
      to: "2026-11-23T09:00:00.000Z",
    });
    expect(
      withRange("?from=2026-11-23T08:00:00Z&to=2026-11-23T09:00:00Z", { kind: "preset", preset: "1h" }),
    ).toBe("?range=1h");
  });

  it("writes what loadRange reads back", () => {
    const spec = {
      kind: "custom" as const,
      from: epochMs(Date.parse("2026-11-22T08:00:00Z")),
      to: epochMs(Date.parse("2026-11-22T20:00:00Z")),
    };
    expect(loadShell(new URLSearchParams(withRange("", spec)), CONFIGURED, NOW).range).toEqual(spec);
  });
});

const KNOWN = [
  { id: "111111111111", name: "management" },
  { id: "222222222222", name: "member-1" },
  { id: "333333333333", name: null },
];

describe("loadAccounts", () => {
  it("absent: every account read; otherwise the asked ones, in the accounts' order", () => {
    expect(loadAccounts({}, KNOWN)).toEqual({ accounts: KNOWN.map((a) => a.id), problem: null });
    expect(loadAccounts({ accounts: "333333333333, 111111111111" }, KNOWN)).toEqual({
      accounts: ["111111111111", "333333333333"],
      problem: null,
    });
  });

  it("says which asked accounts Fleetscope does not read, and what is shown instead", () => {
    expect(loadAccounts(new URLSearchParams("accounts=222222222222,999999999999"), KNOWN)).toEqual({
      accounts: ["222222222222"],
      problem: "Not an account Fleetscope reads: 999999999999 (see the Accounts page). Showing 222222222222.",
    });
    const none = loadAccounts({ accounts: "not-an-id" }, KNOWN);
    expect(none.accounts).toEqual(KNOWN.map((a) => a.id));
    expect(none.problem).toBe(
      "Not an account Fleetscope reads: not-an-id (see the Accounts page). Showing every account.",
    );
  });

  it("is carried by loadShell with its own problem", () => {
    const s = loadShell({ accounts: "222222222222,444444444444" }, CONFIGURED, NOW, KNOWN);
    expect(s.accounts).toEqual(["222222222222"]);
    expect(s.problems.accounts).toMatch(/444444444444/);
    expect(s.problems.regions).toBeNull();
  });

  it("writes no param when every account is selected, else the selection in the accounts' order", () => {
    expect(accountsParam(["333333333333", "111111111111", "222222222222"], KNOWN)).toBeNull();
    expect(accountsParam(["333333333333", "111111111111"], KNOWN)).toBe("111111111111,333333333333");
    // Written, then read back: the same selection.
    const written = accountsParam(["222222222222"], KNOWN) ?? "";
    expect(loadAccounts({ accounts: written }, KNOWN).accounts).toEqual(["222222222222"]);
  });

  it("the account filter and Account column show only when several accounts are read", () => {
    expect(showsAccounts(KNOWN)).toBe(true);
    expect(showsAccounts(KNOWN.slice(0, 1))).toBe(false);
    expect(showsAccounts([])).toBe(false);
  });

  it("pairs each selected account with each selected region, account-major", () => {
    expect(selectedScopes(["111111111111", "222222222222"], ["us-east-1", "eu-west-1"])).toEqual([
      { account: "111111111111", region: "us-east-1" },
      { account: "111111111111", region: "eu-west-1" },
      { account: "222222222222", region: "us-east-1" },
      { account: "222222222222", region: "eu-west-1" },
    ]);
  });
});

describe("shellQuery", () => {
  it("carries only accounts, regions and range from page to page", () => {
    expect(shellQuery({ regions: "eu-west-1", range: "24h", q: "x", sort: "memory" })).toBe(
      "?regions=eu-west-1&range=24h",
    );
    expect(shellQuery({ account: "111111111111", accounts: "222222222222", range: "1h" })).toBe(
      "?accounts=222222222222&range=1h",
    );
    expect(shellQuery(new URLSearchParams("from=a&to=b&health=ok"))).toBe("?from=a&to=b");
    expect(shellQuery({})).toBe("");
  });
});

describe("showsRangePicker", () => {
  it("is on the pages the range changes, and off elsewhere", () => {
    for (const p of [
      "/",
      "/functions/us-east-1/orders",
      "/errors",
      "/traces",
      "/map",
      "/sources",
      "/requests/r-1",
    ])
      expect(showsRangePicker(p), p).toBe(true);
    for (const p of ["/status", "/login", "/functions", "/traffic", "/advisor", "/traces/1-abc"])
      expect(showsRangePicker(p), p).toBe(false);
  });
});
