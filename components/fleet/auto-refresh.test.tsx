import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The control reads and writes the URL through Next's navigation hooks: a fake URL stands in for the router.
const nav = vi.hoisted(() => ({ pathname: "/", search: "", push: vi.fn(), refresh: vi.fn() }));
vi.mock("next/navigation", () => ({
  usePathname: () => nav.pathname,
  useSearchParams: () => new URLSearchParams(nav.search),
  useRouter: () => ({ push: nav.push, refresh: nav.refresh }),
}));

const { AutoRefresh } = await import("./auto-refresh");

beforeEach(() => {
  nav.pathname = "/";
  nav.search = "";
  nav.push.mockReset();
  nav.refresh.mockReset();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("AutoRefresh", () => {
  it("refreshes the page on the chosen interval", () => {
    vi.useFakeTimers();
    nav.search = "range=3h&refresh=30s";
    render(<AutoRefresh />);
    expect(screen.getByRole("combobox", { name: "Auto-refresh" }).textContent).toContain("30s");
    act(() => vi.advanceTimersByTime(29_999));
    expect(nav.refresh).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1));
    expect(nav.refresh).toHaveBeenCalledTimes(1);
  });

  it.each(["toString", "constructor", "valueOf"])(
    "treats ?refresh=%s as off: no timer, and says why next to the control",
    (raw) => {
      vi.useFakeTimers();
      const setInterval = vi.spyOn(globalThis, "setInterval");
      nav.search = `range=3h&refresh=${raw}`;
      render(<AutoRefresh />);
      act(() => vi.advanceTimersByTime(10 * 60_000));
      expect(nav.refresh).not.toHaveBeenCalled();
      expect(setInterval).not.toHaveBeenCalled();
      const box = screen.getByRole("combobox", { name: "Auto-refresh" });
      expect(box.textContent).toContain("off");
      const problem = screen.getByRole("status");
      expect(problem.textContent).toContain(`Not a refresh interval: "${raw}"`);
      expect(box.getAttribute("aria-describedby")).toBe(problem.id);
    },
  );

  it("never refreshes a custom (absolute) range", () => {
    vi.useFakeTimers();
    nav.search = "from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z&refresh=30s";
    render(<AutoRefresh />);
    act(() => vi.advanceTimersByTime(60_000));
    expect(nav.refresh).not.toHaveBeenCalled();
  });

  it("writes the chosen interval, keeping the other params and dropping a bad one for off", async () => {
    const user = userEvent.setup();
    nav.search = "range=6h&refresh=toString";
    render(<AutoRefresh />);
    await user.click(screen.getByRole("combobox", { name: "Auto-refresh" }));
    await user.click(await screen.findByRole("option", { name: "1m" }));
    expect(nav.push).toHaveBeenLastCalledWith("/?range=6h&refresh=1m");
  });
});
