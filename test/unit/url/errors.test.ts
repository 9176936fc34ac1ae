/**
 * /errors URL state: a function, a region and an account narrow the view; bad values are ignored and said, never
 * thrown.
 */
import { describe, expect, it } from "vitest";
import { errorsHref, loadErrorsParams } from "@/lib/url/errors";

const CONFIGURED = ["us-east-1", "eu-west-1"];
const READ = ["111111111111", "222222222222"];

describe("loadErrorsParams", () => {
  it("narrows to one function and one configured region", () => {
    expect(loadErrorsParams({ fn: "payments-api", region: "eu-west-1" }, CONFIGURED)).toEqual({
      fn: "payments-api",
      region: "eu-west-1",
      regions: ["eu-west-1"],
      account: undefined,
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
      account: undefined,
      problems: {},
    });
  });
  it("links back with the shell's range kept and the region list replaced by the one region", () => {
    const href = errorsHref(
      { account: "222222222222", region: "us-east-1", fn: "orders" },
      "?accounts=111111111111&regions=eu-west-1&range=24h",
    );
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/errors");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      range: "24h",
      fn: "orders",
      region: "us-east-1",
      account: "222222222222",
    });
    const back = loadErrorsParams(url.searchParams, CONFIGURED, READ);
    expect(back.regions).toEqual(["us-east-1"]);
    expect(back.account).toBe("222222222222");
  });
  it("narrows to an account the console reads, and says why it ignores any other", () => {
    expect(loadErrorsParams({ account: "111111111111" }, CONFIGURED, READ)).toMatchObject({
      account: "111111111111",
      problems: {},
    });
    const unknown = loadErrorsParams({ account: "333333333333" }, CONFIGURED, READ);
    expect(unknown.account).toBeUndefined();
    expect(unknown.problems.account).toBe(
      "Account 333333333333 is not one Fleetscope reads (see the Accounts page): showing every selected account.",
    );
    expect(loadErrorsParams({ account: "prod" }, CONFIGURED, READ).problems.account).toBe(
      '"prod" is not an AWS account id (12 digits): showing every selected account.',
    );
  });
});
