/**
 * Deployment markers and the previous period in a real browser: a console of our own (its own store, so the
 * audit log holds only this file's change) against the global sandbox. What is expected is read from the sandbox
 * with the `aws` CLI (an independent client): the published versions' LastModified and the alias before the
 * change. This console backfills 27 hours, so an hour-long range ending a few minutes ago is collected a day
 * earlier too: the dashed series must then carry the values the same chart shows when opened at that earlier
 * range. A week earlier is never collected: no line, and the note says so.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { awsCliJson, cliGetAlias } from "@fleetscope/sandbox/testing/awscli";
import { connectBrowser, type BrowserSession } from "./support/browser";
import { openConsoleSession, startOwnConsole, type OwnConsole } from "./support/own-console";
import "./support/provided";

const SECRET = "e2e-markers-secret-0123456789abcdef";
const REGION = "us-east-1";
let own: OwnConsole;
let session: BrowserSession;
const sandbox = () => inject("sandboxUrl");

/** Lambda writes `2024-05-01T12:00:00.000+0000`; Date.parse wants `+00:00`. */
const lambdaTime = (s: string) => Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));

interface CliVersion {
  Version: string;
  LastModified: string;
}

const publishedVersions = async (fn: string) =>
  (
    await awsCliJson<{ Versions: CliVersion[] }>(sandbox(), [
      "lambda",
      "list-versions-by-function",
      "--function-name",
      fn,
    ])
  ).Versions.filter((v) => v.Version !== "$LATEST");

/**
 * Reloads `path` until `check` holds: this console's collector has just started (it lists the function, then
 * backfills), and a range ends at its last whole minute (a change is inside once that minute has closed).
 */
async function openUntil(path: string, check: (page: Page) => Promise<boolean>, ms = 240_000): Promise<Page> {
  const deadline = Date.now() + ms;
  for (;;) {
    const page = await session.open(path);
    await page.getByTestId("metrics-section").first().waitFor({ state: "attached", timeout: 120_000 });
    if (await check(page)) return page;
    if (Date.now() > deadline) throw new Error(`timed out waiting on ${path}`);
    await page.close();
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

/** A chart's panel, by the id its heading carries (components/ui/panel.tsx). */
const panel = (page: Page, id: string) => page.locator(`section[aria-labelledby="${id}-title"]`);

const markersOf = (page: Page, kind: string) =>
  panel(page, "fn-chart-invocations").locator(`[data-testid="deploy-marker"][data-kind="${kind}"]`);

let fn = "";
let changedAt = { from: 0, to: 0 };
let target = { primary: "", additional: "" };

beforeAll(async () => {
  own = await startOwnConsole({
    endpoint: sandbox(),
    name: "chart-markers",
    env: {
      FLEETSCOPE_SESSION_SECRET: SECRET,
      FLEETSCOPE_COLLECTOR_LAMBDA_RPS: "10",
      // A day before an hour-long range ending 3 minutes ago reaches back 25 h 3 min: collect past it.
      FLEETSCOPE_COLLECTOR_BACKFILL_HOURS: "27",
    },
  });
  session = await connectBrowser(own.url);
  const operator = await openConsoleSession(own.dir, SECRET, {
    id: "e2e-markers",
    name: "markers@example.com",
    role: "operator",
    via: "oidc",
  });
  // A function whose `live` alias takes a weight: the first that accepts one (orders-api is traffic.test's).
  const { Functions } = await awsCliJson<{ Functions: { FunctionName: string }[] }>(sandbox(), [
    "lambda",
    "list-functions",
  ]);
  for (const { FunctionName: name } of Functions) {
    if (name === "orders-api") continue;
    const alias = await cliGetAlias(sandbox(), name, "live").catch(() => null);
    if (!alias || alias.RoutingConfig?.AdditionalVersionWeights) continue;
    const versions = (await publishedVersions(name)).map((v) => v.Version);
    const additional = versions.find((v) => v !== alias.FunctionVersion);
    if (!additional) continue;
    const from = Date.now();
    const res = await fetch(`${own.url}/api/traffic/shift`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: own.url,
        cookie: `fleetscope_session=${operator}`,
      },
      body: JSON.stringify({
        region: REGION,
        functionName: name,
        alias: "live",
        primaryVersion: alias.FunctionVersion,
        additionalVersion: additional,
        weightPercent: 10,
        revisionId: alias.RevisionId,
        reason: "e2e chart markers",
      }),
    });
    if (!res.ok) continue;
    fn = name;
    changedAt = { from, to: Date.now() };
    target = { primary: alias.FunctionVersion, additional };
    break;
  }
  if (!fn) throw new Error("no sandbox function took a weight on its live alias");
}, 300_000);

afterAll(async () => {
  await session?.close();
  await own?.close();
});

