/**
 * One request's page in a real browser against the built console and the sandbox. Expected values are read
 * from the sandbox through the SDK (X-Ray documents, REPORT lines), never hard-coded: the console and the
 * sandbox are independent implementations checked against each other.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  pickCanaryException,
  pickClients,
  pickColdStart,
  pickPlantedMalformedTrace,
} from "@/test/support/planted-picks";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

let session: BrowserSession;
let aws: ReturnType<typeof pickClients>;

beforeAll(async () => {
  session = await connectBrowser();
  aws = pickClients(inject("sandboxUrl"));
});

afterAll(async () => {
  aws?.destroy();
  await session?.close();
});

describe("Request page", () => {
  it("opens a cold start by its request id: Initialization lasts the REPORT line's Init Duration, with its logs", async () => {
    const picked = await pickColdStart(aws, Date.now());
    expect(picked).toBeDefined();
    const { traceId, requestId, initDuration, report } = picked!;

    const page = await session.open(
      `/requests/${requestId}?region=us-east-1&fn=notify-sms&at=${report.timestamp}`,
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
    expect(lines.at(-1)).toBe(report.message!.replace(/\s+$/, ""));
    expect(await page.getByTestId("request-cost").textContent()).toMatch(/cost \d+ AWS requests/);
  });

  it("opens a failed canary request (payments-api v8) and shows its exception", async () => {
    const target = await pickCanaryException(aws.xray, Date.now());
    expect(target).toBeDefined();

    const page = await session.open(`/traces/${target!.traceId}?region=us-east-1`);
    const exception = page.getByTestId("exception").first();
    await exception.waitFor();
    const text = (await exception.textContent()) ?? "";
    expect(text).toContain(target!.type);
    expect(text).toContain(target!.message);
    expect(await page.getByTestId("served-version").textContent()).toBe("8");
    expect(await page.locator('[role="treeitem"][data-status="fault"]').count()).toBeGreaterThan(0);
  });

  it("shows what it could read of the planted malformed trace and says what it could not", async () => {
    // Picked by what it is (its function document is cut off), whatever else is partial in that minute.
    const traceId = await pickPlantedMalformedTrace(aws.xray, Date.now());
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

    // An account the console does not read: a 404 that names the account, not the (valid) id.
    const elsewhere = await session.open(
      `/requests/00000000-0000-4000-8000-000000000000?account=999999999999&region=us-east-1`,
    );
    await elsewhere.getByRole("heading", { name: "Request not found" }).waitFor();
    expect(await elsewhere.getByTestId("lookup-message").textContent()).toContain(
      "Account 999999999999 is not one Fleetscope reads",
    );
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
    // The link names the account the trace was listed in (one account here: the sandbox's).
    const href = (await rows.first().getByRole("link").getAttribute("href")) ?? "";
    const account = new URL(href, "http://console").searchParams.get("account");
    expect(account).toMatch(/^\d{12}$/);
    await rows.first().getByRole("link").click();
    await page.getByTestId("trace-waterfall").waitFor();
    expect(await page.getByTestId("request-account").textContent()).toContain(account!);
    // Its function page link carries that account too.
    const fnHref = await page.getByRole("link", { name: "Function page" }).getAttribute("href");
    expect(new URL(fnHref!, "http://console").searchParams.get("account")).toBe(account);
  });
});
