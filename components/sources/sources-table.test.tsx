import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { SourceRow } from "@/lib/data/triggers-fleet";
import { SourcesTable } from "./sources-table";

const A = "111111111111";
const B = "222222222222";
const row = (account: string): SourceRow => ({
  account,
  region: "us-east-1",
  functionName: "orders-consumer",
  qualifier: null,
  kind: "sqs",
  sourceName: "orders",
  uuid: `uuid-${account}`,
  state: "Enabled",
  batchSize: 10,
  judgement: {
    health: "ok",
    evidence: "no errors",
    latestIteratorAgeMs: null,
    slopeMinPerHour: null,
    dropped: null,
  },
});

describe("SourcesTable", () => {
  it("shows an Account column with several accounts, each row linking to its own account's function", () => {
    render(
      <SourcesTable
        rows={[row(A), row(B)]}
        linkQuery="?range=3h"
        accounts={
          new Map([
            [A, "management"],
            [B, null],
          ])
        }
      />,
    );
    expect(screen.getByRole("columnheader", { name: "Account" })).toBeTruthy();
    expect(screen.getAllByTestId("source-account").map((c) => c.textContent)).toEqual([`${A}management`, B]);
    expect(
      screen.getAllByRole("link", { name: "orders-consumer" }).map((l) => l.getAttribute("href")),
    ).toEqual([
      `/functions/us-east-1/orders-consumer?account=${A}&range=3h`,
      `/functions/us-east-1/orders-consumer?account=${B}&range=3h`,
    ]);
  });

  it("hides the column with one account, its links still naming the account", () => {
    render(<SourcesTable rows={[row(A)]} linkQuery="" />);
    expect(screen.queryByRole("columnheader", { name: "Account" })).toBeNull();
    expect(screen.getByRole("link", { name: "orders-consumer" }).getAttribute("href")).toBe(
      `/functions/us-east-1/orders-consumer?account=${A}`,
    );
  });
});
