/**
 * One request's page in a real browser against the built console and the sandbox. Expected values are read
 * from the sandbox through the SDK (X-Ray documents, REPORT lines), never hard-coded: the console and the
 * sandbox are independent implementations checked against each other.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient } from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

let session: BrowserSession;
let xray: XRayClient;
let logs: CloudWatchLogsClient;
const HOUR = 3_600_000;

beforeAll(async () => {
  session = await connectBrowser();
  const config = {
    region: "us-east-1",
    endpoint: inject("sandboxUrl"),
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  xray = new XRayClient(config);
  logs = new CloudWatchLogsClient(config);
});

afterAll(async () => {
  xray?.destroy();
  logs?.destroy();
  await session?.close();
});

async function traceIds(filter: string, from: number, to: number): Promise<string[]> {
  const r = await xray.send(
    new GetTraceSummariesCommand({
      StartTime: new Date(from),
      EndTime: new Date(to),
      FilterExpression: filter,
    }),
  );
  return (r.TraceSummaries ?? []).flatMap((s) => (s.Id ? [s.Id] : []));
}

describe("Request page", () => {
  it("opens a cold start by its request id: Initialization lasts the REPORT line's Init Duration, with its logs", async () => {
    const now = Date.now();
    const [traceId] = await traceIds(
      'service("notify-sms") AND annotation.coldStart = true',
      now - 6 * HOUR,
      now,
    );
    expect(traceId).toBeDefined();
    // The REPORT line carries the trace id: that is how the sandbox ties logs to traces.
    const found = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: "/aws/lambda/notify-sms",
        startTime: now - 6 * HOUR,
        endTime: now,
        filterPattern: `"${traceId}"`,
      }),
    );
    const report = (found.events ?? []).find((e) => e.message?.startsWith("REPORT"));
    const requestId = /RequestId: (\S+)/.exec(report?.message ?? "")?.[1];
    const initDuration = /Init Duration: ([\d.]+) ms/.exec(report?.message ?? "")?.[1];
    expect(requestId).toBeDefined();
    expect(initDuration).toBeDefined();

    const page = await session.open(
      `/requests/${requestId}?region=us-east-1&fn=notify-sms&at=${report!.timestamp}`,
    );
    await page.getByTestId("trace-waterfall").waitFor();
    const init = page.locator('[role="treeitem"][data-phase="Initialization"]');
    await init.waitFor();
    expect(await init.getByTestId("span-duration").textContent()).toBe(`${initDuration} ms`);
    expect(await page.getByTestId("init-duration").textContent()).toBe(`${initDuration} ms`);
    expect(await page.getByTestId("cold-start-verdict").textContent()).toBe("Cold start");
    expect(await page.getByTestId("trace-id").textContent()).toBe(traceId);

    const lines = await page.getByTestId("log-text").allTextContents();
    expect(lines[0]).toMatch(/^INIT_START/);
    expect(lines.some((l) => l.startsWith(`START RequestId: ${requestId}`))).toBe(true);
    expect(lines.at(-1)).toBe(report!.message!.replace(/\s+$/, ""));
    expect(await page.getByTestId("request-cost").textContent()).toMatch(/cost \d+ AWS requests/);
  });

  it("opens a failed canary request (payments-api v8) and shows its exception", async () => {
    const now = Date.now();
    const ids = await traceIds(
      'service("payments-api") AND fault AND annotation.version = "8"',
      now - HOUR,
      now,
    );
    expect(ids.length).toBeGreaterThan(0);
    const traces = await xray.send(new BatchGetTracesCommand({ TraceIds: ids.slice(0, 5) }));
    // Pick one whose function document is readable (1 in 500 is deliberately malformed).
    const withException = (traces.Traces ?? []).flatMap((t) =>
      (t.Segments ?? []).flatMap((s) => {
        try {
          const doc = JSON.parse(s.Document ?? "") as {
            cause?: { exceptions?: { type: string; message: string }[] };
          };
          const e = doc.cause?.exceptions?.[0];
          return e ? [{ id: t.Id!, type: e.type, message: e.message }] : [];
        } catch {
          return [];
        }
      }),
    );
    const target = withException[0];
    expect(target).toBeDefined();

    const page = await session.open(`/traces/${target!.id}?region=us-east-1`);
    const exception = page.getByTestId("exception").first();
    await exception.waitFor();
    const text = (await exception.textContent()) ?? "";
    expect(text).toContain(target!.type);
    expect(text).toContain(target!.message);
    expect(await page.getByTestId("served-version").textContent()).toBe("8");
    expect(await page.locator('[role="treeitem"][data-status="fault"]').count()).toBeGreaterThan(0);
  });

  it("shows what it could read of the planted malformed trace and says what it could not", async () => {
    const hour = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
    const [traceId] = await traceIds('service("payments-api") AND partial', hour, hour + 60_000);
    expect(traceId).toBeDefined();
    const page = await session.open(`/traces/${traceId}?region=us-east-1`);
    const problems = page.getByTestId("trace-problems");
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/could not be read.*not valid JSON/s);
    // The Lambda service segment survived and is drawn.
    await page.locator('[role="treeitem"][data-span-name="payments-api"]').first().waitFor();
    expect(await page.locator('[role="treeitem"][data-phase]').count()).toBe(0);
  });

  it("an unknown request id says where it looked; a malformed id says what is wrong", async () => {
    const page = await session.open(
      `/requests/00000000-0000-4000-8000-000000000000?region=us-east-1&fn=orders-api`,
    );
    await page.getByRole("heading", { name: "Request not found" }).waitFor();
    const message = (await page.getByTestId("lookup-message").textContent()) ?? "";
    expect(message).toContain("/aws/lambda/orders-api");
    expect(message).toContain("us-east-1");

    const bad = await session.open(`/traces/not-a-trace`);
    await bad.getByRole("heading", { name: "This is not an X-Ray trace id" }).waitFor();
  });

  it("lists traces with filters and opens one", async () => {
    const page = await session.open(`/traces?region=us-east-1&fn=payments-api&faults=1&range=1h`);
    const table = page.getByRole("table", { name: "Traces" });
    await table.waitFor();
    expect(await page.getByTestId("trace-list-cost").textContent()).toContain(
      'service("payments-api") AND fault',
    );
    const rows = table.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.first().textContent()).toContain("fault");
    await rows.first().getByRole("link").click();
    await page.getByTestId("trace-waterfall").waitFor();
  });
});
