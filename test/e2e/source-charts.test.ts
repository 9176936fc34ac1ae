/**
 * The function page's event-source and async charts (issue 13, "Per function") in a real browser against the
 * built console and the sandbox: clickstream-consumer's iterator age rising over hours (from the collector's
 * store: the page is reloaded until the collector has read enough of the range), thumbnail-async's dropped
 * async events, and the per-mapping counts of a mapping with MetricsConfig EventCount, equal to what
 * GetMetricData (the SDK, dimension EventSourceMappingUUID) returns for the page's own window.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { LambdaClient, ListEventSourceMappingsCommand } from "@aws-sdk/client-lambda";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

let session: BrowserSession;
let lambda: LambdaClient;
let cloudwatch: CloudWatchClient;

beforeAll(async () => {
  session = await connectBrowser();
  session.context.setDefaultNavigationTimeout(120_000);
  session.context.setDefaultTimeout(60_000);
  const endpoint = inject("sandboxUrl");
  lambda = new LambdaClient({ region: "us-east-1", endpoint, credentials });
  cloudwatch = new CloudWatchClient({ region: "us-east-1", endpoint, credentials });
});

afterAll(async () => {
  lambda?.destroy();
  cloudwatch?.destroy();
  await session?.close();
});

/** Opens `path` until `ready` holds for the page (the collector backfills while the test waits). */
async function openUntil(path: string, ready: (page: Page) => Promise<boolean>, tries = 60): Promise<Page> {
  let page = await session.open(path);
  for (let i = 0; i < tries && !(await ready(page)); i++) {
    await page.waitForTimeout(5_000);
    page = await session.open(path);
  }
  return page;
}

const squash = (s: string | null) => (s ?? "").replace(/\s+/g, " ").trim();

describe("event-source and async charts on the function page", () => {
  it("shows clickstream-consumer's iterator age rising by hours, in hours, and no async chart", async () => {
    const chart = (page: Page) => page.getByTestId("fn-chart-iterator-age");
    const spread = async (page: Page) => {
      const c = chart(page);
      if ((await c.count()) === 0) return 0;
      return Number(await c.getAttribute("data-last-ms")) - Number(await c.getAttribute("data-first-ms"));
    };
    const page = await openUntil(
      "/functions/us-east-1/clickstream-consumer?range=3h",
      async (p) => (await spread(p)) >= HOUR,
    );
    // Planted 48 min further behind every hour: over 3 hours, the last point is hours behind the first.
    expect(await spread(page)).toBeGreaterThanOrEqual(HOUR);
    const c = chart(page);
    expect(await c.getAttribute("data-unit")).toBe("hours");
    expect(squash(await c.textContent())).toMatch(
      /rising: \dh \d+m at the start of the range, \dh \d+m at its end/,
    );
    // The line itself: its path rises from left to right (SVG y grows downwards).
    const d = (await c.locator("path[stroke]").first().getAttribute("d")) ?? "";
    const ys = [...d.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
    expect(ys.length).toBeGreaterThan(10);
    expect(ys[ys.length - 1]).toBeLessThan(ys[0] as number);
    // A Kinesis consumer invoked by its mapping publishes no async metric: said, not drawn as zeros.
    expect(await page.getByTestId("fn-chart-async-events").count()).toBe(0);
    expect(squash(await page.getByTestId("fn-chart-async-events-absent").textContent())).toContain(
      "invoked asynchronously",
    );
  });

  it("shows thumbnail-async's dropped async events and no iterator age", async () => {
    const dropped = async (page: Page) => {
      const c = page.getByTestId("fn-chart-async-events");
      if ((await c.count()) === 0) return null;
      const totals = JSON.parse((await c.getAttribute("data-totals")) ?? "{}") as Record<
        string,
        number | null
      >;
      return totals;
    };
    const page = await openUntil("/functions/us-east-1/thumbnail-async?range=3h", async (p) => {
      const t = await dropped(p);
      return (t?.AsyncEventsDropped ?? 0) > 0;
    });
    const totals = await dropped(page);
    expect(totals?.AsyncEventsDropped).toBeGreaterThan(0);
    expect(totals?.AsyncEventsReceived).toBeGreaterThan(totals?.AsyncEventsDropped ?? Infinity);
    expect(squash(await page.getByTestId("fn-chart-async-events").textContent())).toMatch(
      /Received [\d.,k]+ · Dropped [\d.,k]+/,
    );
    expect(await page.getByTestId("fn-chart-iterator-age").count()).toBe(0);
    expect(squash(await page.getByTestId("fn-chart-iterator-age-absent").textContent())).toContain(
      "stream event sources",
    );
  });

  it("shows a mapping's EventCount metrics as GetMetricData returns them for the page's window", async () => {
    const r = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: "clickstream-consumer" }));
    const mapping = r.EventSourceMappings?.[0];
    expect(mapping?.MetricsConfig?.Metrics).toEqual(["EventCount"]);
    const uuid = mapping?.UUID ?? "";

    // A closed hour in the past: the sandbox's minutes there no longer change.
    const to = Math.floor(Date.now() / (5 * MINUTE)) * 5 * MINUTE - 10 * MINUTE;
    const from = to - HOUR;
    const iso = (t: number) => new Date(t).toISOString().replace(".000", "");
    const page = await session.open(
      `/functions/us-east-1/clickstream-consumer?from=${iso(from)}&to=${iso(to)}`,
    );
    const counts = page.locator(`[data-testid="mapping-counts"][data-uuid="${uuid}"]`);
    await counts.waitFor();
    const range = page.getByTestId("range");
    const start = Number(await range.getAttribute("data-start"));
    const end = Number(await range.getAttribute("data-end"));
    const period = Number(await range.getAttribute("data-period"));
    expect([start, end]).toEqual([from, to]);

    const metrics = [
      "PolledEventCount",
      "InvokedEventCount",
      "FilteredOutEventCount",
      "FailedInvokeEventCount",
      "DroppedEventCount",
      "OnFailureDestinationDeliveredEventCount",
    ];
    const got = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(Math.ceil(start / (period * 1000)) * period * 1000),
        EndTime: new Date(end),
        MetricDataQueries: metrics.map((m, i) => ({
          Id: `m${i}`,
          MetricStat: {
            Metric: {
              Namespace: "AWS/Lambda",
              MetricName: m,
              Dimensions: [{ Name: "EventSourceMappingUUID", Value: uuid }],
            },
            Period: period,
            Stat: "Sum",
          },
        })),
      }),
    );
    const expected = Object.fromEntries(
      metrics.map((m, i) => {
        const values = got.MetricDataResults?.find((x) => x.Id === `m${i}`)?.Values ?? [];
        return [m, values.length === 0 ? null : values.reduce((a, b) => a + b, 0)];
      }),
    );
    // The stream is behind: batches are polled and invoked in that hour.
    expect(expected.PolledEventCount).toBeGreaterThan(0);
    const shown = Object.fromEntries(
      await counts
        .getByTestId("mapping-count")
        .evaluateAll((els) =>
          els.map((e) => [
            e.getAttribute("data-metric"),
            e.hasAttribute("data-total") ? Number(e.getAttribute("data-total")) : null,
          ]),
        ),
    );
    expect(shown).toEqual(expected);
    // What the sandbox does not publish for this mapping (no filter, no on-failure destination) is said so.
    for (const m of metrics.filter((x) => expected[x] === null))
      expect(squash(await counts.locator(`[data-metric="${m}"]`).textContent())).toContain("not published");
  });
});
