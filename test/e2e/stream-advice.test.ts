/**
 * Issue 13's "done when" for the stream function, in a real browser against the built console and the sandbox:
 * clickstream-consumer's page shows its event source and the Advisor's stream-falling-behind flag with its
 * evidence (the iterator age's growth per hour, how long it has grown, the mapping's batch size and
 * parallelization factor). The Advisor runs from the collector's store: its page is reloaded until the collector
 * has read the hours the trend needs; the function page then shows what that run found (it never starts one).
 * Expected values are read from the sandbox through the SDK, as any AWS client would: the mapping
 * (ListEventSourceMappings) and IteratorAge's hourly maxima (GetMetricData), whose growth is computed with the
 * same core judgement the Advisor and /sources use (lib/core/triggers/lag.ts) — never the planted constants.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { LambdaClient, ListEventSourceMappingsCommand } from "@aws-sdk/client-lambda";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "@/lib/core/advisor";
import { closeOpenHour, judgeLag, type GrowthRun } from "@/lib/core/triggers/lag";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

let session: BrowserSession;
let lambda: LambdaClient;
let cloudwatch: CloudWatchClient;

beforeAll(async () => {
  session = await connectBrowser();
  // The Advisor page streams until the whole fleet is collected: allow the sandbox its time.
  session.context.setDefaultNavigationTimeout(400_000);
  session.context.setDefaultTimeout(120_000);
  const client = {
    region: "us-east-1",
    endpoint: inject("sandboxUrl"),
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  lambda = new LambdaClient(client);
  cloudwatch = new CloudWatchClient(client);
});

afterAll(async () => {
  lambda?.destroy();
  cloudwatch?.destroy();
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

const HOUR = 3_600_000;
const MIN = 60_000;

/** The last day's IteratorAge hourly maxima as CloudWatch reports them, and the run the core judgement finds. */
async function lagFromCloudWatch(): Promise<{ run: GrowthRun | null; latestMs: number }> {
  const end = Date.now();
  const out = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(Math.floor(end / HOUR) * HOUR - 24 * HOUR),
      EndTime: new Date(end),
      ScanBy: "TimestampAscending",
      MetricDataQueries: [
        {
          Id: "age",
          MetricStat: {
            Metric: {
              Namespace: "AWS/Lambda",
              MetricName: "IteratorAge",
              Dimensions: [{ Name: "FunctionName", Value: "clickstream-consumer" }],
            },
            Period: 3600,
            Stat: "Maximum",
          },
        },
      ],
    }),
  );
  const r = out.MetricDataResults?.[0];
  const points = (r?.Timestamps ?? []).map((t, i) => ({ t: t.getTime(), maxMs: r!.Values![i]! }));
  // The current hour is open: read it, like the Advisor, as the hour ending now.
  const { run, latest } = judgeLag(closeOpenHour(points, end), DEFAULT_THRESHOLDS.streamLag);
  return { run, latestMs: latest?.maxMs ?? 0 };
}

/** "48m 0s" → ms; "4h 47m" → ms. */
const durationMs = (text: string): number => {
  const [, a, ua, b] = /(\d+)([hm]) (\d+)[ms]/.exec(text) ?? [];
  return ua === "h" ? Number(a) * HOUR + Number(b) * MIN : Number(a) * MIN + Number(b) * 1000;
};

describe("the stream function's advice", () => {
  it("shows clickstream-consumer's event source and the Advisor's falling-behind flag with its evidence", async () => {
    const listed = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: "clickstream-consumer" }),
    );
    const mapping = listed.EventSourceMappings?.[0];
    expect(mapping?.BatchSize).toBeGreaterThan(0);
    expect(mapping?.ParallelizationFactor).toBeGreaterThan(0);

    const advisor = await advisorWithStreamFlag();
    const card = advisor.locator(CARD);
    await card.waitFor();
    const cardText = squash(await card.textContent());
    // What CloudWatch reports now, judged by the same core function: the stream is falling behind there too.
    const lag = await lagFromCloudWatch();
    expect(lag.run, "CloudWatch's hourly maxima show no falling-behind run").not.toBeNull();
    const expectedGrowth = lag.run!.slopeMsPerHour;
    const title = /falling behind: iterator age rising (\d+m \d+s)\/hour/.exec(cardText);
    expect(title, cardText).not.toBeNull();
    // The Advisor judged the collector's copy of those maxima a little earlier (its run may start an hour
    // apart): the same growth within 2 minutes an hour.
    expect(Math.abs(durationMs(title![1]!) - expectedGrowth)).toBeLessThanOrEqual(2 * MIN);
    const factor = mapping!.ParallelizationFactor!;
    const raise = new RegExp(`ParallelizationFactor from ${factor} to (\\d+)`).exec(cardText);
    expect(raise, cardText).not.toBeNull();
    expect(Number(raise![1])).toBeGreaterThan(factor);
    expect(Number(raise![1])).toBeLessThanOrEqual(10);

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
    const growth = /iterator age growth \+(\d+m \d+s)\/hour/.exec(evidence);
    expect(growth, evidence).not.toBeNull();
    expect(Math.abs(durationMs(growth![1]!) - expectedGrowth)).toBeLessThanOrEqual(2 * MIN);
    const growing = /growing for (\d+(?:\.\d)?) h/.exec(evidence);
    expect(Number(growing?.[1])).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.streamLag.minHours);
    // The Advisor's newest hour is at most CloudWatch's newest (read after it), and not an hour older.
    const now = /iterator age now (\d+h \d+m)/.exec(evidence);
    expect(now, evidence).not.toBeNull();
    expect(durationMs(now![1]!)).toBeLessThanOrEqual(lag.latestMs + 2 * MIN);
    expect(durationMs(now![1]!)).toBeGreaterThanOrEqual(lag.latestMs - HOUR);
    expect(evidence).toContain(`batch size ${mapping?.BatchSize}`);
    expect(evidence).toContain(`parallelization factor ${mapping?.ParallelizationFactor}`);
  }, 900_000);
});
