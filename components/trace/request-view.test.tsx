import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { RequestView } from "@/lib/data/traces/request-view";
import { RequestViewPage } from "./request-view";

const view: RequestView = {
  account: "222222222222" as RequestView["account"],
  region: "eu-west-1",
  traceId: null,
  requestId: "00000000-0000-4000-8000-000000000001",
  functionName: "orders",
  trace: { ok: true, value: null },
  missingTrace: null,
  destination: null,
  invocation: null,
  logs: null,
  searched: null,
  cost: { total: 0, byOperation: {} },
};

describe("RequestViewPage", () => {
  it("says an ignored ?region= or ?at= in one line each under the heading", () => {
    render(
      <RequestViewPage
        view={view}
        problems={[
          'Region "mars-1" is not configured: searching eu-west-1.',
          '"at" must be a time in epoch milliseconds: searching the selected range instead.',
        ]}
      />,
    );
    const heading = screen.getByRole("heading", { level: 1 });
    const lines = screen.getAllByTestId("url-problem");
    expect(lines.map((l) => l.textContent)).toEqual([
      '⚠ Region "mars-1" is not configured: searching eu-west-1.',
      '⚠ "at" must be a time in epoch milliseconds: searching the selected range instead.',
    ]);
    // Right under the heading, before the request's facts.
    expect(heading.nextElementSibling).toBe(lines[0]);
  });

  it("says nothing when the URL was fine", () => {
    render(<RequestViewPage view={view} />);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toContain("orders");
    expect(screen.queryByTestId("url-problem")).toBeNull();
  });

  it("names the request's account and links to its function in that account", () => {
    render(<RequestViewPage view={view} accountName="member-1" />);
    expect(screen.getByTestId("request-account").textContent).toBe("222222222222(member-1)");
    const link = screen.getByRole("link", { name: "Function page" });
    expect(link.getAttribute("href")).toBe("/functions/eu-west-1/orders?account=222222222222");
  });
});
