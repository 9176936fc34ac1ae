import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { microUsd } from "@/lib/core/units";
import type { FleetAdvice, FleetFlag, RegionAdviceStatus } from "@/lib/data/advisor/summary";
import { AdvisorView } from "./advisor-view";

const advice: FleetAdvice = {
  window: { start: 0, end: 7 * 86_400_000 },
  generatedAt: 7 * 86_400_000,
  source: "store",
  regions: [],
  flags: [],
} as unknown as FleetAdvice;

const view = (problems?: { sort?: string; days?: string }) =>
  render(
    <AdvisorView
      advice={advice}
      sort="stake"
      days={7}
      linkQuery=""
      hrefFor={() => "/advisor"}
      problems={problems}
    />,
  );

describe("AdvisorView", () => {
  it("says a bad ?sort= and ?days= next to the option each replaced", () => {
    view({
      sort: 'Cannot order by "price": ordered by stake.',
      days: '"days" is one of 1, 3, 7, 14: showing 7 days.',
    });
    const options = screen.getByRole("navigation", { name: "Advisor options" });
    const sort = within(options).getByText(/Cannot order by "price"/);
    const days = within(options).getByText(/showing 7 days/);
    expect(sort.closest("span")?.textContent).toContain("money at stake");
    expect(days.closest("span")?.textContent).toContain("14 d");
    expect(sort.closest("span")?.getAttribute("aria-describedby")).toBe(sort.id);
  });

  it("says nothing when the URL was fine", () => {
    view();
    expect(screen.queryByTestId("url-problem")).toBeNull();
  });
});

const A = "111111111111";
const B = "222222222222";
const status = (account: string, accountName: string | null): RegionAdviceStatus => ({
  account,
  accountName,
  region: "us-east-1",
  ok: true,
  advised: true,
  message: null,
  functions: 1,
  unjudged: [],
});
const flag = (account: string, usd: number): FleetFlag => ({
  account,
  ruleId: "memory-over-provisioned",
  functionName: "checkout",
  region: "us-east-1",
  severity: "warning",
  title: "Memory over-provisioned",
  evidence: { window: advice.window, numbers: {}, invocationsSeen: 100 },
  confidence: { level: "high", why: "" },
  recommendation: { text: "Lower memory", action: { kind: "investigate" } },
  monthlyImpact: { amount: microUsd(usd * 1e6), kind: "saving", basis: "" },
});
const accountsView = (regions: RegionAdviceStatus[], flags: FleetFlag[]) =>
  render(
    <AdvisorView
      advice={{ ...advice, regions, flags }}
      sort="stake"
      days={7}
      linkQuery="?range=24h"
      hrefFor={() => "/advisor"}
    />,
  );

describe("AdvisorView with several accounts", () => {
  it("sums the saving across accounts, shows each account's share, and tells same-named functions apart", () => {
    accountsView([status(A, "management"), status(B, "member-1")], [flag(A, 10), flag(B, 25)]);
    expect(screen.getByTestId("total-saving").textContent).toBe("$35.00/month");
    const shares = screen.getAllByTestId("account-saving");
    expect(shares.map((s) => s.getAttribute("data-account"))).toEqual([B, A]);
    expect(shares[0]!.textContent).toContain("(member-1)");
    expect(shares[0]!.textContent).toContain("$25.00/month");
    const links = screen.getAllByRole("link", { name: "checkout" }).map((l) => l.getAttribute("href"));
    expect(links.sort()).toEqual([
      `/functions/us-east-1/checkout?account=${A}&range=24h`,
      `/functions/us-east-1/checkout?account=${B}&range=24h`,
    ]);
    expect(screen.getAllByTestId("flag-account").map((e) => e.textContent)).toEqual([
      `${B} (member-1)`,
      `${A} (management)`,
    ]);
  });

  it("shows no account anywhere when one account is read, but its links still carry it", () => {
    accountsView([status(A, null)], [flag(A, 10)]);
    expect(screen.queryByTestId("account-saving")).toBeNull();
    expect(screen.queryByTestId("flag-account")).toBeNull();
    expect(screen.getByRole("link", { name: "checkout" }).getAttribute("href")).toBe(
      `/functions/us-east-1/checkout?account=${A}&range=24h`,
    );
  });
});