describe("deployment markers on the function page", { timeout: 300_000 }, () => {
  it("draws the alias weight changed through the console at the time it was changed", async () => {
    const page = await openUntil(
      `/functions/${REGION}/${fn}`,
      async (p) => (await markersOf(p, "alias").count()) > 0,
    );
    const marker = markersOf(page, "alias").first();
    const t = Number(await marker.getAttribute("data-t"));
    expect(t).toBeGreaterThanOrEqual(changedAt.from - 1000);
    expect(t).toBeLessThanOrEqual(changedAt.to + 1000);
    expect(await marker.locator("title").textContent()).toContain(`live → v${target.additional} 10%`);
    // Every chart of the function carries it, not only the first.
    expect(await page.locator('[data-testid="deploy-marker"][data-kind="alias"]').count()).toBeGreaterThan(1);
  });

  it("draws the published versions the store holds, at their LastModified", async () => {
    const page = await openUntil(
      `/functions/${REGION}/${fn}?range=30d`,
      async (p) => (await markersOf(p, "version").count()) > 0,
    );
    const range = page.getByTestId("range").first();
    const start = Number(await range.getAttribute("data-start"));
    const end = Number(await range.getAttribute("data-end"));
    const expected = (await publishedVersions(fn))
      .map((v) => lambdaTime(v.LastModified))
      .filter((t) => t >= start && t < end)
      .sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(0);
    const shown = await markersOf(page, "version").evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute("data-t"))),
    );
    expect([...new Set(shown)].sort((a, b) => a - b)).toEqual([...new Set(expected)]);
  });
});

const DAY = 86_400_000;
const MIN = 60_000;

/** An hour-long range ending 3 whole minutes ago, `daysBack` days earlier, as the URL's absolute range. */
function hourRange(end: number, daysBack = 0): string {
  const to = end - daysBack * DAY;
  return `from=${new Date(to - 60 * MIN).toISOString()}&to=${new Date(to).toISOString()}`;
}

/** The `d` of each dashed (earlier-period) line of a chart. */
const dashedPaths = (chart: ReturnType<typeof panel>) =>
  chart
    .locator('path[stroke-dasharray="3 2"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute("d") ?? ""));

/** Hovers the middle of a chart until its readout shows; the slot's time and each series' value by key. */
async function readoutAtMiddle(page: Page, chart: ReturnType<typeof panel>) {
  const surface = chart.getByTestId("chart-surface");
  const readout = chart.getByTestId("chart-readout");
  await surface.scrollIntoViewIfNeeded();
  const box = await surface.boundingBox();
  if (!box) throw new Error("chart surface not laid out");
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await expect
    .poll(
      async () => {
        await page.mouse.move(x - 3, y);
        await page.mouse.move(x, y);
        return readout.count();
      },
      { timeout: 30_000 },
    )
    .toBe(1);
  const values = await readout
    .getByTestId("readout-value")
    .evaluateAll((els) => els.map((e) => [e.getAttribute("data-key") ?? "", e.textContent ?? ""] as const));
  return { t: Number(await readout.getAttribute("data-t")), values: new Map(values) };
}

describe("compare with the previous period", { timeout: 600_000 }, () => {
  const end = Math.floor(Date.now() / MIN) * MIN - 3 * MIN;
  // Whole: every minute of the earlier hour's metrics collected (the backfill runs newest first).
  const collected = /^1 day earlier: (the whole range collected|metrics 100 %)/;

  it("draws a day earlier dashed, with the values the chart shows at that earlier range", async () => {
    const path = `/functions/${REGION}/${fn}?${hourRange(end)}&compare=1d`;
    const page = await openUntil(
      path,
      async (p) => collected.test((await p.getByTestId("compare-note").first().textContent()) ?? ""),
      480_000,
    );
    const chart = panel(page, "fn-chart-invocations");
    expect(await chart.getByText("Invocations (1 day earlier)").count()).toBe(1);
    // A drawn line, not an empty path that merely carries the dash pattern.
    const dashed = await dashedPaths(chart);
    expect(dashed.length).toBeGreaterThan(0);
    for (const d of dashed) expect(d).toMatch(/^M/);

    const now = await readoutAtMiddle(page, chart);
    const keys = [...now.values.keys()];
    const previousKeys = keys.filter((k) => k.endsWith(":previous"));
    expect(previousKeys.length).toBeGreaterThan(0);

    // The same chart opened at the range a day earlier, undashed: the same slot holds the same values.
    const before = await openUntil(`/functions/${REGION}/${fn}?${hourRange(end, 1)}`, async () => true);
    const then = await readoutAtMiddle(before, panel(before, "fn-chart-invocations"));
    expect(then.t).toBe(now.t - DAY);
    for (const k of previousKeys) {
      const shown = now.values.get(k);
      expect(shown).not.toBe("no data"); // collected: a count reads a number, 0 included
      expect(shown).toBe(then.values.get(k.slice(0, -":previous".length)));
    }
    // The control keeps the page's other params and marks the chosen comparison.
    const nav = page.getByRole("navigation", { name: "Compare with an earlier period" });
    expect(await nav.getByRole("link", { name: "1 day earlier" }).getAttribute("aria-current")).toBe("true");
  });

  it("draws the fleet's day earlier as a line too, and no line for a week earlier it never collected", async () => {
    const chart = (p: Page) => panel(p, "chart-invocations");
    const page = await openUntil(`/?${hourRange(end)}&compare=1d`, async (p) =>
      collected.test((await p.getByTestId("compare-note").first().textContent()) ?? ""),
    );
    expect(await chart(page).getByText("Invocations (1 day earlier)").count()).toBe(1);
    const dashed = await dashedPaths(chart(page));
    expect(dashed.length).toBeGreaterThan(0);
    for (const d of dashed) expect(d).toMatch(/^M/);

    const week = await openUntil(`/?${hourRange(end)}&compare=1w`, async (p) =>
      /^1 week earlier: /.test((await p.getByTestId("compare-note").first().textContent()) ?? ""),
    );
    expect(await week.getByTestId("compare-note").first().textContent()).toMatch(
      /^1 week earlier: not collected/,
    );
    for (const d of await dashedPaths(chart(week))) expect(d).toBe("");
  });
});
