/**
 * The Errors view in a real browser against the built console and the sandbox. payments-api's canary (the
 * version alias `live` routes its additional weight to, read with the SDK) fails mostly with
 * PaymentDeclinedError, whose message carries new charge and customer ids on every request: the view must show
 * ONE group of it whose count is what Logs Insights counts (distinct request ids with that error type, read with
 * the `aws` CLI) over exactly the minutes the page says it read, marked new in the canary, with example links
 * that open the request. Failed requests reconcile with the Errors metric, or differ by no more than the
 * requests crossing the compared window's edges (the metric counts a request in its start minute, the logs at
 * its failure) and the page names that reason. Nothing hard-coded.
 */
import { GetAliasCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cliInsightsRow } from "@fleetscope/sandbox/testing/awscli";
import { settledWindow } from "@/test/support/planted-picks";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

const REGION = "us-east-1";
const FN = "payments-api";
const TYPE = "PaymentDeclinedError";
const GROUP = `/aws/lambda/${FN}`;

let session: BrowserSession;
let lambda: LambdaClient;
beforeAll(async () => {
  session = await connectBrowser();
  lambda = new LambdaClient({
    endpoint: inject("sandboxUrl"),
    region: REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
});
afterAll(async () => {
  lambda?.destroy();
  await session?.close();
});

/** The canary: the version `live` sends its additional weight to. */
async function canaryVersion(): Promise<string> {
  const alias = await lambda.send(new GetAliasCommand({ FunctionName: FN, Name: "live" }));
  const versions = Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
  expect(versions).toHaveLength(1);
  return versions[0]!;
}

/**
 * A settled 30-minute window: the canary has been taking 30 % of `live` for hours by then. It ends 8 minutes
 * back: error groups are read once a minute's metrics are settled (about 7 minutes after it ends).
 */
function range(): string {
  const w = settledWindow(Date.now(), 30, 8);
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
  const row = await cliInsightsRow(
    inject("sandboxUrl"),
    GROUP,
    { start: from, end: to },
    [
      `filter @message like /${TYPE}/`,
      "parse @message /^\\S+\\t(?<rid>[0-9a-f-]{36})\\tERROR/",
      "stats count_distinct(rid) as n",
    ].join(" | "),
  );
  return row.n ?? 0;
}

/**
 * At most how many requests cross `edge` (start before it, end after it): the REPORT lines from the edge to the
 * longest duration seen after it. The Errors metric counts such a request on one side, the logs on the other.
 */
async function requestsCrossing(edge: number): Promise<number> {
  const longest = await cliInsightsRow(
    inject("sandboxUrl"),
    GROUP,
    { start: edge - 60_000, end: edge + 60_000 },
    "filter @message like /^REPORT/ | parse @message /\\tDuration: (?<d>[\\d.]+) ms/ | stats max(d) as longest",
  );
  const reach = Math.ceil((longest.longest ?? 0) / 1000) * 1000 + 1000;
  const row = await cliInsightsRow(
    inject("sandboxUrl"),
    GROUP,
    { start: edge, end: edge + reach },
    "filter @message like /^REPORT/ | stats count(*) as n",
  );
  return row.n ?? 0;
}

describe("Errors view", () => {
  it("groups the canary's PaymentDeclinedError into one group, counted, reconciled, new in the canary, with examples", async () => {
    const canary = await canaryVersion();
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

    // Failed requests in the logs add up to the Errors metric over the compared minutes, or differ by no more
    // than the requests crossing the compared window's edges, and then the page says so.
    const reconciliation = page.getByTestId("reconciliation");
    expect(await reconciliation.textContent()).toMatch(
      /failed requests? logged of [\d,]+ in the Errors metric/,
    );
    const failed = Number(await reconciliation.getAttribute("data-failed"));
    const metricErrors = Number(await reconciliation.getAttribute("data-metric-errors"));
    const state = await reconciliation.getAttribute("data-state");
    if (failed === metricErrors) expect(state).toBe("reconciled");
    else {
      expect(state).toBe("differs");
      const comparedFrom = Number(await attr(page, "errors-window", "data-compared-from"));
      const comparedTo = Number(await attr(page, "errors-window", "data-compared-to"));
      const crossing = (await requestsCrossing(comparedFrom)) + (await requestsCrossing(comparedTo));
      expect(Math.abs(failed - metricErrors)).toBeLessThanOrEqual(crossing);
      const why = (await page.getByTestId("reconciliation-function").first().textContent()) ?? "";
      expect(why).toMatch(/window's end|started before the window/);
    }

    // Only in the canary version of `live`.
    const badge = group.getByTestId("new-in-canary");
    expect(await badge.getAttribute("data-version")).toBe(canary);
    expect(await badge.textContent()).toBe(`new in canary v${canary}`);

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
    // As long as openCovered may wait for the collector to catch up (48 tries), on a loaded machine.
  }, 360_000);

  it("links the function page's Errors panel to the view narrowed to the function", async () => {
    const page = await session.open(`/functions/${REGION}/${FN}?${range()}`);
    const link = page.getByTestId("function-errors-link");
    await link.waitFor({ timeout: 120_000 });
    const href = (await link.getAttribute("href")) ?? "";
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/errors");
    expect(url.searchParams.get("fn")).toBe(FN);
    expect(url.searchParams.get("region")).toBe(REGION);
    // A function is its account, region and name: the view is narrowed to its account too.
    expect(url.searchParams.get("account")).toMatch(/^\d{12}$/);
    await page.getByTestId("function-errors").waitFor({ timeout: 120_000 });
    await link.click();
    await page.waitForURL(/\/errors\?/);
    expect(await page.getByTestId("errors-function").textContent()).toBe(FN);
  });
});
