import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { epochMs } from "@/lib/core/units";
import { TimeChart, type ChartLine } from "./time-chart";

const push = vi.fn();
vi.mock("next/navigation", () => ({
  useRouter: () => ({ push }),
  usePathname: () => "/functions/us-east-1/orders",
}));

const MIN = 60_000;
const START = Date.UTC(2026, 0, 1, 12, 0);
const END = START + 10 * MIN;
const pts = (values: (number | null)[]) => values.map((v, i) => ({ t: epochMs(START + i * MIN), v }));
const lines: ChartLine[] = [
  { key: "inv", label: "Invocations", color: "#0072B2", points: pts([5, 7, 9, 4, 3, 2, 8, 6, 1, 0]) },
  { key: "p99", label: "Slowest", color: "#D55E00", points: pts([1, null, 3, 4, 5, 6, 7, 8, 9, 10]) },
];
// happy-dom lays nothing out: the SVG's box is empty, so a pointer's clientX is read in viewBox units
// (plot from x=52 to x=552 over the 10 minutes: 50 units a minute).
const xOf = (minute: number) => 52 + minute * 50 + 5;

const chart = (title: string, extra: Partial<Parameters<typeof TimeChart>[0]> = {}) => (
  <TimeChart title={title} unit="count" lines={lines} start={START} end={END} {...extra} />
);

beforeEach(() => {
  push.mockReset();
  window.history.replaceState(null, "", "/functions/us-east-1/orders?range=3h&tab=x");
});
afterEach(cleanup);

describe("TimeChart", () => {
  it("shows its title", () => {
    render(chart("Invocations and errors"));
    expect(screen.getByText("Invocations and errors")).toBeTruthy();
  });

  it("hovering shows every series' value at that time, and a gap as no data rather than 0", () => {
    render(chart("Invocations"));
    const surface = screen.getByTestId("chart-surface");
    fireEvent.pointerMove(surface, { clientX: xOf(1) });
    const readout = screen.getByRole("status");
    expect(readout.textContent).toContain("12:01 UTC");
    expect(within(readout).getByText("Invocations:").nextSibling?.textContent).toBe("7");
    expect(within(readout).getByText("Slowest:").nextSibling?.textContent).toBe("no data");
    fireEvent.pointerMove(surface, { clientX: xOf(9) });
    expect(within(screen.getByRole("status")).getByText("Invocations:").nextSibling?.textContent).toBe("0");
  });

  it("draws the crosshair at the same time on every chart of the page; only the hovered one reads out", () => {
    render(
      <>
        {chart("First")}
        {chart("Second")}
      </>,
    );
    const [first] = screen.getAllByTestId("chart-surface");
    fireEvent.pointerMove(first!, { clientX: xOf(4) });
    const lines = screen.getAllByTestId("crosshair");
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.getAttribute("data-t"))).toEqual([
      String(START + 4 * MIN),
      String(START + 4 * MIN),
    ]);
    expect(lines[0]?.getAttribute("x1")).toBe(lines[1]?.getAttribute("x1"));
    expect(screen.getAllByRole("status")).toHaveLength(1);
  });

  it("arrow keys move the crosshair from slot to slot; Escape hides it", async () => {
    const user = userEvent.setup();
    render(chart("Keyboard"));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("group", { name: /Keyboard/ }));
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("status").textContent).toContain("12:00 UTC");
    await user.keyboard("{ArrowRight}{ArrowRight}");
    expect(screen.getByRole("status").textContent).toContain("12:02 UTC");
    await user.keyboard("{ArrowLeft}");
    expect(screen.getByRole("status").textContent).toContain("12:01 UTC");
    await user.keyboard("{End}");
    expect(screen.getByRole("status").textContent).toContain("12:09 UTC");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("a drag across slots sets the URL range to that span, keeping the other params", () => {
    render(chart("Zoom"));
    const surface = screen.getByTestId("chart-surface");
    fireEvent.pointerDown(surface, { clientX: xOf(2), button: 0, pointerId: 1 });
    fireEvent.pointerMove(surface, { clientX: xOf(5), pointerId: 1 });
    expect(screen.getByTestId("zoom-selection")).toBeTruthy();
    fireEvent.pointerUp(surface, { clientX: xOf(5), pointerId: 1 });
    expect(push).toHaveBeenCalledTimes(1);
    const url = new URL(push.mock.calls[0]![0] as string, "http://x");
    expect(url.pathname).toBe("/functions/us-east-1/orders");
    expect(url.searchParams.get("tab")).toBe("x");
    expect(url.searchParams.get("range")).toBeNull();
    expect(Date.parse(url.searchParams.get("from")!)).toBe(START + 2 * MIN);
    expect(Date.parse(url.searchParams.get("to")!)).toBe(START + 6 * MIN);
  });

  it("Escape cancels a drag", () => {
    render(chart("Cancel"));
    const surface = screen.getByTestId("chart-surface");
    fireEvent.pointerDown(surface, { clientX: xOf(2), button: 0 });
    fireEvent.pointerMove(surface, { clientX: xOf(6) });
    act(() => {
      fireEvent.keyDown(screen.getByRole("group", { name: /Cancel/ }), { key: "Escape" });
    });
    expect(screen.queryByTestId("zoom-selection")).toBeNull();
    fireEvent.pointerUp(surface, { clientX: xOf(6) });
    expect(push).not.toHaveBeenCalled();
  });

  it("a click opens the drill-in page for that minute", () => {
    render(chart("Click", { drill: "/traces?region=us-east-1&fn=orders" }));
    const surface = screen.getByTestId("chart-surface");
    fireEvent.pointerDown(surface, { clientX: xOf(3), button: 0 });
    fireEvent.pointerUp(surface, { clientX: xOf(3) });
    const url = new URL(push.mock.calls[0]![0] as string, "http://x");
    expect(url.pathname).toBe("/traces");
    expect(url.searchParams.get("fn")).toBe("orders");
    expect(url.searchParams.get("region")).toBe("us-east-1");
    expect(Date.parse(url.searchParams.get("from")!)).toBe(START + 3 * MIN);
    expect(Date.parse(url.searchParams.get("to")!)).toBe(START + 4 * MIN);
  });

  it("draws deployment markers with their label, and a grouped one with its count", () => {
    render(
      chart("Markers", {
        markers: [
          { t: START + 3 * MIN, kind: "version", label: "v8 published", count: 1 },
          { t: START + 6 * MIN, kind: "config", label: "3 changes", count: 3 },
          { t: START - 60 * MIN, kind: "alias", label: "outside", count: 1 },
        ],
      }),
    );
    const markers = screen.getAllByTestId("deploy-marker");
    expect(markers.map((m) => m.getAttribute("data-kind"))).toEqual(["version", "config"]);
    expect(markers[0]?.querySelector("title")?.textContent).toContain("v8 published");
    expect(within(markers[1]!).getByText("3")).toBeTruthy();
  });

  it("draws a bars series as bars, one per slot with a value", () => {
    render(
      <TimeChart
        title="Throttles"
        unit="count"
        start={START}
        end={END}
        lines={[
          {
            key: "thr",
            label: "Throttles",
            color: "#f00",
            style: "bars",
            points: pts([0, 2, null, 1, 0, 0, 0, 0, 0, 0]),
          },
        ]}
      />,
    );
    expect(screen.getByTestId("chart-bars").querySelectorAll("rect")).toHaveLength(2);
  });
});
