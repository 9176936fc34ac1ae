import { render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

// The links are built from the URL as it is now: a fake URL stands in for Next's useSearchParams.
const nav = vi.hoisted(() => ({ search: "" }));
vi.mock("next/navigation", () => ({
  useSearchParams: () => new URLSearchParams(nav.search),
}));

const { CompareControl } = await import("./compare-control");

const hrefOf = (name: string) => {
  const href = new URL(screen.getByRole("link", { name }).getAttribute("href") ?? "", "http://x");
  return { path: href.pathname, query: Object.fromEntries(href.searchParams) };
};

beforeEach(() => {
  nav.search = "";
});

describe("CompareControl", () => {
  it("offers off, 1 day and 1 week earlier as links that keep the page's other params", () => {
    nav.search = "range=6h&regions=us-east-1";
    render(<CompareControl path="/functions/us-east-1/orders" value={null} />);
    const bar = screen.getByRole("navigation", { name: "Compare with an earlier period" });
    expect(bar.textContent).toBe("Compare: off · 1 day earlier · 1 week earlier");
    expect(hrefOf("1 day earlier")).toEqual({
      path: "/functions/us-east-1/orders",
      query: { range: "6h", regions: "us-east-1", compare: "1d" },
    });
    expect(screen.getByRole("link", { name: "off" }).getAttribute("aria-current")).toBe("true");
  });

  it("marks the chosen comparison, and 'off' drops the param", () => {
    nav.search = "range=3h&compare=1w";
    render(<CompareControl path="/" value="1w" />);
    expect(screen.getByRole("link", { name: "1 week earlier" }).getAttribute("aria-current")).toBe("true");
    expect(screen.getByRole("link", { name: "off" }).getAttribute("href")).toBe("/?range=3h");
  });

  it("keeps the table's search and sort written to the URL after the page loaded", () => {
    nav.search = "range=6h";
    const { rerender } = render(<CompareControl path="/" value={null} />);
    expect(hrefOf("1 day earlier").query).toEqual({ range: "6h", compare: "1d" });
    // The fleet table writes fq/fsort with history.replaceState; Next updates useSearchParams, not the page.
    nav.search = "range=6h&fq=orders&fsort=errors.desc";
    rerender(<CompareControl path="/" value={null} />);
    expect(hrefOf("1 day earlier").query).toEqual({
      range: "6h",
      fq: "orders",
      fsort: "errors.desc",
      compare: "1d",
    });
    expect(hrefOf("off").query).toEqual({ range: "6h", fq: "orders", fsort: "errors.desc" });
  });

  it("says why a bad compare param was not used", () => {
    nav.search = "compare=2d";
    render(<CompareControl path="/" value={null} problem="Not a comparison: 2d" />);
    expect(screen.getByRole("status").textContent).toBe("Not a comparison: 2d");
  });
});
