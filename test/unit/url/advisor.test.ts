import { describe, expect, it } from "vitest";
import { advisorHref, loadAdvisorQuery, parseAdvisorQuery } from "@/lib/url/advisor";

describe("/advisor URL state", () => {
  it("falls back to the deployment's default look-back, and leaves defaults out of links", () => {
    expect(parseAdvisorQuery({}, 1)).toEqual({ sort: "stake", days: 1 });
    expect(parseAdvisorQuery({ days: "5", sort: "nope" }, 7)).toEqual({ sort: "stake", days: 7 });
    expect(parseAdvisorQuery({ days: "14", sort: "function" }, 1)).toEqual({ sort: "function", days: 14 });
    expect(advisorHref({ regions: "eu-west-1" }, { days: 1 }, 1)).toBe("/advisor?regions=eu-west-1");
    expect(advisorHref({}, { days: 7 }, 1)).toBe("/advisor?days=7");
    expect(advisorHref({ days: "3" }, { sort: "severity" }, 7)).toBe("/advisor?sort=severity&days=3");
  });

  it("keeps the shell's accounts with its regions", () => {
    expect(
      advisorHref({ accounts: "222222222222", regions: "eu-west-1", range: "3h" }, { sort: "function" }, 7),
    ).toBe("/advisor?accounts=222222222222&regions=eu-west-1&sort=function");
  });

  it("says which param was bad and what is shown instead", () => {
    expect(loadAdvisorQuery({ days: "14", sort: "function" }, 7).problems).toEqual({});
    const { problems } = loadAdvisorQuery(new URLSearchParams("days=5&sort=nope"), 7);
    expect(problems.days).toBe('"days" is one of 1, 3, 7, 14: showing 7 days.');
    expect(problems.sort).toMatch(/^Cannot order by "nope"/);
  });
});
