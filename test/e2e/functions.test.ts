/**
 * The Functions pages in a real browser against the built console and the sandbox. Expected values are read
 * from the sandbox through the SDK (as any AWS client would), never hard-coded.
 */
import {
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  LambdaClient,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Locator } from "playwright-core";
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

// The page shows a weight exact to 0.01 %, trailing zeros trimmed (50%, 12.5%).
const pct = (weight: number) => `${Number((weight * 100).toFixed(2))}%`;

describe("Functions", () => {
  it("finds user-profile by search, opens it, and shows its aliases as the sandbox reports them", async () => {
    const page = await session.open("/functions");
    const table = page.getByRole("table", { name: "Functions" });
    await table.waitFor();
    // Virtualized: thousands of functions never put more than a screenful of rows in the DOM.
    expect(await page.locator('[role="row"]').count()).toBeLessThan(200);

    await page.getByLabel("Search functions by name, runtime or account").fill("user-profile");
    const link = page.getByRole("link", { name: "user-profile", exact: true });
    await link.waitFor();
    await page.waitForURL(/[?&]q=user-profile/);
    await link.click();
    await page.waitForURL(/\/functions\/us-east-1\/user-profile/);
    await page.getByRole("heading", { name: "user-profile" }).waitFor();

    const raw = await lambda.send(new ListAliasesCommand({ FunctionName: "user-profile" }));
    const aliases = raw.Aliases ?? [];
    expect(aliases.length).toBeGreaterThan(0);
    // user-profile is planted mid-shift on `beta` and no other browser test changes it.
    const beta = aliases.find((a) => a.Name === "beta");
    expect(Object.keys(beta?.RoutingConfig?.AdditionalVersionWeights ?? {})).toHaveLength(1);

    for (const alias of aliases) {
      const row = page.locator(`tr[data-alias="${alias.Name}"]`);
      const routing = (await row.getByTestId("alias-routing").textContent()) ?? "";
      const [extraVersion, extraWeight] =
        Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {})[0] ?? [];
      const expected =
        extraVersion !== undefined && extraWeight !== undefined
          ? `v${alias.FunctionVersion} ${pct(1 - extraWeight)} / v${extraVersion} ${pct(extraWeight)}`
          : `v${alias.FunctionVersion} ${pct(1)}`;
      expect(routing.replace(/\s+/g, " ").trim()).toBe(expected);
    }
  });

  it("measures report-generator's p99 against its 30 s timeout and draws the timeout on its duration chart", async () => {
    const cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "report-generator" }));
    const timeoutMs = (cfg.Timeout ?? NaN) * 1000;
    const path = "/functions/us-east-1/report-generator";
    let page = await session.open(path);
    let p99 = page.locator('[data-testid="limit-row"][data-limit="timeout-p99"]');
    await p99.waitFor({ timeout: 120_000 });
    // Reloaded until the collector has read REPORT lines of the page's range ("unavailable: …" before them).
    for (let i = 0; i < 40 && (await p99.getAttribute("data-status")) !== "measured"; i++) {
      await page.waitForTimeout(3_000);
      page = await session.open(path);
      p99 = page.locator('[data-testid="limit-row"][data-limit="timeout-p99"]');
      await p99.waitFor({ timeout: 120_000 });
    }
    expect(await p99.getAttribute("data-status")).toBe("measured");
    expect(Number(await p99.getAttribute("data-limit-value"))).toBe(timeoutMs);
    const used = Number(await p99.getAttribute("data-used"));
    const squash = async (l: Locator) => ((await l.textContent()) ?? "").replace(/\s+/g, " ").trim();
    expect(await squash(p99)).toContain("Duration p99 vs configured timeout");
    expect(await squash(p99.getByTestId("limit-value"))).toMatch(
      new RegExp(`^[\\d.]+ s / ${cfg.Timeout} s ${Math.round((used / timeoutMs) * 100)}%$`),
    );
    // Planted near its timeout: no longer a few percent of the 900 s maximum, which shows as a setting.
    expect(used / timeoutMs).toBeGreaterThan(0.8);
    const setting = page.locator('[data-testid="limit-row"][data-limit="timeout-setting"]');
    expect(await squash(setting)).toContain("Timeout setting of 900 s maximum");
    expect(await squash(setting.getByTestId("limit-value"))).toBe(`${cfg.Timeout} s of 900 s`);

    const line = page
      .locator('section[aria-labelledby="fn-chart-duration-title"]')
      .getByTestId("reference-line");
    await line.waitFor({ state: "attached" });
    expect(await line.getAttribute("data-label")).toBe(`timeout ${cfg.Timeout} s`);
    expect(Number(await line.getAttribute("data-value"))).toBe(timeoutMs);
  });

  it("shows each function's triggers and async delivery as the sandbox reports them", async () => {
    const mappingOf = async (name: string) => {
      const r = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: name }));
      expect(r.EventSourceMappings).toHaveLength(1);
      return r.EventSourceMappings?.[0];
    };
    const triggersOf = async (name: string) => {
      const page = await session.open(`/functions/us-east-1/${name}`);
      const panel = page.getByTestId("triggers-panel");
      await panel.waitFor({ timeout: 60_000 });
      return panel;
    };
    const squash = async (l: Locator) => ((await l.textContent()) ?? "").replace(/\s+/g, " ").trim();

    // A Kinesis consumer: the stream named from its ARN, the batch size AWS reports.
    const kinesis = await mappingOf("clickstream-consumer");
    expect(kinesis?.BatchSize).toBe(100);
    let panel = await triggersOf("clickstream-consumer");
    const stream = panel.locator(`[data-testid="trigger-mapping"][data-uuid="${kinesis?.UUID}"]`);
    expect(await stream.getAttribute("data-kind")).toBe("kinesis");
    expect(await squash(stream.getByTestId("mapping-source"))).toBe(kinesis?.EventSourceArn?.split("/")[1]);
    expect(await squash(stream.getByTestId("mapping-batch"))).toBe(String(kinesis?.BatchSize));

    // S3 pushes to thumbnail-async, whose async events have nowhere to go when they fail.
    const policy = JSON.parse(
      (await lambda.send(new GetPolicyCommand({ FunctionName: "thumbnail-async" }))).Policy ?? "{}",
    ) as {
      Statement: { Principal: { Service: string }; Condition: { ArnLike: { "AWS:SourceArn": string } } }[];
    };
    const s3 = policy.Statement.find((st) => st.Principal.Service === "s3.amazonaws.com");
    expect(s3).toBeDefined();
    panel = await triggersOf("thumbnail-async");
    const push = panel.locator('[data-testid="push-source"][data-kind="s3"]');
    expect(await squash(push)).toBe(`s3.amazonaws.com ${s3?.Condition.ArnLike["AWS:SourceArn"]}`);
    const unguarded = panel.locator('[data-testid="trigger-warning"][data-code="async-events-unguarded"]');
    expect(await squash(unguarded)).toMatch(/no on-failure destination and no dead-letter queue/);

    // legacy-sync's queue mapping is disabled, with the reason AWS gives.
    const disabled = await mappingOf("legacy-sync");
    expect(disabled?.State).toBe("Disabled");
    panel = await triggersOf("legacy-sync");
    const row = panel.locator(`[data-testid="trigger-mapping"][data-uuid="${disabled?.UUID}"]`);
    expect(await row.getAttribute("data-state")).toBe("Disabled");
    expect(await squash(row.getByTestId("mapping-state"))).toBe(
      `Disabled (${disabled?.StateTransitionReason})`,
    );
    const warning = panel.locator('[data-testid="trigger-warning"][data-code="mapping-disabled"]');
    expect(await squash(warning)).toContain(`is disabled (${disabled?.StateTransitionReason})`);
    // Every part answered: none says "unavailable".
    expect(await panel.getByTestId("trigger-part-unavailable").count()).toBe(0);
  });

  it("sorts by a column and keeps the sort in the URL", async () => {
    const page = await session.open("/functions?sort=memory&dir=desc");
    await page.getByRole("table", { name: "Functions" }).waitFor();
    const header = page.getByRole("columnheader", { name: /Memory/ });
    expect(await header.getAttribute("aria-sort")).toBe("descending");
    await header.getByRole("button").click();
    // Ascending is the default direction, so the URL drops `dir` and keeps the column.
    await page.waitForURL((url) => url.searchParams.get("sort") === "memory" && !url.searchParams.has("dir"));
    expect(await header.getAttribute("aria-sort")).toBe("ascending");
    const memory = await page.locator('[role="row"] [role="cell"]:nth-child(5)').allTextContents();
    const mbs = memory.map((t) => Number(t.replace(/[^\d]/g, "")));
    expect(mbs.length).toBeGreaterThan(2);
    expect(mbs).toEqual([...mbs].sort((a, b) => a - b));
  });

  it("moves between rows with the arrow keys and opens a function with Enter", async () => {
    const page = await session.open("/functions");
    const rows = page.getByRole("table", { name: "Functions" }).locator('[role="row"][data-function]');
    await rows.nth(1).waitFor();
    const second = {
      fn: await rows.nth(1).getAttribute("data-function"),
      region: await rows.nth(1).getAttribute("data-region"),
      account: await rows.nth(1).getAttribute("data-account"),
    };
    // The body is one Tab stop: the first row.
    expect(await rows.first().getAttribute("tabindex")).toBe("0");
    expect(await rows.nth(1).getAttribute("tabindex")).toBe("-1");
    await rows.first().focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-function"))).toBe(second.fn);
    await page.keyboard.press("Enter");
    await page.waitForURL(
      (url) => url.pathname === `/functions/${second.region}/${encodeURIComponent(second.fn ?? "")}`,
    );
    // The link names the function's account too (the sandbox's one account).
    expect(second.account).toMatch(/^\d{12}$/);
    expect(new URL(page.url()).searchParams.get("account")).toBe(second.account);
    await page.getByRole("heading", { name: second.fn ?? "" }).waitFor();
  });

  it("says which region was searched for an unknown function", async () => {
    const page = await session.open("/functions/eu-west-1/no-such-function");
    await page.getByRole("heading", { name: "Function not found" }).waitFor();
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("no-such-function");
    expect(text).toContain("eu-west-1");
  });

  it("explains a malformed region and name instead of calling AWS", async () => {
    const page = await session.open("/functions/not-a-region/bad%20name!");
    await page.getByRole("heading", { name: "This function address is malformed" }).waitFor();
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain('"not-a-region" is not an AWS region name');
    expect(text).toContain('"bad name!" is not a Lambda function name');
  });

  it("says which asked region is not configured instead of dropping it silently", async () => {
    const page = await session.open("/functions?regions=eu-west-1,mars-1");
    // Said once, by the region selector (lib/url/shell's problem), not in the nav or the page.
    const alert = page.getByTestId("region-selector").getByRole("status");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("mars-1");
    expect(await alert.textContent()).toContain("Showing eu-west-1.");
  });
});
