/**
 * A request's platform timeline in a real browser, against the built console and the sandbox: an untraced
 * request of a JSON-format function (audit-trail) drawn from its platform.* records, a SnapStart cold start of
 * ml-inference with its Restore phase, and the function page's request links searching one log group narrowly.
 * Expected values are read from the sandbox through the SDK (the records themselves), never hard-coded.
 */
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilteredLogEvent,
} from "@aws-sdk/client-cloudwatch-logs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

const MINUTE = 60_000;
const REGION = "us-east-1";
let session: BrowserSession;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  session = await connectBrowser();
  logs = new CloudWatchLogsClient({
    region: REGION,
    endpoint: inject("sandboxUrl"),
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
});

afterAll(async () => {
  logs?.destroy();
  await session?.close();
});

/** Events of a group matching a pattern in the last `minutes` (settled: ending 2 minutes ago). */
async function recent(group: string, pattern: string, minutes: number): Promise<FilteredLogEvent[]> {
  const end = Date.now() - 2 * MINUTE;
  const r = await logs.send(
    new FilterLogEventsCommand({
      logGroupName: group,
      startTime: end - minutes * MINUTE,
      endTime: end,
      filterPattern: pattern,
    }),
  );
  return r.events ?? [];
}

interface JsonRecord {
  type: string;
  record: {
    requestId?: string;
    metrics?: { durationMs?: number; initDurationMs?: number };
    spans?: unknown[];
    tracing?: unknown;
  };
}

const parse = (e: FilteredLogEvent): JsonRecord | null => {
  try {
    return JSON.parse(e.message ?? "") as JsonRecord;
  } catch {
    return null;
  }
};

const msText = (n: number) => `${n.toFixed(2)} ms`;

async function phases(page: Page) {
  const rows = page.getByTestId("platform-phase");
  const out: { phase: string; source: string; duration: string }[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    out.push({
      phase: (await row.getAttribute("data-phase")) ?? "",
      source: (await row.getAttribute("data-source")) ?? "",
      duration: (await row.getByTestId("platform-phase-duration").textContent()) ?? "",
    });
  }
  return out;
}

