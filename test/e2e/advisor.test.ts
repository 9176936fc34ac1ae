/**
 * The Advisor page in a real browser against the built console and the sandbox: flags grouped by severity and
 * rule, each linking to its function with its evidence, the total saving, sorting in the URL, and the badges the
 * functions table then shows. The evidence comes from the collector's store: the page is reloaded until the
 * collector has read what the planted findings need (the inventory's provisioned concurrency, some hours of
 * metrics and REPORT lines), and it says how much of the look-back it judged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

let session: BrowserSession;

beforeAll(async () => {
  session = await connectBrowser();
  // The page streams until the whole fleet is collected: allow the sandbox its time.
  session.context.setDefaultNavigationTimeout(400_000);
  session.context.setDefaultTimeout(120_000);
});

afterAll(async () => {
  await session?.close();
});

describe("Advisor", () => {
  it("lists the fleet's flags with evidence, links and the total saving, then badges the functions table", async () => {
    let page = await session.open("/advisor?days=1");
    await page.getByRole("heading", { name: "Advisor" }).waitFor({ timeout: 300_000 });
    const idleCard = 'article[data-rule="provisioned-idle"][data-function="checkout-api"]';
    for (let i = 0; i < 60 && (await page.locator(idleCard).count()) === 0; i++) {
      await page.waitForTimeout(5_000);
      page = await session.open("/advisor?days=1");
      await page.getByRole("heading", { name: "Advisor" }).waitFor({ timeout: 60_000 });
    }
    // Served from the store: the telemetry costs no AWS request; only configuration the store does not hold does
    // (published versions' runtimes, SQS queue settings): a handful per region, never one per function.
    expect(await page.getByTestId("evidence-source").getAttribute("data-source")).toBe("store");
    const cost = page.getByTestId("view-cost");
    const requests = Number(await cost.getAttribute("data-aws-requests"));
    expect(await cost.textContent()).toContain(`${requests} AWS requests for what the store does not hold`);
    expect(requests).toBeLessThan(20);

    // Config-based flags need no telemetry: the deprecated runtimes of both regions are critical.
    const critical = page.getByRole("region", { name: "critical deprecated-runtime" });
    for (const [region, name] of [
      ["us-east-1", "invoice-legacy"],
      ["eu-west-1", "gdpr-export"],
    ]) {
      const card = critical.locator(`article[data-function="${name}"]`).first();
      await card.waitFor();
      const href = await card.getByRole("link", { name: new RegExp(`^${name}`) }).getAttribute("href");
      // The link names the function's account (the sandbox's one account; no Account shown with one account).
      expect(href).toMatch(new RegExp(`^/functions/${region}/${name}\\?account=\\d{12}`));
    }

    // A money flag: provisioned concurrency idle on checkout-api, with its evidence numbers and chart.
    const idle = page.locator('article[data-rule="provisioned-idle"][data-function="checkout-api"]');
    await idle.waitFor();
    expect(await idle.textContent()).toMatch(/\$[\d,]+\.\d\d\/mo saving/);
    await idle.getByRole("figure", { name: "Evidence chart" }).waitFor();
    const total = (await page.getByTestId("total-saving").textContent()) ?? "";
    expect(Number(total.replace(/[^0-9.]/g, ""))).toBeGreaterThan(0);

    await page.getByRole("link", { name: "function", exact: true }).click();
    await page.waitForURL(/[?&]sort=function/);

    // The functions table now carries the latest Advisor run's badges.
    const fns = await session.open("/functions?q=invoice-legacy");
    const badge = fns.getByRole("link", { name: /advisor flags?, worst critical/ });
    await badge.waitFor();
  }, 400_000);
});
