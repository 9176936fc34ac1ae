import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The filter reads and writes the URL through Next's navigation hooks: a fake URL stands in for the router.
const nav = vi.hoisted(() => ({ pathname: "/", search: "", push: vi.fn() }));
vi.mock("next/navigation", () => ({
  usePathname: () => nav.pathname,
  useSearchParams: () => new URLSearchParams(nav.search),
  useRouter: () => ({ push: nav.push }),
}));

const { AccountSelector } = await import("./account-selector");

const KNOWN = [
  { id: "111111111111", name: "management" },
  { id: "222222222222", name: "member-1" },
  { id: "333333333333", name: null },
];

beforeEach(() => {
  nav.pathname = "/functions";
  nav.search = "";
  nav.push.mockReset();
});
afterEach(() => vi.restoreAllMocks());

describe("AccountSelector", () => {
  it("lists every account read, all selected by default, by id and name", () => {
    render(<AccountSelector known={KNOWN} />);
    expect(screen.getByLabelText("Accounts: All accounts")).toBeTruthy();
    const boxes = screen.getAllByRole("checkbox") as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([true, true, true]);
    expect(screen.getByText("222222222222 (member-1)")).toBeTruthy();
  });

  it("writes ?accounts= when one is unticked, keeping the other params", async () => {
    nav.search = "regions=eu-west-1";
    render(<AccountSelector known={KNOWN} />);
    await userEvent.click(screen.getAllByRole("checkbox")[1]!);
    expect(nav.push).toHaveBeenCalledWith(
      "/functions?regions=eu-west-1&accounts=111111111111%2C333333333333",
    );
  });

  it("drops the param when every account is selected again", async () => {
    nav.search = "accounts=111111111111,222222222222&range=24h";
    render(<AccountSelector known={KNOWN} />);
    expect(screen.getByLabelText("Accounts: management, member-1")).toBeTruthy();
    await userEvent.click(screen.getAllByRole("checkbox")[2]!);
    expect(nav.push).toHaveBeenCalledWith("/functions?range=24h");
  });

  it("keeps at least one account selected", async () => {
    nav.search = "accounts=222222222222";
    render(<AccountSelector known={KNOWN} />);
    await userEvent.click(screen.getAllByRole("checkbox")[1]!);
    expect(nav.push).not.toHaveBeenCalled();
  });

  it("says an account it does not read next to the control", () => {
    nav.search = "accounts=999999999999";
    render(<AccountSelector known={KNOWN} />);
    expect(screen.getByRole("status").textContent).toContain("Not an account Fleetscope reads: 999999999999");
  });

  it("shows no control with one account read, only a problem with the URL", () => {
    const { container, rerender } = render(<AccountSelector known={KNOWN.slice(0, 1)} />);
    expect(container.textContent).toBe("");
    nav.search = "accounts=999999999999";
    rerender(<AccountSelector known={KNOWN.slice(0, 1)} />);
    expect(screen.queryAllByRole("checkbox")).toEqual([]);
    expect(screen.getByRole("status").textContent).toContain("999999999999");
  });
});
