/**
 * The Sources page (issue 13) in a real browser against the built console and the sandbox: the planted troubles
 * — clickstream-consumer's stream falling behind, legacy-sync's disabled mapping, thumbnail-async dropping async
 * events — come first, each links to its function, and healthy mappings follow. The health comes from the global
 * console's collector: the page is reloaded until the collector has read enough IteratorAge minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

let session: BrowserSession;

beforeAll(async () => {
  session = await connectBrowser();
  session.context.setDefaultNavigationTimeout(120_000);
  session.context.setDefaultTimeout(60_000);
});

afterAll(async () => {
  await session?.close();
});

const PLANTED = [
  ["clickstream-consumer", "falling behind"],
  ["legacy-sync", "disabled"],
  ["thumbnail-async", "dropping events"],
] as const;

describe("Sources", () => {
  it("lists the planted troubles first, each linking to its function, then the healthy mappings", async () => {
    const path = "/sources?regions=us-east-1&range=3h";
    let page = await session.open(path);
    const lagging = page.locator('[data-testid="source-row"][data-function="clickstream-consumer"]');
    for (let i = 0; i < 60 && (await lagging.getAttribute("data-health")) !== "falling behind"; i++) {
      await page.waitForTimeout(5_000);
      page = await session.open(path);
    }
    const rows = page.getByTestId("source-row");
    const top = await rows.evaluateAll((els) =>
      els.slice(0, 3).map((e) => [e.getAttribute("data-function"), e.getAttribute("data-health")]),
    );
    expect(top).toEqual(PLANTED.map(([fn, health]) => [fn, health]));
    expect(await rows.first().textContent()).toMatch(/Iterator age rising .*\/hour/);

    // Healthy queue consumers are there too, after the troubles.
    const healthy = await rows.evaluateAll((els) =>
      els.slice(3).map((e) => [e.getAttribute("data-function"), e.getAttribute("data-health")]),
    );
    expect(healthy).toContainEqual(["email-sender", "ok"]);

    // The health filter keeps one kind of trouble.
    const filtered = await session.open("/sources?regions=us-east-1&range=3h&health=disabled");
    const kept = await filtered
      .getByTestId("source-row")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-health")));
    expect(kept.length).toBeGreaterThan(0);
    expect(new Set(kept)).toEqual(new Set(["disabled"]));

    // Each trouble links to its function's page in its account, carrying the range.
    for (const [fn] of PLANTED) {
      const link = page
        .locator(`[data-testid="source-row"][data-function="${fn}"]`)
        .getByRole("link", { name: fn });
      // The function's account first (the sandbox's one account), then the shell's params.
      expect(await link.getAttribute("href")).toMatch(
        new RegExp(`^/functions/us-east-1/${fn}\\?account=\\d{12}&regions=us-east-1&range=3h$`),
      );
    }
    await page
      .locator('[data-testid="source-row"][data-function="clickstream-consumer"]')
      .getByRole("link", { name: "clickstream-consumer" })
      .click();
    await page.waitForURL(/\/functions\/us-east-1\/clickstream-consumer/);
  }, 400_000);
});
