/**
 * Chart interaction in a real browser against the built console and the sandbox: the crosshair is shared by the
 * charts of a page, a drag zooms the URL's range, a click opens that minute's traces. Times are read from the page
 * (the range's `data-start` / `data-end` / `data-period`) and the chart's own box, never hard-coded.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settledWindow } from "@/test/support/planted-picks";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

let session: BrowserSession;
beforeAll(async () => {
  session = await connectBrowser();
});
afterAll(async () => {
  await session?.close();
});

const FN = "payments-api";
const REGION = "us-east-1";

function customRange(minutes: number, endAgoMin = 3): string {
  const w = settledWindow(Date.now(), minutes, endAgoMin);
  return `from=${new Date(w.start).toISOString()}&to=${new Date(w.end).toISOString()}`;
}

/** The function page once its metrics are drawn. */
async function openFunction(): Promise<Page> {
  const page = await session.open(`/functions/${REGION}/${FN}?${customRange(60)}`);
  await page.getByTestId("fn-exact").waitFor({ state: "attached", timeout: 120_000 });
  return page;
}

async function shownWindow(page: Page): Promise<{ start: number; end: number; period: number }> {
  const range = page.getByTestId("range").first();
  await range.waitFor();
  return {
    start: Number(await range.getAttribute("data-start")),
    end: Number(await range.getAttribute("data-end")),
    period: Number(await range.getAttribute("data-period")) * 1000,
  };
}

const panel = (page: Page, id: string) => page.locator(`section[aria-labelledby="${id}-title"]`);

/** A point on a chart's plot at fraction `f` of its width; the time there, from the shown window. */
async function at(surface: Locator, w: { start: number; end: number }, f: number) {
  // Mouse coordinates are the viewport's: bring the chart into view first.
  await surface.scrollIntoViewIfNeeded();
  const box = await surface.boundingBox();
  if (!box) throw new Error("chart surface not laid out");
  return { x: box.x + f * box.width, y: box.y + box.height / 2, t: w.start + f * (w.end - w.start) };
}

/** Moves the pointer until the chart answers (the client layer hydrates after the HTML is shown). */
async function hoverUntilReadout(page: Page, chart: Locator, x: number, y: number): Promise<Locator> {
  const readout = chart.getByTestId("chart-readout");
  await expect
    .poll(
      async () => {
        await page.mouse.move(x - 3, y);
        await page.mouse.move(x, y);
        return readout.count();
      },
      { timeout: 30_000 },
    )
    .toBe(1);
  return readout;
}

describe("Chart interaction", () => {
  it("hovering one chart reads out every series and draws the crosshair at the same time on the page's other charts", async () => {
    const page = await openFunction();
    const w = await shownWindow(page);
    const inv = panel(page, "fn-chart-invocations");
    const p = await at(inv.getByTestId("chart-surface"), w, 0.5);
    const readout = await hoverUntilReadout(page, inv, p.x, p.y);
    const text = (await readout.textContent()) ?? "";
    for (const label of ["Invocations:", "Errors:", "Throttles:"]) expect(text).toContain(label);
    // Counts are numbers (a gap would read "no data", never a made-up 0).
    const values = await readout.getByTestId("readout-value").allTextContents();
    expect(values).toHaveLength(3);
    for (const v of values) expect(v).toMatch(/^(\d[\d,.]*\s*[kM]?|no data)$/);
    const t = Number(await readout.getAttribute("data-t"));
    expect(Math.abs(t - p.t)).toBeLessThanOrEqual(w.period);

    // Every chart of the page shares one frame (viewBox and plot box): the same time is the same x.
    const here = await inv.getByTestId("crosshair").getAttribute("x1");
    for (const id of ["fn-chart-duration", "fn-chart-error-rate", "fn-chart-concurrency"]) {
      const other = panel(page, id);
      const line = other.getByTestId("crosshair");
      // A vertical line has no width: attached, not "visible" to Playwright.
      await line.waitFor({ state: "attached" });
      expect(Number(await line.getAttribute("data-t"))).toBe(t);
      expect(await line.getAttribute("x1")).toBe(here);
      // Only the hovered chart shows the readout.
      expect(await other.getByTestId("chart-readout").count()).toBe(0);
    }
    await page.close();
  });

  it("dragging across a chart sets the URL's range to the dragged span and the page shows it", async () => {
    const page = await openFunction();
    const w = await shownWindow(page);
    const inv = panel(page, "fn-chart-invocations");
    const surface = inv.getByTestId("chart-surface");
    const a = await at(surface, w, 0.3);
    const b = await at(surface, w, 0.6);
    await hoverUntilReadout(page, inv, a.x, a.y);
    const before = page.url();
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.url(), { timeout: 30_000 }).not.toBe(before);
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/functions/${REGION}/${FN}`);
    const from = Date.parse(url.searchParams.get("from") ?? "");
    const to = Date.parse(url.searchParams.get("to") ?? "");
    expect(Math.abs(from - a.t)).toBeLessThanOrEqual(w.period);
    expect(Math.abs(to - b.t)).toBeLessThanOrEqual(w.period);
    // The page re-renders at the new range.
    await expect
      .poll(async () => (await shownWindow(page)).start, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(from - w.period);
    const shown = await shownWindow(page);
    expect(Math.abs(shown.start - from)).toBeLessThanOrEqual(w.period);
    expect(Math.abs(shown.end - to)).toBeLessThanOrEqual(w.period);
    await page.close();
  });

  it("clicking a point opens the traces of that function in that minute", async () => {
    const page = await openFunction();
    const w = await shownWindow(page);
    const inv = panel(page, "fn-chart-invocations");
    const p = await at(inv.getByTestId("chart-surface"), w, 0.45);
    await hoverUntilReadout(page, inv, p.x, p.y);
    await page.mouse.click(p.x, p.y);
    await page.waitForURL((u) => u.pathname === "/traces", { timeout: 30_000 });
    const url = new URL(page.url());
    expect(url.searchParams.get("fn")).toBe(FN);
    expect(url.searchParams.get("region")).toBe(REGION);
    const from = Date.parse(url.searchParams.get("from") ?? "");
    const to = Date.parse(url.searchParams.get("to") ?? "");
    expect(from).toBeLessThanOrEqual(p.t);
    expect(to).toBeGreaterThan(p.t);
    expect(to - from).toBeLessThanOrEqual(w.period);
    await page.getByText(`Traces of ${FN} in ${REGION}`).first().waitFor({ timeout: 60_000 });
    await page.close();
  });
});
