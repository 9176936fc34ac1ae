/**
 * Fleet telemetry in a real browser against the built console and the sandbox. Expected numbers are read from
 * the sandbox with the `aws` CLI (an independent client) for exactly the window the page says it shows
 * (`data-start` / `data-end` of the range), never hard-coded.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cliMetricSum } from "@fleetscope/sandbox/testing/awscli";
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

/**
 * A settled custom window ending `endAgoMin` minutes ago. What these tests expect of it (errors, throttles, cold
 * starts in it) holds at any clock position: test/integration/clock-replay.test.ts checks that.
 */
function customRange(minutes: number, endAgoMin = 3): string {
  const w = settledWindow(Date.now(), minutes, endAgoMin);
  return `from=${new Date(w.start).toISOString()}&to=${new Date(w.end).toISOString()}`;
}

/**
 * Opens a function page once the collector covers its whole window: run alone, this file starts with a console
 * whose collector is still backfilling, and a partly covered window shows partial totals (and says so).
 */
async function openCovered(path: string, ready: string): Promise<Page> {
  for (let i = 0; ; i++) {
    const page = await session.open(path);
    await page.getByTestId(ready).waitFor({ state: "attached", timeout: 120_000 });
    if ((await page.getByTestId("coverage").count()) === 0 || i >= 36) return page;
    await page.waitForTimeout(5_000);
  }
}

async function shownWindow(page: Page): Promise<{ start: number; end: number }> {
  const range = page.getByTestId("range").first();
  await range.waitFor();
  return {
    start: Number(await range.getAttribute("data-start")),
    end: Number(await range.getAttribute("data-end")),
  };
}

/** Sum of a function's metric over the window, as the aws CLI reads it. */
const cliSum = (fn: string, metric: string, w: { start: number; end: number }) =>
  cliMetricSum(inject("sandboxUrl"), fn, metric, w, 60);

