/**
 * The function page's address with its account (app/functions/[region]/[name]/address.ts) and the links out of
 * the page (links.ts): every problem of the address said at once, an unknown or malformed account refused like a
 * bad region, account discovery failing kept apart as AWS's; every link carries the function's account.
 */
import { describe, expect, it } from "vitest";
import { checkFunctionAddress } from "@/app/functions/[region]/[name]/address";
import {
  functionAdvisorHref,
  functionErrorsHref,
  inAccount,
  serviceMapHref,
} from "@/app/functions/[region]/[name]/links";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import { invalidInput, notFound, FleetscopeError } from "@/lib/core/errors";

const member: AccountTarget = {
  id: parseAccountId("222222222222"),
  name: "member-1",
  source: "organization",
  roleArn: "arn:aws:iam::222222222222:role/fleetscope",
  externalId: null,
  telemetry: "direct",
};
const ok = () => undefined;
const bad = (message: string) => () => {
  throw invalidInput(message);
};

describe("checkFunctionAddress", () => {
  it("resolves the account when the address is sound", async () => {
    expect(await checkFunctionAddress([ok, ok], async () => member)).toEqual({ kind: "ok", target: member });
  });

  it("says a bad region and an account the console does not read together", async () => {
    const address = await checkFunctionAddress([bad('Region "mars-1" is not configured.'), ok], async () => {
      throw notFound("Account 999999999999 is not one Fleetscope reads (see the Accounts page).");
    });
    expect(address).toEqual({
      kind: "invalid",
      problems: [
        'Region "mars-1" is not configured.',
        "Account 999999999999 is not one Fleetscope reads (see the Accounts page).",
      ],
    });
  });

  it("refuses a malformed account id even when the rest is sound", async () => {
    const address = await checkFunctionAddress([ok], async () => {
      throw invalidInput('"12ab" is not an AWS account id (12 digits).');
    });
    expect(address).toEqual({ kind: "invalid", problems: ['"12ab" is not an AWS account id (12 digits).'] });
  });

  it("keeps a bad region a problem when the account is fine", async () => {
    const address = await checkFunctionAddress([bad("bad region")], async () => member);
    expect(address).toEqual({ kind: "invalid", problems: ["bad region"] });
  });

  it("reports account discovery failing as AWS's, not the address's", async () => {
    const down = new FleetscopeError("Unavailable", "STS GetCallerIdentity: connection refused");
    const address = await checkFunctionAddress([ok], async () => {
      throw down;
    });
    expect(address).toEqual({ kind: "unavailable", error: down });
  });

  it("lets an unexpected error through", async () => {
    await expect(
      checkFunctionAddress([ok], async () => {
        throw new TypeError("bug");
      }),
    ).rejects.toThrow("bug");
  });
});

describe("links out of the function page", () => {
  const fn = { account: member.id, region: "eu-west-1", name: "orders" };
  const shell = "?range=24h";

  it("the service map names the function's account, region and name, and keeps the range", () => {
    const url = new URL(serviceMapHref(fn, shell), "http://x");
    expect(url.pathname).toBe("/map");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      account: "222222222222",
      range: "24h",
      region: "eu-west-1",
      function: "orders",
    });
  });

  it("the errors link narrows to the function in its account", () => {
    const url = new URL(
      functionErrorsHref(fn, "?range=24h&regions=us-east-1&accounts=111111111111"),
      "http://x",
    );
    expect(url.pathname).toBe("/errors");
    expect(url.searchParams.get("account")).toBe("222222222222");
    expect(url.searchParams.get("fn")).toBe("orders");
    expect(url.searchParams.get("region")).toBe("eu-west-1");
    expect(url.searchParams.get("range")).toBe("24h");
    expect(url.searchParams.has("accounts")).toBe(false);
  });

  it("the advisor is narrowed to the function's account, replacing the shell's selection", () => {
    const url = new URL(functionAdvisorHref(fn, "?accounts=111111111111&range=7d"), "http://x");
    expect(url.pathname).toBe("/advisor");
    expect(url.searchParams.get("accounts")).toBe("222222222222");
    expect(url.searchParams.get("range")).toBe("7d");
    expect(inAccount("/advisor", "222222222222")).toBe("/advisor?accounts=222222222222");
  });
});
