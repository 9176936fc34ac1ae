import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { FleetAdvice } from "@/lib/data/advisor/summary";
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
