/**
 * The function page's triggers from the collector's store, in a real browser against the built console (its
 * embedded collector reading the sandbox): once the collector has read thumbnail-async, the panel says when
 * ("read … by the collector") with no part read live, and shows what the SDK reads from the sandbox now.
 */
import { GetPolicyCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

let session: BrowserSession;
let lambda: LambdaClient;

beforeAll(async () => {
  session = await connectBrowser();
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

const squash = (s: string | null) => (s ?? "").replace(/\s+/g, " ").trim();

describe("Triggers from the store", () => {
  it("shows thumbnail-async's triggers as the collector read them, and says so", async () => {
    const page = await session.open("/functions/us-east-1/thumbnail-async");
    const source = page.getByTestId("triggers-source");
    // The collector reads the inventory first, then the triggers within GetPolicy's bucket: reload until it has.
    const deadline = Date.now() + 5 * 60_000;
    for (;;) {
      await source.waitFor({ timeout: 60_000 });
      // Every part from the store: the region's mapping listing may come before the function's own reading.
      if (/by the collector\.$/.test(squash(await source.textContent()))) break;
      if (Date.now() > deadline) throw new Error(`still ${squash(await source.textContent())}`);
      await page.waitForTimeout(5_000);
      await page.reload({ waitUntil: "load" });
    }
    const said = squash(await source.textContent());
    expect(said).toMatch(/^Read (just now|\d+m ago) by the collector\.$/);
    expect(await source.locator("time").getAttribute("datetime")).toMatch(/^\d{4}-\d\d-\d\dT/);

    const policy = JSON.parse(
      (await lambda.send(new GetPolicyCommand({ FunctionName: "thumbnail-async" }))).Policy ?? "{}",
    ) as {
      Statement: { Principal: { Service: string }; Condition: { ArnLike: { "AWS:SourceArn": string } } }[];
    };
    const s3 = policy.Statement.find((st) => st.Principal.Service === "s3.amazonaws.com");
    expect(s3).toBeDefined();
    const panel = page.getByTestId("triggers-panel");
    const push = panel.locator('[data-testid="push-source"][data-kind="s3"]');
    expect(squash(await push.textContent())).toBe(
      `s3.amazonaws.com ${s3?.Condition.ArnLike["AWS:SourceArn"]}`,
    );
    const unguarded = panel.locator('[data-testid="trigger-warning"][data-code="async-events-unguarded"]');
    expect(await unguarded.count()).toBe(1);
  }, 420_000);
});
