import { render, screen, within } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mb, ms, ratio } from "@/lib/core/units";
import type { FunctionRow } from "@/lib/data/telemetry/assemble";
import { FleetTable } from "./fleet-table";
import { DEFAULT_FLEET_QUERY, loadFleetQuery } from "./table-model";

const row = (account: string, accountName: string | null, name: string): FunctionRow => ({
  account,
  accountName,
  region: "us-east-1",
  name,
  memory: mb(1024),
  invocations: 10,
  errors: 0,
  errorRate: ratio(0),
  throttles: 0,
  p99: ms(100),
  coldStarts: 0,
  coldStartRate: ratio(0),
  avgInit: null,
  maxMemoryUsed: null,
  monthlyCost: null,
  cost: null,
});

// happy-dom has no layout: give the scroll box a height, so the virtualizer has a window of rows to render.
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 400 });
});
afterAll(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, "clientHeight", clientHeight);
});

describe("FleetTable", () => {
  it("says a bad ?ffilter=, ?fsort= and ?fdir= in its toolbar, the filter's with the filter control", () => {
    const { query, problems } = loadFleetQuery(new URLSearchParams("ffilter=broken&fsort=zzz&fdir=up"));
    render(<FleetTable rows={[]} initialQuery={query} linkQuery="" problems={problems} />);
    const filter = screen.getByRole("combobox");
    expect((filter as HTMLSelectElement).value).toBe("all");
    const filterProblem = screen.getByText(/Unknown filter "broken": showing all functions/);
    expect(filter.getAttribute("aria-describedby")).toBe(filterProblem.id);
    expect(screen.getByText(/Cannot sort functions by "zzz"/)).toBeTruthy();
    expect(screen.getByText(/"fdir" is asc or desc/)).toBeTruthy();
  });

  it("says nothing for a good URL", () => {
    const { query, problems } = loadFleetQuery(new URLSearchParams("ffilter=cold&fsort=p99"));
    render(<FleetTable rows={[]} initialQuery={query} linkQuery="" problems={problems} />);
    expect(screen.queryByTestId("url-problem")).toBeNull();
  });
});

describe("FleetTable with several accounts", () => {
  const rows = [row("111111111111", null, "orders"), row("222222222222", "member-1", "orders")];
  const query = { ...DEFAULT_FLEET_QUERY, sort: "account" as const, dir: "asc" as const };

  it("shows an Account column, two rows for one name, each linking to its own account's function", () => {
    const { container } = render(
      <FleetTable rows={rows} initialQuery={query} linkQuery="?range=24h" accountsRead={2} />,
    );
    expect(screen.getByRole("columnheader", { name: /Account/ })).toBeTruthy();
    const shown = [...container.querySelectorAll("[data-function]")].map((r) => [
      r.getAttribute("data-account"),
      within(r as HTMLElement)
        .getByRole("link")
        .getAttribute("href"),
    ]);
    expect(shown).toEqual([
      ["111111111111", "/functions/us-east-1/orders?account=111111111111&range=24h"],
      ["222222222222", "/functions/us-east-1/orders?account=222222222222&range=24h"],
    ]);
    expect(screen.getByText("222222222222 (member-1)")).toBeTruthy();
  });

  it("hides the Account column when one account is read, and still links with the account", () => {
    const { container } = render(
      <FleetTable rows={rows.slice(0, 1)} initialQuery={query} linkQuery="" accountsRead={1} />,
    );
    expect(screen.queryByRole("columnheader", { name: /Account/ })).toBeNull();
    expect(container.querySelector("[data-function] a")?.getAttribute("href")).toBe(
      "/functions/us-east-1/orders?account=111111111111",
    );
  });
});
