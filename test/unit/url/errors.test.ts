/** /errors URL state: a function and a region narrow the view; bad values are ignored and said, never thrown. */
import { describe, expect, it } from "vitest";
import { errorsHref, loadErrorsParams } from "@/lib/url/errors";

const CONFIGURED = ["us-east-1", "eu-west-1"];

describe("loadErrorsParams", () => {
  it("narrows to one function and one configured region", () => {
    expect(loadErrorsParams({ fn: "payments-api", region: "eu-west-1" }, CONFIGURED)).toEqual({
      fn: "payments-api",
      region: "eu-west-1",
      regions: ["eu-west-1"],
      problems: {},
    });
  });
  it("falls back to the shell's regions and every function, saying why next to each param", () => {
    const p = loadErrorsParams({ fn: "<script>", region: "mars-1", regions: "us-east-1" }, CONFIGURED);
    expect(p.fn).toBeUndefined();
    expect(p.region).toBeUndefined();
    expect(p.regions).toEqual(["us-east-1"]);
    expect(p.problems.fn).toBe('"<script>" is not a Lambda function name: showing every function.');
    expect(p.problems.region).toBe('Region "mars-1" is not configured (us-east-1, eu-west-1).');
    expect(loadErrorsParams({}, CONFIGURED)).toEqual({
      fn: undefined,
      region: undefined,
      regions: CONFIGURED,
      problems: {},
    });
  });
  it("links back with the shell's range kept and the region list replaced by the one region", () => {
    const href = errorsHref({ region: "us-east-1", fn: "orders" }, "?regions=eu-west-1&range=24h");
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/errors");
    expect(Object.fromEntries(url.searchParams)).toEqual({ range: "24h", fn: "orders", region: "us-east-1" });
    expect(loadErrorsParams(url.searchParams, CONFIGURED).regions).toEqual(["us-east-1"]);
  });
});
