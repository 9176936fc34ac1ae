/**
 * /requests/<id> URL state: `at` narrows the search window only when it is a real epoch in ms; `account` names the
 * account the request ran in and every link carries it.
 */
import { describe, expect, it } from "vitest";
import { loadRequestParams, requestHref, requestWindow } from "@/lib/url/requests";

const REGIONS = ["us-east-1", "eu-west-1"];
const SHELL = { from: 1_000_000, to: 2_000_000 };
const AT = Date.parse("2026-11-23T11:30:00Z");

describe("loadRequestParams", () => {
  it("reads region, function and at", () => {
    expect(loadRequestParams({ region: "eu-west-1", fn: " orders ", at: String(AT) }, REGIONS)).toEqual({
      account: undefined,
      region: "eu-west-1",
      fn: "orders",
      at: AT,
      problems: {},
    });
  });

  it("empty, blank or absent `at` is absent, never epoch 0", () => {
    for (const at of ["", "   ", undefined, [""]]) {
      const p = loadRequestParams({ region: "us-east-1", at }, REGIONS);
      expect(p.at, JSON.stringify(at)).toBeUndefined();
      expect(requestWindow(p, SHELL)).toEqual(SHELL);
    }
  });

  it("`at` that is not an epoch in ms is absent", () => {
    for (const at of ["abc", "-5", "1.5", "1e12", "0x10", "99999999999999999", "Infinity"]) {
      const p = loadRequestParams({ at }, REGIONS);
      expect(p.at, at).toBeUndefined();
      expect(p.problems.at, at).toMatch(/epoch milliseconds/);
    }
  });

  it("an explicit 0 is kept (it is a time, not a missing value)", () => {
    expect(loadRequestParams({ at: "0" }, REGIONS).at).toBe(0);
  });

  it("an unknown region falls back to the first configured one", () => {
    const p = loadRequestParams({ region: "mars-1" }, REGIONS);
    expect(p.region).toBe("us-east-1");
    expect(p.problems.region).toBe('Region "mars-1" is not configured: searching us-east-1.');
  });

  it("round-trips through requestHref and narrows to ±20 minutes", () => {
    const href = requestHref("r-1", {
      account: "222222222222",
      region: "eu-west-1",
      fn: "orders",
      at: AT + 0.4,
    });
    expect(href).toBe(`/requests/r-1?account=222222222222&region=eu-west-1&fn=orders&at=${AT}`);
    const p = loadRequestParams(new URL(href, "http://x").searchParams, REGIONS);
    expect(p).toEqual({ account: "222222222222", region: "eu-west-1", fn: "orders", at: AT, problems: {} });
    expect(requestWindow(p, SHELL)).toEqual({ from: AT - 20 * 60_000, to: AT + 20 * 60_000 });
  });

  it("reads a blank account as absent (the default account) and keeps any other as typed", () => {
    expect(loadRequestParams({ account: "  " }, REGIONS).account).toBeUndefined();
    // Whether the console reads it is decided by the page (lib/data/account-scopes), which says so.
    expect(loadRequestParams({ account: " 12ab " }, REGIONS).account).toBe("12ab");
  });
});
