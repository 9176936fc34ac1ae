/**
 * The service map in a real browser against the built console and the sandbox. Which edge carries payments-api's
 * failing canary (v8 fails 15 %) is read from the sandbox through the SDK, never hard-coded, and the traces the
 * edge opens are checked against X-Ray's own answer for the same edge filter.
 */
import { GetServiceGraphCommand } from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { pickClients, traceIds } from "@/test/support/planted-picks";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

let session: BrowserSession;
let aws: ReturnType<typeof pickClients>;
const HOUR = 3_600_000;

beforeAll(async () => {
  session = await connectBrowser();
  aws = pickClients(inject("sandboxUrl"));
});

afterAll(async () => {
  aws?.destroy();
  await session?.close();
});

/** The edges into payments-api that carry faults or errors over the last hour, as `<caller>→<callee>` names. */
async function failingEdgesIntoPayments(now: number) {
  const r = await aws.xray.send(
    new GetServiceGraphCommand({ StartTime: new Date(now - HOUR), EndTime: new Date(now) }),
  );
  const services = r.Services ?? [];
  const byRef = new Map(services.map((s) => [s.ReferenceId, s]));
  return services.flatMap((s) =>
    (s.Edges ?? []).flatMap((e) => {
      const to = byRef.get(e.ReferenceId);
      const st = e.SummaryStatistics;
      if (to?.Name !== "payments-api" || !st?.TotalCount) return [];
      const failed = (st.FaultStatistics?.TotalCount ?? 0) + (st.ErrorStatistics?.TotalCount ?? 0);
      if (failed === 0) return [];
      return [
        {
          edge: `${s.Name ?? "client"}→${to.Name}`,
          fromType: s.Type,
          toType: to.Type,
          rate: failed / st.TotalCount,
        },
      ];
    }),
  );
}

describe("Service map", () => {
  it("shows the planted failing edge into payments-api and opens its traces", async () => {
    const expected = (await failingEdgesIntoPayments(Date.now())).find(
      (e) => e.fromType === "AWS::Lambda" && e.toType === "AWS::Lambda::Function",
    );
    expect(expected).toBeDefined();

    const page = await session.open("/map?region=us-east-1&range=1h");
    await page.getByTestId("service-map-svg").waitFor();
    const row = page.locator(`[data-testid="map-edge"][data-edge="${expected!.edge}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-health")).not.toBe("ok");
    const shown = Number.parseFloat((await row.getByTestId("map-edge-failed").textContent()) ?? "") / 100;
    // The sandbox's clock moves between the two reads: the rates agree to within a point.
    expect(Math.abs(shown - expected!.rate)).toBeLessThan(0.01);
    // The same edge is drawn on the map as a link.
    expect(await page.locator(`[data-testid="map-edge-link"][data-edge="${expected!.edge}"]`).count()).toBe(
      1,
    );

    await row.getByTestId("map-edge-traces").click();
    await page.waitForURL(/\/traces\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get("edgeFrom")).toBe("AWS::Lambda|payments-api");
    expect(url.searchParams.get("edgeTo")).toBe("AWS::Lambda::Function|payments-api");
    expect(url.searchParams.get("range")).toBe("1h");
    // The map's account (the default one here) goes with the link: the list is that account's.
    expect(url.searchParams.get("account")).toMatch(/^\d{12}$/);

    const filter =
      'edge(id(name: "payments-api", type: "AWS::Lambda"), id(name: "payments-api", type: "AWS::Lambda::Function"))';
    const cost = page.getByTestId("trace-list-cost");
    await cost.waitFor();
    expect(await cost.textContent()).toContain(filter);

    const listed = await page
      .locator("tr[data-trace-id]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-trace-id") ?? ""));
    expect(listed.length).toBeGreaterThan(0);
    const now = Date.now();
    const ofEdge = new Set(await traceIds(aws.xray, filter, now - 2 * HOUR, now));
    for (const id of listed) expect(ofEdge.has(id)).toBe(true);
    // Every listed trace enters through payments-api: the edge filter, not a plain window, chose them.
    const entries = await page
      .locator("tr[data-trace-id] td:nth-child(2)")
      .evaluateAll((cells) => cells.map((c) => c.textContent));
    expect(new Set(entries)).toEqual(new Set(["payments-api"]));
  });

  it("narrows to one function from its page and says why a map is unavailable", async () => {
    // The link carries the function page's range, so the map covers what the page showed.
    const fnPage = await session.open("/functions/us-east-1/payments-api?range=1h");
    await fnPage.getByTestId("function-service-map").click();
    await fnPage.waitForURL(/\/map\?/);
    expect(new URL(fnPage.url()).searchParams.get("range")).toBe("1h");
    await fnPage.getByTestId("service-map-svg").waitFor();
    const edges = await fnPage
      .getByTestId("map-edge")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-edge") ?? ""));
    expect(edges.length).toBeGreaterThan(0);
    for (const e of edges) expect(e.split("→")).toContain("payments-api");

    const longRange = await session.open("/map?region=us-east-1&range=7d");
    const alert = longRange.getByRole("region", { name: /Services in us-east-1/ }).getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Service map unavailable: .*24 hours/);
    expect(await longRange.getByTestId("service-map-svg").count()).toBe(0);
  });
});
