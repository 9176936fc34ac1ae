/**
 * The shell's URL state in a real browser against the built console and the sandbox: a bad range or region in the
 * URL is said next to its control (not in the nav), a custom range set with the picker lands in the URL as ISO
 * from/to and survives navigation, and the range picker shows only on pages the range affects.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

let session: BrowserSession;
beforeAll(async () => {
  session = await connectBrowser();
});
afterAll(async () => {
  await session?.close();
});

const HOUR = 3_600_000;

async function shownWindow(page: Page): Promise<{ start: number; end: number }> {
  const range = page.getByTestId("range").first();
  await range.waitFor({ timeout: 120_000 });
  return {
    start: Number(await range.getAttribute("data-start")),
    end: Number(await range.getAttribute("data-end")),
  };
}

/** `2026-12-07T10:00` (UTC, whole minutes) as the picker's datetime-local inputs take it. */
const inputValue = (ms: number) => new Date(ms).toISOString().slice(0, 16);

describe("URL state", () => {
  it("says a bad range next to the picker and shows the default range", async () => {
    const page = await session.open("/?range=banana");
    const picker = page.getByTestId("time-range-picker");
    const problem = picker.getByRole("status");
    await problem.waitFor();
    expect(await problem.textContent()).toContain('Unknown range "banana"');
    expect(await problem.textContent()).toContain("Showing the last 3h.");
    expect(await picker.locator("select").inputValue()).toBe("3h");
    const w = await shownWindow(page);
    expect(w.end - w.start).toBe(3 * HOUR);
    // Said once, by the control: not repeated in the nav or the page.
    expect(await page.getByRole("navigation", { name: "Main" }).getByText("Unknown range").count()).toBe(0);
    expect(await page.getByText('Unknown range "banana"').count()).toBe(1);
  });

  it("says an account the console does not read by the account filter, even with one account read", async () => {
    const page = await session.open("/?accounts=999999999999");
    const problem = page.getByTestId("account-selector").getByRole("status");
    await problem.waitFor();
    expect(await problem.textContent()).toContain("Not an account Fleetscope reads: 999999999999");
    expect(await page.getByText("Not an account Fleetscope reads").count()).toBe(1);
  });

  it("says an unconfigured region in one compact line by the region selector, not in the nav", async () => {
    const page = await session.open("/?regions=ap-south-1");
    const selector = page.getByTestId("region-selector");
    const problem = selector.getByRole("status");
    await problem.waitFor();
    expect(await problem.textContent()).toContain("Not a configured region: ap-south-1");
    expect(await page.getByText("Not a configured region").count()).toBe(1);
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByText("ap-south-1").count()).toBe(0);
    // One line under the selector: the header row keeps its height.
    const box = await problem.boundingBox();
    const selectorBox = await selector.locator("summary").boundingBox();
    expect(box && box.height).toBeLessThan(24);
    expect(box && selectorBox && box.y).toBeGreaterThanOrEqual(
      (selectorBox?.y ?? 0) + (selectorBox?.height ?? 0),
    );
    expect((await page.getByRole("banner").boundingBox())?.height).toBeLessThan(60);
    // The tooltip carries the whole text.
    expect(await problem.getAttribute("title")).toContain("FLEETSCOPE_REGIONS");
  });

  it("writes a custom range from the picker as ISO from/to, which survives navigation to a function page", async () => {
    const page = await session.open("/");
    const picker = page.getByTestId("time-range-picker");
    await picker.locator("select").selectOption("custom", { timeout: 30_000 });
    const to = Math.floor(Date.now() / 60_000) * 60_000 - HOUR;
    const from = to - 2 * HOUR;
    await page.locator("#range-from").fill(inputValue(from));
    await page.locator("#range-to").fill(inputValue(to));
    await picker.getByRole("button", { name: "Apply" }).click({ timeout: 30_000 });
    await page.waitForURL((url) => url.searchParams.has("from"), { timeout: 60_000 });
    const url = new URL(page.url());
    expect(url.searchParams.get("from")).toBe(new Date(from).toISOString());
    expect(url.searchParams.get("to")).toBe(new Date(to).toISOString());
    expect(url.searchParams.has("range")).toBe(false);
    expect(await shownWindow(page)).toEqual({ start: from, end: to });

    // A function link of the page (HTML, not a chart's SVG link under its hover surface). On a fresh console the
    // table fills once the collector has listed the inventory: reload (the URL keeps the range) until it has.
    const link = page.locator('main a[href^="/functions/us-east-1/"]:not(svg *)').first();
    for (let i = 0; (await link.count()) === 0 && i < 24; i++) {
      await page.waitForTimeout(10_000);
      await page.reload({ waitUntil: "load" });
    }
    await link.waitFor({ timeout: 30_000 });
    await link.click();
    await page.waitForURL((u) => u.pathname.startsWith("/functions/us-east-1/"), { timeout: 60_000 });
    const fnUrl = new URL(page.url());
    // A function is named by its account too: the fleet's link carries it.
    expect(fnUrl.searchParams.get("account")).toMatch(/^\d{12}$/);
    expect(fnUrl.searchParams.get("from")).toBe(new Date(from).toISOString());
    expect(fnUrl.searchParams.get("to")).toBe(new Date(to).toISOString());
    expect(await page.getByTestId("time-range-picker").locator("select").inputValue()).toBe("custom");
    expect(await page.locator("#range-from").inputValue()).toBe(inputValue(from));
    expect(await shownWindow(page)).toEqual({ start: from, end: to });
  }, 360_000);

  it("shows no range picker on /status, where the range changes nothing", async () => {
    const page = await session.open("/status?range=24h");
    await page.getByTestId("region-selector").waitFor();
    expect(await page.getByTestId("time-range-picker").count()).toBe(0);
    // The range is still carried by the nav links to the pages it affects.
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Fleet", exact: true }).getAttribute("href")).toBe(
      "/?range=24h",
    );
  });
});
