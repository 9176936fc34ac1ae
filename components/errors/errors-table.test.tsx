import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ErrorGroup } from "@/lib/data/errors-merge";
import { ErrorsTable } from "./errors-table";

const A = "111111111111";
const B = "222222222222";
const where = (account: string, count: number) => ({ account, region: "us-east-1", fn: "checkout", count });
const group: ErrorGroup = {
  fingerprint: "fp",
  kind: "unhandled",
  errorType: "TypeError",
  pattern: "boom",
  sample: "boom",
  frame: null,
  count: 7,
  trend: [],
  firstMs: 0,
  lastMs: 1,
  functions: [where(B, 5), where(A, 2)],
  versions: [
    { ...where(B, 5), version: "3", aliases: [] },
    { ...where(A, 2), version: "3", aliases: [] },
  ],
  newInCanary: [],
  examples: [
    {
      account: B,
      region: "us-east-1",
      fn: "checkout",
      version: "3",
      requestId: "req-1",
      atMs: 0,
      traceId: null,
    },
  ],
};

describe("ErrorsTable", () => {
  it("lists two accounts' same-named function apart, each linking to its own account", () => {
    render(<ErrorsTable groups={[group]} linkQuery="?range=3h" showAccount />);
    const fns = screen.getAllByTestId("error-function");
    expect(fns.map((f) => [f.getAttribute("data-account"), f.getAttribute("data-count")])).toEqual([
      [B, "5"],
      [A, "2"],
    ]);
    expect(fns[0]!.textContent).toContain(`${B} us-east-1`);
    const links = screen
      .getAllByRole("link", { name: "checkout" })
      .map((l) => new URL(l.getAttribute("href")!, "http://x"));
    expect(links.map((u) => u.searchParams.get("account"))).toEqual([B, A]);
    const example = new URL(screen.getByTestId("error-example").getAttribute("href")!, "http://x");
    expect(example.searchParams.get("account")).toBe(B);
  });

  it("leaves the account out of the text with one account", () => {
    render(<ErrorsTable groups={[{ ...group, functions: [where(A, 7)] }]} linkQuery="" />);
    expect(screen.getByTestId("error-function").textContent).not.toContain(A);
  });
});
