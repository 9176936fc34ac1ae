import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { CompareControl } from "./compare-control";

describe("CompareControl", () => {
  it("offers off, 1 day and 1 week earlier as links that keep the page's other params", () => {
    render(
      <CompareControl path="/functions/us-east-1/orders" search="?range=6h&regions=us-east-1" value={null} />,
    );
    const nav = screen.getByRole("navigation", { name: "Compare with an earlier period" });
    expect(nav.textContent).toBe("Compare: off · 1 day earlier · 1 week earlier");
    const day = screen.getByRole("link", { name: "1 day earlier" });
    const href = new URL(day.getAttribute("href") ?? "", "http://x");
    expect(href.pathname).toBe("/functions/us-east-1/orders");
    expect(Object.fromEntries(href.searchParams)).toEqual({
      range: "6h",
      regions: "us-east-1",
      compare: "1d",
    });
    expect(screen.getByRole("link", { name: "off" }).getAttribute("aria-current")).toBe("true");
  });

  it("marks the chosen comparison, and 'off' drops the param", () => {
    render(<CompareControl path="/" search="range=3h&compare=1w" value="1w" />);
    expect(screen.getByRole("link", { name: "1 week earlier" }).getAttribute("aria-current")).toBe("true");
    expect(screen.getByRole("link", { name: "off" }).getAttribute("href")).toBe("/?range=3h");
  });

  it("says why a bad compare param was not used", () => {
    render(<CompareControl path="/" search="compare=2d" value={null} problem="Not a comparison: 2d" />);
    expect(screen.getByRole("status").textContent).toBe("Not a comparison: 2d");
  });
});
