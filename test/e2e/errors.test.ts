/**
 * The Errors view in a real browser against the built console and the sandbox. payments-api's canary (v8 of
 * alias `live`) fails mostly with PaymentDeclinedError, whose message carries new charge and customer ids on
 * every request: the view must show ONE group of it whose count is what Logs Insights counts (distinct request
 * ids with that error type, read with the SDK) over exactly the minutes the page says it read, reconciled with
 * the Errors metric, marked new in the canary, with example links that open the request. Nothing hard-coded.
 */
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { settledWindow } from "@/test/support/planted-picks";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

const REGION = "us-east-1";
const FN = "payments-api";
const TYPE = "PaymentDeclinedError";

let session: BrowserSession;
let logs: CloudWatchLogsClient;
beforeAll(async () => {
  session = await connectBrowser();
  logs = new CloudWatchLogsClient({
    endpoint: inject("sandboxUrl"),
    region: REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
});
afterAll(async () => {
  logs?.destroy();
  await session?.close();
});

/** A settled 30-minute window: the canary has been taking 30 % of `live` for hours by then. */
function range(): string {
  const w = settledWindow(Date.now(), 30, 5);
  return `from=${new Date(w.start).toISOString()}&to=${new Date(w.end).toISOString()}`;
}

const attr = async (page: Page, testId: string, name: string) =>
  page.getByTestId(testId).first().getAttribute(name);

/**
 * Opens the view once the collector has read the whole window from logs and metrics, and has read the
 * function's aliases (run alone, this file starts with a console that is still backfilling).
 */
async function openCovered(path: string): Promise<Page> {
  for (let i = 0; ; i++) {
    const page = await session.open(path);
    await page.getByTestId("reconciliation").waitFor({ timeout: 120_000 });
    const whole = (await page.getByTestId("coverage").count()) === 0;
    const marked = (await page.getByTestId("new-in-canary").count()) > 0;
    if ((whole && marked) || i >= 48) return page;
    await page.waitForTimeout(5_000);
  }
}

/** Distinct request ids of `TYPE` lines in the function's log group over [from, to), as Logs Insights counts. */
async function insightsCount(from: number, to: number): Promise<number> {
  const { queryId } = await logs.send(
    new StartQueryCommand({
      logGroupNames: [`/aws/lambda/${FN}`],
      startTime: from / 1000,
      endTime: to / 1000 - 1,
      queryString: [
        `filter @message like /${TYPE}/`,
        "parse @message /^\\S+\\t(?<rid>[0-9a-f-]{36})\\tERROR/",
        "stats count_distinct(rid) as n",
      ].join(" | "),
    }),
  );
  for (let polls = 0; polls < 600; polls++) {
    const out = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (out.status === "Complete") {
      const n = out.results?.[0]?.find((f) => f.field === "n")?.value;
      return n === undefined ? 0 : Number(n);
    }
    expect(["Scheduled", "Running"]).toContain(out.status);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("Insights query did not complete");
}

describe("Errors view", () => {
  it("groups the canary's PaymentDeclinedError into one group, counted, reconciled, new in v8, with examples", async () => {
    const page = await openCovered(`/errors?fn=${FN}&region=${REGION}&${range()}`);
    const groups = page.locator(`[data-testid="error-group"][data-error-type="${TYPE}"]`);
    expect(await groups.count()).toBe(1);
    const group = groups.first();
    expect(await group.getAttribute("data-kind")).toBe("unhandled");

    // The count is what Insights counts over exactly the minutes the page read.
    const from = Number(await attr(page, "errors-window", "data-from"));
    const to = Number(await attr(page, "errors-window", "data-to"));
    expect(to).toBeGreaterThan(from);
    const shown = Number(await group.getAttribute("data-count"));
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBe(await insightsCount(from, to));

    // Failed requests in the logs add up to the Errors metric over the compared minutes.
    const reconciliation = page.getByTestId("reconciliation");
    expect(await reconciliation.getAttribute("data-state")).toBe("reconciled");
    expect(await reconciliation.getAttribute("data-failed")).toBe(
      await reconciliation.getAttribute("data-metric-errors"),
    );
    expect(await reconciliation.textContent()).toMatch(
      /failed requests? logged of [\d,]+ in the Errors metric/,
    );

    // Only in the canary version of `live`.
    const badge = group.getByTestId("new-in-canary");
    expect(await badge.getAttribute("data-version")).toBe("8");
    expect(await badge.textContent()).toBe("new in canary v8");

    // The pattern masks the ids: no charge or customer id survives in it.
    const pattern = (await group.getByTestId("error-pattern").textContent()) ?? "";
    expect(pattern).toContain("declined for customer");
    expect(pattern).not.toMatch(/ch_[A-Za-z0-9]{24}|cus_[A-Za-z0-9]{14}/);

    // An example opens its request page, which shows that request and its error line.
    const example = group.getByTestId("error-example").first();
    const requestId = (await example.getAttribute("data-request-id")) ?? "";
    expect(requestId).not.toBe("");
    await example.click();
    await page.waitForURL(/\/requests\//);
    await page.getByTestId("request-id").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("request-id").textContent()).toBe(requestId);
    await page.getByTestId("log-text").first().waitFor();
    const lines = await page.getByTestId("log-text").allTextContents();
    expect(lines.some((l) => l.includes(TYPE))).toBe(true);
  });

  it("links the function page's Errors panel to the view narrowed to the function", async () => {
    const page = await session.open(`/functions/${REGION}/${FN}?${range()}`);
    const link = page.getByTestId("function-errors-link");
    await link.waitFor({ timeout: 120_000 });
    const href = (await link.getAttribute("href")) ?? "";
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/errors");
    expect(url.searchParams.get("fn")).toBe(FN);
    expect(url.searchParams.get("region")).toBe(REGION);
    await page.getByTestId("function-errors").waitFor({ timeout: 120_000 });
    await link.click();
    await page.waitForURL(/\/errors\?/);
    expect(await page.getByTestId("errors-function").textContent()).toBe(FN);
  });
});