describe("Request timeline from platform records", () => {
  it("an untraced audit-trail request (JSON logs) shows its phases from its platform.* records", async () => {
    const reports = (await recent("/custom/audit-trail", '"platform.report"', 60)).filter(
      (e) => parse(e)?.record.tracing === undefined,
    );
    const report = reports.at(-1);
    expect(report, "an untraced platform.report of audit-trail").toBeDefined();
    const rec = parse(report!)!.record;
    const requestId = rec.requestId!;
    // The request's own records, from its stream: what the page should draw.
    const stream = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: "/custom/audit-trail",
        logStreamNames: [report!.logStreamName!],
        startTime: report!.timestamp! - 20_000,
        endTime: report!.timestamp! + 1,
      }),
    );
    const done = (stream.events ?? [])
      .map(parse)
      .find((r) => r?.type === "platform.runtimeDone" && r.record.requestId === requestId);
    const reportMs = rec.metrics!.durationMs!;
    // A JSON-format function writes runtimeDone before every report; REPORT's Duration is the whole invoke
    // phase, runtimeDone the runtime's part: the difference is the runtime's overhead (X-Ray's Overhead).
    const doneMs = done?.record.metrics?.durationMs;
    expect(doneMs, "the request's platform.runtimeDone duration").toBeDefined();
    const overheadMs = reportMs - doneMs!;
    expect(overheadMs).toBeGreaterThan(0);

    const page = await session.open(
      `/requests/${requestId}?region=${REGION}&fn=audit-trail&at=${report!.timestamp}`,
    );
    await page.getByTestId("platform-timeline").waitFor();
    expect(await page.getByTestId("trace-id").textContent()).toBe("—");
    expect(await page.getByTestId("platform-timeline").getAttribute("data-format")).toBe("json");
    expect(await page.locator("#platform-timeline-title").textContent()).toBe(
      "Request timeline (platform records)",
    );
    const got = await phases(page);
    const expected = [
      ...(rec.metrics!.initDurationMs !== undefined
        ? [{ phase: "init", duration: msText(rec.metrics!.initDurationMs) }]
        : []),
      { phase: "invocation", duration: msText(doneMs!) },
      { phase: "overhead", duration: msText(overheadMs) },
    ];
    expect(got.map(({ phase, duration }) => ({ phase, duration }))).toEqual(expected);
    const invocation = got.find((p) => p.phase === "invocation")!;
    expect(invocation.source).toBe("platform.start → platform.runtimeDone");
    expect(got.find((p) => p.phase === "overhead")!.source).toBe(
      "platform.report duration − platform.runtimeDone duration",
    );
    // Every phase of this request has a length: each is drawn, none stated as zero.
    expect(await page.getByTestId("platform-phase-zero").count()).toBe(0);
    expect(await page.getByTestId("platform-span").count()).toBe(done?.record.spans?.length ?? 0);
  });

  it("a SnapStart cold start of ml-inference shows its Restore phase, as long as the REPORT says", async () => {
    const report = (await recent("/aws/lambda/ml-inference", '"Restore Duration"', 180)).at(-1);
    expect(report, "a REPORT with a Restore Duration").toBeDefined();
    const requestId = /RequestId: (\S+)/.exec(report!.message!)![1]!;
    const restore = /Restore Duration: ([\d.]+) ms/.exec(report!.message!)![1]!;

    const page = await session.open(
      `/requests/${requestId}?region=${REGION}&fn=ml-inference&at=${report!.timestamp}`,
    );
    await page.getByTestId("platform-timeline").waitFor();
    const got = await phases(page);
    expect(got.map((p) => p.phase)).toEqual(["restore", "invocation"]);
    expect(got[0]!.duration).toBe(`${restore} ms`);
    // The RESTORE_START line before START is part of the request's lines, so the phase starts there.
    expect(got[0]!.source).toBe("RESTORE_START → REPORT Restore Duration");
    expect(await page.getByTestId("cold-start-verdict").textContent()).toBe("Cold start (SnapStart restore)");
    expect(await page.getByTestId("restore-duration").textContent()).toBe(`${restore} ms`);
  });

  it("a function page's request link narrows the search to its log group and ±20 min; a bare id still works", async () => {
    let href: string | null = null;
    let fn = "";
    for (const candidate of ["audit-trail", "ml-inference", "orders-api"]) {
      const page = await session.open(`/functions/${REGION}/${candidate}`);
      const table = page.getByRole("table", { name: "Recent invocations" });
      await table.waitFor();
      const link = table.locator('a[href^="/requests/"]').first();
      if ((await link.count()) === 0) continue;
      href = await link.getAttribute("href");
      fn = candidate;
      await link.click();
      await page.getByTestId("request-cost").waitFor();
      // One log group, from 20 min before the REPORT to 20 min after it (or now, whichever is first).
      const text = (await page.getByTestId("request-cost").textContent()) ?? "";
      const at = Number(new URL(href!, "http://console").searchParams.get("at"));
      const from = new Date(at - 20 * MINUTE).toISOString().slice(11, 16);
      // A window across midnight UTC names each end's day ("2026-12-07 23:52–2026-12-08 00:13 UTC").
      const day = String.raw`(?:\d{4}-\d\d-\d\d )?`;
      const searched = new RegExp(
        String.raw`Searched (\S+) in us-east-1, ${day}(\d\d:\d\d)–${day}\d\d:\d\d UTC \((\d+) min\)\.`,
      ).exec(text);
      expect(searched, text).not.toBeNull();
      expect(searched![1]).toMatch(new RegExp(`^/(aws/lambda|custom)/${candidate}$`));
      expect(searched![2]).toBe(from);
      expect(Number(searched![3])).toBeLessThanOrEqual(40);
      expect(await page.getByTestId("request-id").textContent()).toBe(
        decodeURIComponent(/\/requests\/([^?]+)/.exec(href!)![1]!),
      );
      break;
    }
    expect(href, "an untraced request in some function's recent invocations").not.toBeNull();
    const url = new URL(href!, "http://console");
    expect(url.searchParams.get("region")).toBe(REGION);
    expect(url.searchParams.get("fn")).toBe(fn);
    expect(Number(url.searchParams.get("at"))).toBeGreaterThan(Date.now() - 6 * 60 * MINUTE);

    const bare = await session.open(url.pathname + `?region=${REGION}`);
    await bare.getByTestId("request-cost").waitFor();
    expect(await bare.getByTestId("request-id").textContent()).toBe(
      decodeURIComponent(url.pathname.split("/").at(-1)!),
    );
    // Without fn, the region's fleet is searched: the page says which groups and over what window.
    expect((await bare.getByTestId("request-cost").textContent()) ?? "").toMatch(
      /Searched .+ in us-east-1, .+ UTC \(\d+ (min|h)\)\./,
    );
  });
});
