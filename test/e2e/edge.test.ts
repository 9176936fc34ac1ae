/**
 * Lambda@Edge on the function page (issue 13, "the Edge function shows its invocations per region and its
 * logs"), in a real browser against the built console and the sandbox: edge-rewriter's panel lists its replicas'
 * invocations and errors per region, equal to what GetMetricData (the SDK, FunctionName us-east-1.edge-rewriter,
 * in each region) returns for the panel's own window, including ap-northeast-1, a region the console does not
 * host as a fleet region; its replicas' log lines are on the page; the replicated version is named and the
 * distribution is said to be unknown (Lambda's API does not name it); and a function that is not an Edge
 * function has no Edge panel.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const REPLICA = "us-east-1.edge-rewriter";
const REPLICA_REGIONS = ["us-east-1", "eu-west-1", "ap-northeast-1"];

let session: BrowserSession;

beforeAll(async () => {
  session = await connectBrowser();
  session.context.setDefaultNavigationTimeout(120_000);
  session.context.setDefaultTimeout(60_000);
});

afterAll(async () => {
  await session?.close();
});

/** Invocations and Errors of the replica in `region` over [start, end), one period, as the SDK reads them. */
async function sandboxSums(region: string, start: number, end: number) {
  const cw = new CloudWatchClient({ region, endpoint: inject("sandboxUrl"), credentials });
  try {
    const query = (id: string, metricName: string) => ({
      Id: id,
      MetricStat: {
        Metric: {
          Namespace: "AWS/Lambda",
          MetricName: metricName,
          Dimensions: [{ Name: "FunctionName", Value: REPLICA }],
        },
        Period: (end - start) / 1000,
        Stat: "Sum",
      },
    });
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(start),
        EndTime: new Date(end),
        MetricDataQueries: [query("inv", "Invocations"), query("err", "Errors")],
      }),
    );
    const sum = (id: string) =>
      (out.MetricDataResults?.find((r) => r.Id === id)?.Values ?? []).reduce((a, b) => a + b, 0);
    return { invocations: sum("inv"), errors: sum("err") };
  } finally {
    cw.destroy();
  }
}

const count = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));

describe("the Lambda@Edge panel", () => {
  it("shows edge-rewriter's invocations per region, as CloudWatch reports them there, and its log lines", async () => {
    const page = await session.open("/functions/us-east-1/edge-rewriter?range=1h");
    const panel = page.getByTestId("edge-panel");
    await panel.waitFor();
    expect(await panel.getByRole("heading", { name: "Lambda@Edge replicas" }).count()).toBe(1);

    const windowEl = panel.getByTestId("edge-window");
    const start = Number(await windowEl.getAttribute("data-start"));
    const end = Number(await windowEl.getAttribute("data-end"));
    // The page's range (1 h), in whole minutes.
    expect(Math.abs(end - start - 3_600_000)).toBeLessThanOrEqual(120_000);
    expect(start % 60_000).toBe(0);
    // What Lambda's API says (the replicator's statement on version 3) and what it cannot (the distribution and
    // the trigger type: CloudFront's API, not called), never an invented distribution.
    expect(await panel.getByTestId("edge-replicated").textContent()).toMatch(/replicated version 3\b/);
    expect(await panel.getByTestId("edge-unknown").textContent()).toMatch(/not known from Lambda's API/);
    expect(await panel.textContent()).not.toMatch(/arn:aws:cloudfront|distribution\/E/);
    // The regions searched are said: the configured ones first, then CloudFront's edge cache regions.
    const searched = (await panel.getByTestId("edge-searched").textContent()) ?? "";
    expect(searched.split(", ").slice(0, 2)).toEqual(["us-east-1", "eu-west-1"]);
    expect(searched).toContain("ap-northeast-1");

    for (const region of REPLICA_REGIONS) {
      const row = panel.locator(`[data-testid="edge-region"][data-region="${region}"]`);
      expect(await row.count(), region).toBe(1);
      const shown = {
        invocations: count(await row.getByTestId("edge-invocations").textContent()),
        errors: count(await row.getByTestId("edge-errors").textContent()),
      };
      const truth = await sandboxSums(region, start, end);
      expect(truth.invocations, region).toBeGreaterThan(0);
      expect(shown, region).toEqual(truth);
    }
    // Errors where the sandbox planted them (eu-west-1), none elsewhere.
    const errorsIn = async (region: string) =>
      count(
        await panel
          .locator(`[data-testid="edge-region"][data-region="${region}"]`)
          .getByTestId("edge-errors")
          .textContent(),
      );
    expect(await errorsIn("eu-west-1")).toBeGreaterThan(0);
    expect(await errorsIn("ap-northeast-1")).toBe(0);
    // A searched region with no replica is not a row of zeros: it is named as having no replica traffic, or
    // as not readable with these credentials (the sandbox account lacks most edge cache regions).
    expect(await panel.locator('[data-testid="edge-region"][data-region="us-west-2"]').count()).toBe(0);
    const textOf = async (id: string) => {
      const el = panel.getByTestId(id);
      return (await el.count()) > 0 ? ((await el.textContent()) ?? "") : "";
    };
    const elsewhere = (await textOf("edge-quiet-regions")) + (await textOf("edge-unreachable-regions"));
    expect(elsewhere).toContain("us-west-2");

    // The replicas' own log lines, per region, as text.
    for (const region of REPLICA_REGIONS) {
      const logs = panel.locator(`[data-testid="edge-logs"][data-region="${region}"]`);
      expect(await logs.count(), region).toBe(1);
      const text = (await logs.locator("pre").textContent()) ?? "";
      expect(text, region).toMatch(/REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms/);
      expect(text, region).toMatch(/START RequestId: [0-9a-f-]{36} Version: 3/);
    }
    // Within the viewer-trigger limits: nothing to flag.
    expect(await panel.getByTestId("edge-limits-ok").count()).toBe(1);
    await page.close();
  });

  it("is absent from a function that is not an Edge function", async () => {
    const page = await session.open("/functions/us-east-1/orders-api?range=1h");
    await page.getByTestId("triggers-panel").waitFor();
    await page.waitForLoadState("load");
    expect(await page.getByTestId("edge-panel").count()).toBe(0);
    expect(await page.getByText("Lambda@Edge replicas").count()).toBe(0);
    await page.close();
  });
});
