import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The picker reads and writes the URL through Next's navigation hooks: a fake URL stands in for the router.
const nav = vi.hoisted(() => ({ pathname: "/", search: "", push: vi.fn() }));
vi.mock("next/navigation", () => ({
  usePathname: () => nav.pathname,
  useSearchParams: () => new URLSearchParams(nav.search),
  useRouter: () => ({ push: nav.push }),
}));

const { TimeRangePicker } = await import("./time-range-picker");

beforeEach(() => {
  nav.pathname = "/";
  nav.search = "";
  nav.push.mockReset();
});
afterEach(() => vi.restoreAllMocks());

describe("TimeRangePicker", () => {
  it("says a bad range under the control and shows the default", () => {
    nav.search = "range=banana&regions=eu-west-1";
    render(<TimeRangePicker />);
    const select = screen.getByRole("combobox");
    expect((select as HTMLSelectElement).value).toBe("3h");
    const problem = screen.getByRole("status");
    expect(problem.textContent).toContain('Unknown range "banana"');
    expect(select.getAttribute("aria-describedby")).toBe(problem.id);
  });

  it("writes a preset through the serializer, keeping the other params", async () => {
    nav.search = "regions=eu-west-1&from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z";
    render(<TimeRangePicker />);
    await userEvent.selectOptions(screen.getByRole("combobox"), "24h");
    expect(nav.push).toHaveBeenCalledWith("/?regions=eu-west-1&range=24h");
  });

  it("writes a custom UTC range as ISO from/to", async () => {
    nav.pathname = "/errors";
    nav.search = "range=1h&fn=orders";
    render(<TimeRangePicker />);
    await userEvent.selectOptions(screen.getByRole("combobox"), "custom");
    await userEvent.type(screen.getByLabelText("From (UTC)"), "2026-11-23T08:00");
    await userEvent.type(screen.getByLabelText("To (UTC)"), "2026-11-23T09:30");
    await userEvent.click(screen.getByRole("button", { name: "Apply" }));
    expect(nav.push).toHaveBeenCalledOnce();
    const pushed = new URL(nav.push.mock.calls[0]?.[0] as string, "http://x");
    expect(pushed.pathname).toBe("/errors");
    expect(Object.fromEntries(pushed.searchParams)).toEqual({
      fn: "orders",
      from: "2026-11-23T08:00:00.000Z",
      to: "2026-11-23T09:30:00.000Z",
    });
  });

  it("follows the URL when the range changes elsewhere (a link, back), custom inputs included", () => {
    nav.search = "from=2026-11-23T08:00:00.000Z&to=2026-11-23T09:30:00.000Z";
    const { rerender } = render(<TimeRangePicker />);
    expect((screen.getByRole("combobox") as HTMLSelectElement).value).toBe("custom");
    expect((screen.getByLabelText("From (UTC)") as HTMLInputElement).value).toBe("2026-11-23T08:00");
    nav.search = "range=1h";
    rerender(<TimeRangePicker />);
    expect((screen.getByRole("combobox") as HTMLSelectElement).value).toBe("1h");
    expect(screen.queryByLabelText("From (UTC)")).toBeNull();
  });

  it("shows a custom range's future end as the URL writes it, whatever the clock (server and browser agree)", () => {
    nav.search = "from=2026-11-23T08:00:00.000Z&to=2026-11-23T12:00:00.000Z";
    // The server renders at one instant, the browser hydrates at a later one: both before the range's end.
    vi.spyOn(Date, "now").mockReturnValue(Date.parse("2026-11-23T09:00:00.000Z"));
    const server = render(<TimeRangePicker />);
    const serverHtml = server.container.innerHTML;
    expect((screen.getByLabelText("To (UTC)") as HTMLInputElement).value).toBe("2026-11-23T12:00");
    server.unmount();
    vi.spyOn(Date, "now").mockReturnValue(Date.parse("2026-11-23T09:00:07.000Z"));
    const browser = render(<TimeRangePicker />);
    expect((screen.getByLabelText("To (UTC)") as HTMLInputElement).value).toBe("2026-11-23T12:00");
    expect(browser.container.innerHTML).toBe(serverHtml);
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("is absent on a page the range does not affect", () => {
    nav.pathname = "/status";
    render(<TimeRangePicker />);
    expect(screen.queryByRole("combobox")).toBeNull();
  });
});
