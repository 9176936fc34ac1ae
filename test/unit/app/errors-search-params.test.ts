/** /errors URL state: a function and a region narrow the view; bad values are ignored and said, never thrown. */
import { describe, expect, it } from "vitest";
import { errorsHref, parseErrorsParams } from "@/app/errors/search-params";

const CONFIGURED = ["us-east-1", "eu-west-1"];

describe("parseErrorsParams", () => {
  it("narrows to one function and one configured region", () => {
    expect(parseErrorsParams({ fn: "payments-api", region: "eu-west-1" }, CONFIGURED)).toEqual({
      fn: "payments-api",
      regions: ["eu-west-1"],
      problems: [],
    });
  });
  it("falls back to the shell's regions and every function, saying why", () => {
    const p = parseErrorsParams({ fn: "<script>", region: "mars-1", regions: "us-east-1" }, CONFIGURED);
    expect(p.fn).toBeUndefined();
    expect(p.regions).toEqual(["us-east-1"]);
    expect(p.problems).toHaveLength(2);
    expect(parseErrorsParams({}, CONFIGURED)).toEqual({ fn: undefined, regions: CONFIGURED, problems: [] });
  });
  it("links back with the shell's range kept and the region list replaced by the one region", () => {
    const href = errorsHref({ region: "us-east-1", fn: "orders" }, "?regions=eu-west-1&range=24h");
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/errors");
    expect(Object.fromEntries(url.searchParams)).toEqual({ range: "24h", fn: "orders", region: "us-east-1" });
    expect(parseErrorsParams(Object.fromEntries(url.searchParams), CONFIGURED).regions).toEqual([
      "us-east-1",
    ]);
  });
});