async function setFaults(config: unknown) {
  const res = await fetch(`${inject("sandboxUrl")}/_sandbox/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(config),
  });
  expect(res.ok).toBe(true);
}

describe("Fleet telemetry", () => {
  it.each(["payments-api", "webhook-ingest"])(
    "%s: the function page shows the invocation, error and throttle counts the aws CLI reports",
    async (fn) => {
      const page = await openCovered(`/functions/us-east-1/${fn}?${customRange(60)}`, "fn-exact");
      const exact = page.getByTestId("fn-exact");
      const w = await shownWindow(page);
      const shown = {
        invocations: Number(await exact.getAttribute("data-invocations")),
        errors: Number(await exact.getAttribute("data-errors")),
        throttles: Number(await exact.getAttribute("data-throttles")),
      };
      const cli = {
        invocations: await cliSum(fn, "Invocations", w),
        errors: await cliSum(fn, "Errors", w),
        throttles: await cliSum(fn, "Throttles", w),
      };
      expect(cli.invocations).toBeGreaterThan(0);
      expect(shown).toEqual(cli);
      if (fn === "payments-api") expect(cli.errors).toBeGreaterThan(0);
      if (fn === "webhook-ingest") expect(cli.throttles).toBeGreaterThan(0);
    },
  );

  it("the overview table row of a planted function matches the CLI, and links to its page", async () => {
    const page = await session.open(`/?${customRange(30)}&fq=webhook-ingest`);
    const row = page.locator('[role="row"][data-function="webhook-ingest"][data-region="us-east-1"]');
    await row.waitFor({ timeout: 120_000 });
    const w = await shownWindow(page);
    expect(Number(await row.locator('[data-col="invocations"]').getAttribute("data-value"))).toBe(
      await cliSum("webhook-ingest", "Invocations", w),
    );
    expect(Number((await row.locator('[data-col="throttles"]').getAttribute("data-value")) ?? 0)).toBe(
      await cliSum("webhook-ingest", "Throttles", w),
    );
    expect(await page.locator('[role="row"]').count()).toBeLessThan(200);
    await row.getByRole("link", { name: "webhook-ingest" }).click();
    await page.waitForURL(/\/functions\/us-east-1\/webhook-ingest/);
  });

  it("sorts the overview table by a column from its header, worst first, unknown values last", async () => {
    const page = await session.open(`/?${customRange(30)}`);
    const rows = page.getByTestId("fleet-rows");
    await rows.locator('[role="row"][data-function]').first().waitFor({ timeout: 120_000 });
    const header = page.getByRole("columnheader", { name: /p99/ });
    expect(await header.getAttribute("aria-sort")).toBe("none");
    await header.getByRole("button").click();
    await page.waitForURL((url) => url.searchParams.get("fsort") === "p99");
    expect(await header.getAttribute("aria-sort")).toBe("descending");
    const shown = await rows
      .locator('[role="row"][data-function] [data-col="p99"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute("data-value")));
    const known = shown.filter((v) => v !== null).map(Number);
    expect(known.length).toBeGreaterThan(2);
    expect(known).toEqual([...known].sort((a, b) => b - a));
    // Rows without a p99 (no REPORT lines in the range) come after every row with one.
    expect(shown.slice(0, known.length).every((v) => v !== null)).toBe(true);
  });

  it("notify-sms (cold-start heavy) shows its cold-start rate and init duration", async () => {
    const page = await openCovered(
      `/functions/us-east-1/notify-sms?${customRange(180)}`,
      "fn-cold-start-rate",
    );
    const rate = page.getByTestId("fn-cold-start-rate");
    await rate.waitFor({ timeout: 120_000 });
    const rateText = (await rate.textContent()) ?? "";
    expect(rateText).toMatch(/%$/);
    expect(Number.parseFloat(rateText.replace("<", ""))).toBeGreaterThan(0);
    const init = (await page.getByTestId("fn-avg-init").textContent()) ?? "";
    // Planted: a java21 function whose init takes about 2.2 s.
    expect(init).toMatch(/^\d+(\.\d+)? s$/);
    expect(Number.parseFloat(init)).toBeGreaterThan(1);
  });

  it("a 7-day fleet page shows cold-start rate and memory for every function, its freshness and its coverage", async () => {
    // Sorted ascending, functions with no value sort last: at the end of each sort, a row without a value must be
    // a function not invoked in the range (edge-rewriter runs only as Lambda@Edge replicas), never one with data.
    for (const col of ["coldStartRate", "memory"]) {
      const page = await session.open(`/?range=7d&fsort=${col}&fdir=asc`);
      const rows = page.getByTestId("fleet-rows");
      await rows.locator('[role="row"][data-function]').first().waitFor({ timeout: 120_000 });
      const freshness = (await page.getByTestId("freshness").first().textContent()) ?? "";
      expect(freshness).toMatch(/data to \d\d:\d\d UTC/);
      // The collector has backfilled hours, not 7 days: the page says how much of the range it covers.
      expect(await page.getByTestId("coverage").first().textContent()).toMatch(/covered .* of 7 d/i);
      expect(await page.getByTestId("view-cost").textContent()).toMatch(/(^|\D)0 AWS requests/);
      await rows.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForTimeout(300);
      const tail = await rows.locator('[role="row"][data-function]').evaluateAll(
        (els, c) =>
          els.map((el) => ({
            fn: el.getAttribute("data-function"),
            value: el.querySelector(`[data-col="${c}"]`)?.getAttribute("data-value") ?? null,
            invocations: el.querySelector('[data-col="invocations"]')?.getAttribute("data-value") ?? null,
          })),
        col,
      );
      expect(tail.filter((r) => r.value !== null).length, `rows with ${col}`).toBeGreaterThan(0);
      for (const r of tail)
        if (r.value === null) expect([null, "0"], `${col} of ${r.fn}`).toContain(r.invocations);
    }
  });

  it("the collector's status page shows the backfill's progress and what collecting cost AWS", async () => {
    // Reloaded until each region and source has its first minutes ("not collected yet" before them).
    let page = await session.open("/status");
    let progress = page.getByTestId("backfill-progress");
    await progress.first().waitFor();
    for (
      let i = 0;
      i < 30 && (await progress.allTextContents()).some((t) => !t.startsWith("collected"));
      i++
    ) {
      await page.close();
      await new Promise((r) => setTimeout(r, 2000));
      page = await session.open("/status");
      progress = page.getByTestId("backfill-progress");
      await progress.first().waitFor();
    }
    // Two regions × metrics and logs.
    expect(await progress.count()).toBe(4);
    for (const text of await progress.allTextContents())
      expect(text).toMatch(/^collected [\d.]+ h of [\d.]+ h$/);
    const cost = (await page.getByTestId("collector-cost").textContent()) ?? "";
    expect(cost).toMatch(/Requests, last hour\s*[1-9]/);
    expect(cost).toMatch(/Insights scanned, last hour\s*[\d.]+ [KMG]?B/);
  });

  it("a throttled CloudWatch degrades the function page's metrics panel and leaves the page working", async () => {
    // The fleet overview and the function page's own figures read the collector's store; the function page's
    // per-alias and per-version split series are still read live, and that panel degrades.
    await setFaults({ monitoring: { throttleRate: 1 } });
    try {
      // A range nobody asked for yet, so no cached answer hides the fault.
      const page = await session.open(`/functions/us-east-1/orders-api?${customRange(20, 7)}`);
      const degraded = page.getByTestId("degraded").first();
      await degraded.waitFor({ timeout: 120_000 });
      expect(await degraded.textContent()).toContain("Throttled");
      // The rest of the page still renders: the configuration and the cold starts read from Logs.
      await page.getByTestId("fn-cold-start-rate").waitFor({ timeout: 120_000 });
    } finally {
      await setFaults({});
    }
  });
});
