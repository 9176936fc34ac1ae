import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FleetTable } from "./fleet-table";
import { loadFleetQuery } from "./table-model";

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
