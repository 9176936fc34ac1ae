/**
 * A request in a Transaction Search region (eu-west-1: spans in aws/spans, X-Ray indexes 1 % of traces) whose
 * trace X-Ray did not index: its request page retrieves the OTel spans and shows them as a waterfall with the
 * root's exception, and names Transaction Search as the source. The request is found through the SDK (Logs
 * Insights over aws/spans, BatchGetTraces), and every expected value is read from its span documents.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBrowser, type BrowserSession } from "./support/browser";
import { pickUnindexedFailure, type PickedUnindexedFailure } from "./support/transaction-search-pick";
import "./support/provided";

let session: BrowserSession;
let picked: PickedUnindexedFailure | undefined;

beforeAll(async () => {
  session = await connectBrowser();
  picked = await pickUnindexedFailure(inject("sandboxUrl"), Date.now());
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe("Request page in a Transaction Search region", () => {
  it("shows the OTel waterfall of a trace X-Ray did not index, with the root's exception", async () => {
    expect(picked).toBeDefined();
    const p = picked!;
    const clients = p.spans.filter((s) => s.kind === "CLIENT");
    expect(clients.length).toBeGreaterThan(0);

    const page = await session.open(
      `/requests/${p.requestId}?region=eu-west-1&fn=${encodeURIComponent(p.fn)}&at=${p.at}`,
    );
    await page.getByTestId("trace-waterfall").waitFor();
    expect(await page.getByTestId("trace-id").textContent()).toBe(p.traceId);
    expect(await page.getByTestId("trace-source").textContent()).toContain("Transaction Search");
    expect(await page.getByTestId("trace-destination").textContent()).toContain("Transaction Search");

    // Every span of the trace is a row, the CLIENT calls under their "<service>.<method>" names.
    const names = await page
      .locator('[role="treeitem"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-span-name")));
    for (const s of p.spans) expect(names).toContain(s.name);
    expect(clients.every((c) => names.includes(c.name))).toBe(true);
    const root = page.locator(`[role="treeitem"][data-span-name="${p.fn}"]`).first();
    expect(await root.getAttribute("data-status")).toBe("fault");

    const exception = page.getByTestId("exception").first();
    await exception.waitFor();
    const text = (await exception.textContent()) ?? "";
    expect(text).toContain(p.exceptionType);
    expect(text).toContain(p.exceptionMessage);

    // A database or queue call's db.* / messaging.* attributes are their own section of the span details.
    const call = clients.find((c) => /^(DynamoDB|SQS)\./.test(c.name));
    if (call) {
      await page.locator(`[role="treeitem"][data-span-name="${call.name}"]`).first().click();
      const section = page.getByTestId(call.name.startsWith("SQS.") ? "span-messaging" : "span-db");
      await section.waitFor();
      expect(await section.textContent()).toContain(call.name.startsWith("SQS.") ? "aws_sqs" : "dynamodb");
    }
  });

  it("the status page names each region's trace destination", async () => {
    const page = await session.open("/status");
    const list = page.getByTestId("trace-destinations");
    await list.waitFor();
    expect(await list.locator('[data-region="eu-west-1"]').textContent()).toContain("Transaction Search");
    expect(await list.locator('[data-region="us-east-1"]').textContent()).toMatch(/us-east-1:\s*X-Ray$/);
    // Its own X-Ray calls are counted: at most one per region (the rest cached), never left unsaid.
    const cost = (await page.getByTestId("trace-destinations-cost").textContent()) ?? "";
    const made = /This panel cost (\d+) AWS request/.exec(cost);
    if (made) expect(Number(made[1])).toBeLessThanOrEqual(await list.locator("li").count());
    else expect(cost).toContain("No AWS request made for this panel");
  });

  it("a filtered trace list in eu-west-1 says it shows only X-Ray's indexed share", async () => {
    const p = picked!;
    const page = await session.open(
      `/traces?region=eu-west-1&fn=${encodeURIComponent(p.fn)}&cold=1&range=1h`,
    );
    const note = page.getByTestId("trace-list-indexed");
    await note.waitFor();
    expect(await note.textContent()).toContain("X-Ray indexes about 1 % of traces in this region");
    expect(await note.textContent()).toContain("this filtered list shows only indexed traces");
    // A function's unfiltered list reads every trace from aws/spans: no such note.
    const all = await session.open(`/traces?region=eu-west-1&fn=${encodeURIComponent(p.fn)}&range=1h`);
    await all.getByTestId("trace-list-cost").waitFor();
    expect(await all.getByTestId("trace-list-indexed").count()).toBe(0);
  });
});
