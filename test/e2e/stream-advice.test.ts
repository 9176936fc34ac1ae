/**
 * Issue 13's "done when" for the stream function, in a real browser against the built console and the sandbox:
 * clickstream-consumer's page shows its event source and the Advisor's stream-falling-behind flag with its
 * evidence (the iterator age's growth per hour, how long it has grown, the mapping's batch size and
 * parallelization factor). The Advisor runs from the collector's store: its page is reloaded until the collector
 * has read the hours the trend needs; the function page then shows what that run found (it never starts one).
 * Expected values are read from the sandbox through the SDK, as any AWS client would.
 */
import { LambdaClient, ListEventSourceMappingsCommand } from "@aws-sdk/client-lambda";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

let session: BrowserSession;
let lambda: LambdaClient;

beforeAll(async () => {
  session = await connectBrowser();
  // The Advisor page streams until the whole fleet is collected: allow the sandbox its time.
  session.context.setDefaultNavigationTimeout(400_000);
  session.context.setDefaultTimeout(120_000);
  lambda = new LambdaClient({
    region: "us-east-1",
    endpoint: inject("sandboxUrl"),
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
});

afterAll(async () => {
  lambda?.destroy();
  await session?.close();
});

const CARD = 'article[data-rule="stream-falling-behind"][data-function="clickstream-consumer"]';

/** Opens the Advisor until its run flags the stream (the collector backfills the hours meanwhile). */
async function advisorWithStreamFlag(tries = 80): Promise<Page> {
  let page = await session.open("/advisor?days=1");
  await page.getByRole("heading", { name: "Advisor" }).waitFor({ timeout: 300_000 });
  for (let i = 0; i < tries && (await page.locator(CARD).count()) === 0; i++) {
    await page.waitForTimeout(5_000);
    page = await session.open("/advisor?days=1");
    await page.getByRole("heading", { name: "Advisor" }).waitFor({ timeout: 120_000 });
  }
  return page;
}

const squash = (s: string | null) => (s ?? "").replace(/\s+/g, " ").trim();

describe("the stream function's advice", () => {
  it("shows clickstream-consumer's event source and the Advisor's falling-behind flag with its evidence", async () => {
    const listed = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: "clickstream-consumer" }),
    );
    const mapping = listed.EventSourceMappings?.[0];
    expect(mapping?.BatchSize).toBeGreaterThan(0);

    const advisor = await advisorWithStreamFlag();
    const card = advisor.locator(CARD);
    await card.waitFor();
    const cardText = squash(await card.textContent());
    expect(cardText).toMatch(/falling behind: iterator age rising \d+m \d+s per hour/);
    expect(cardText).toMatch(/ParallelizationFactor from 1 to \d+/);

    const page = await session.open("/functions/us-east-1/clickstream-consumer");
    await page.getByRole("heading", { name: "clickstream-consumer" }).waitFor();
    // Its event source, as the sandbox lists it.
    const stream = page.locator(`[data-testid="trigger-mapping"][data-uuid="${mapping?.UUID}"]`);
    await stream.waitFor();
    expect(squash(await stream.getByTestId("mapping-source").textContent())).toBe(
      mapping?.EventSourceArn?.split("/")[1],
    );

    // The Advisor's flag with its evidence, in hours and per hour.
    const flags = page.getByRole("region", { name: "Advisor flags" });
    await flags.getByRole("link", { name: /stream-falling-behind/ }).waitFor();
    const evidence = squash(
      await flags
        .getByRole("list", { name: "Advisor evidence" })
        .locator('li[data-rule="stream-falling-behind"]')
        .textContent(),
    );
    const growth = /iterator age growth \+(\d+)m (\d+)s per hour/.exec(evidence);
    expect(growth, evidence).not.toBeNull();
    // Planted at 48 min/h; hourly maxima of per-invocation ages leave a few minutes of slack.
    expect(Number(growth![1])).toBeGreaterThanOrEqual(40);
    expect(Number(growth![1])).toBeLessThanOrEqual(56);
    expect(evidence).toMatch(/growing for \d+(\.\d)? h/);
    expect(evidence).toMatch(/iterator age now \dh \d+m/);
    expect(evidence).toContain(`batch size ${mapping?.BatchSize}`);
    expect(evidence).toContain(`parallelization factor ${mapping?.ParallelizationFactor}`);
  }, 900_000);
});
