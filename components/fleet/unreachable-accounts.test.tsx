import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import type { AccountStatus } from "@/lib/data/accounts";
import { UnreachableAccounts, unreachableAccounts } from "./unreachable-accounts";

const target = (id: string, name: string | null): AccountTarget => ({
  id: parseAccountId(id),
  name,
  source: "organization",
  roleArn: `arn:aws:iam::${id}:role/fleetscope`,
  externalId: null,
  telemetry: "direct",
});
const ok = (id: string, name: string): AccountStatus => ({
  target: target(id, name),
  reachable: true,
  callerArn: `arn:aws:sts::${id}:assumed-role/fleetscope/fleetscope`,
  error: null,
  checkedAt: 0,
});
const denied = (id: string, name: string | null): AccountStatus => ({
  target: target(id, name),
  reachable: false,
  callerArn: null,
  error: {
    code: "AccessDenied",
    message: `Account ${id}: User: arn:aws:iam::111111111111:user/x is not authorized to perform: sts:AssumeRole`,
  },
  checkedAt: 0,
});

const statuses = [
  ok("111111111111", "management"),
  denied("222222222222", "member-1"),
  denied("333333333333", null),
];

describe("unreachableAccounts", () => {
  it("lists the selected accounts that did not answer, with their error; reachable or unselected ones never", () => {
    const all = ["111111111111", "222222222222", "333333333333"];
    expect(unreachableAccounts(statuses, all).map((a) => [a.account, a.label, a.error.code])).toEqual([
      ["222222222222", "222222222222 (member-1)", "AccessDenied"],
      ["333333333333", "333333333333", "AccessDenied"],
    ]);
    expect(unreachableAccounts(statuses, ["111111111111", "333333333333"]).map((a) => a.account)).toEqual([
      "333333333333",
    ]);
    expect(unreachableAccounts(statuses.slice(0, 1), all)).toEqual([]);
  });
});

describe("UnreachableAccounts", () => {
  it("shows one message per unreachable account, naming it and its error", async () => {
    render(
      await UnreachableAccounts({
        statuses: Promise.resolve({ ok: true, value: statuses }),
        selected: ["111111111111", "222222222222"],
      }),
    );
    const shown = screen.getAllByTestId("unreachable-account");
    expect(shown.map((e) => e.getAttribute("data-account"))).toEqual(["222222222222"]);
    expect(shown[0]?.textContent).toMatch(
      /Account 222222222222 \(member-1\) is unreachable \(AccessDenied\)/,
    );
    expect(shown[0]?.textContent).toMatch(/not authorized to perform: sts:AssumeRole/);
  });

  it("says once that the accounts could not be checked", async () => {
    render(
      await UnreachableAccounts({
        statuses: Promise.resolve({ ok: false, error: { code: "Unavailable", message: "STS is down" } }),
        selected: [],
      }),
    );
    expect(screen.getByTestId("unreachable-accounts").textContent).toMatch(
      /The accounts could not be checked \(Unavailable\)STS is down/,
    );
  });
});
