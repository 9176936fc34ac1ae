/** /requests/<id> URL state: `at` narrows the search window only when it is a real epoch in ms. */
import { describe, expect, it } from "vitest";
import { parseRequestParams, requestHref, requestWindow } from "@/app/requests/search-params";

const REGIONS = ["us-east-1", "eu-west-1"];
const SHELL = { from: 1_000_000, to: 2_000_000 };
const AT = Date.parse("2026-11-23T11:30:00Z");

describe("parseRequestParams", () => {
  it("reads region, function and at", () => {
    expect(parseRequestParams({ region: "eu-west-1", fn: " orders ", at: String(AT) }, REGIONS)).toEqual({
      region: "eu-west-1",
      fn: "orders",
      at: AT,
    });
  });

  it("empty, blank or absent `at` is absent, never epoch 0", () => {
    for (const at of ["", "   ", undefined, [""]]) {
      const p = parseRequestParams({ region: "us-east-1", at }, REGIONS);
      expect(p.at, JSON.stringify(at)).toBeUndefined();
      expect(requestWindow(p, SHELL)).toEqual(SHELL);
    }
  });

  it("`at` that is not an epoch in ms is absent", () => {
    for (const at of ["abc", "-5", "1.5", "1e12", "0x10", "99999999999999999", "Infinity"])
      expect(parseRequestParams({ at }, REGIONS).at, at).toBeUndefined();
  });

  it("an explicit 0 is kept (it is a time, not a missing value)", () => {
    expect(parseRequestParams({ at: "0" }, REGIONS).at).toBe(0);
  });

  it("an unknown region falls back to the first configured one", () => {
    expect(parseRequestParams({ region: "mars-1" }, REGIONS).region).toBe("us-east-1");
  });

  it("round-trips through requestHref and narrows to ±20 minutes", () => {
    const url = new URL(requestHref("r-1", { region: "eu-west-1", fn: "orders", at: AT + 0.4 }), "http://x");
    const p = parseRequestParams(Object.fromEntries(url.searchParams), REGIONS);
    expect(p).toEqual({ region: "eu-west-1", fn: "orders", at: AT });
    expect(requestWindow(p, SHELL)).toEqual({ from: AT - 20 * 60_000, to: AT + 20 * 60_000 });
  });
});
