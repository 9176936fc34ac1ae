import { render, screen, within } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { FleetFunction } from "@/lib/data/function-rows";

// The table carries the shell's query on its links, read from Next's search params.
vi.mock("next/navigation", () => ({
  usePathname: () => "/functions",
  useSearchParams: () => new URLSearchParams("range=24h&sort=memory"),
  useRouter: () => ({ push: vi.fn() }),
}));

const { FunctionsTable } = await import("./functions-table");

const fn = (account: string, accountName: string | null, name: string): FleetFunction => ({
  account,
  accountName,
  region: "eu-west-1",
  name,
  description: "",
  runtime: "nodejs22.x",
  packageType: "Zip",
  architecture: "arm64",
  memoryMb: 512,
  timeoutSeconds: 30,
  codeSizeBytes: 1000,
  lastModified: 0,
  versionsCount: 1,
  aliases: [],
});

// happy-dom has no layout: give the scroll box a height, so the virtualizer has a window of rows to render.
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 400 });
});
afterAll(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, "clientHeight", clientHeight);
});

const query = { q: "", sort: "account" as const, dir: "asc" as const };

describe("FunctionsTable", () => {
  it("with several accounts: an Account column, and each row links to its own account's function", () => {
    const rows = [fn("222222222222", "member-1", "orders"), fn("111111111111", null, "orders")];
    const { container } = render(<FunctionsTable rows={rows} initialQuery={query} accountsRead={2} />);
    expect(screen.getByRole("columnheader", { name: /Account/ })).toBeTruthy();
    const shown = [...container.querySelectorAll("[data-function]")].map((r) => [
      r.getAttribute("data-account"),
      within(r as HTMLElement)
        .getAllByRole("link")[0]
        ?.getAttribute("href"),
    ]);
    expect(shown).toEqual([
      ["111111111111", "/functions/eu-west-1/orders?account=111111111111&range=24h"],
      ["222222222222", "/functions/eu-west-1/orders?account=222222222222&range=24h"],
    ]);
    expect(screen.getByText("222222222222 (member-1)")).toBeTruthy();
  });

  it("with one account: no Account column", () => {
    render(<FunctionsTable rows={[fn("111111111111", null, "orders")]} initialQuery={query} />);
    expect(screen.queryByRole("columnheader", { name: /Account/ })).toBeNull();
  });
});
