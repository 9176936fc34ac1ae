import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { parseAccountId } from "@/lib/core/accounts";
import type { AccountStatus } from "@/lib/data/accounts";
import { AccountsTable } from "./accounts-table";

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

const statuses: AccountStatus[] = [
  {
    target: {
      id: parseAccountId("111111111111"),
      name: "management",
      source: "home",
      roleArn: null,
      externalId: null,
      telemetry: "direct",
    },
    reachable: true,
    callerArn: "arn:aws:iam::111111111111:user/console",
    error: null,
    checkedAt: NOW - 120_000,
  },
  {
    target: {
      id: parseAccountId("222222222222"),
      name: null,
      source: "role",
      roleArn: "arn:aws:iam::222222222222:role/fleetscope",
      externalId: null,
      telemetry: "monitoring-account",
    },
    reachable: false,
    callerArn: null,
    error: { code: "AccessDenied", message: "Account 222222222222: <b>not authorized</b> on fleetscope" },
    checkedAt: NOW,
  },
];

describe("AccountsTable", () => {
  it("shows each account's way in, telemetry and status, a failure in its own row as text", () => {
    render(<AccountsTable statuses={statuses} now={NOW} />);
    const [, home, denied] = within(screen.getByRole("table", { name: "Accounts" })).getAllByRole("row");
    expect(home!.textContent).toBe(
      "111111111111managementown credentialsdirectreachable as arn:aws:iam::111111111111:user/console" +
        "11:58:00 UTC (2m ago)",
    );
    expect(denied!.getAttribute("data-reachable")).toBe("false");
    expect(within(denied!).getByText("arn:aws:iam::222222222222:role/fleetscope").textContent).toBeTruthy();
    expect(denied!.textContent).toContain("monitoring account");
    expect(denied!.textContent).toContain(
      "AccessDenied: Account 222222222222: <b>not authorized</b> on fleetscope",
    );
    expect(denied!.querySelector("b")).toBeNull();
  });
});
