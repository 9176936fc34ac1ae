/** The Advisor page's evidence line (components/advisor/evidence-status.tsx), rendered on the server. */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { EvidenceStatus } from "@/components/advisor/evidence-status";
import { epochMs } from "@/lib/core/units";
import type { FleetAdvice, RegionEvidence } from "@/lib/data/advisor/summary";

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 23, 12);
const window = { start: epochMs(NOW - 180 * H), end: epochMs(NOW) };
const judged = { start: epochMs(NOW - 26 * H), end: epochMs(NOW) };
const evidence = (over: Partial<RegionEvidence> = {}): RegionEvidence => ({
  judged,
  logsJudged: true,
  coverage: (["metrics", "logs"] as const).map((source) => ({
    region: "us-east-1",
    source,
    collected: { from: judged.start, to: NOW, updatedAt: NOW - 20_000 },
    window: { from: window.start, to: window.end },
    coveredMs: 26 * H,
    gaps: [{ from: window.start, to: judged.start, within: null }],
  })),
  shortfall: "the collector is still backfilling",
  awsRequests: 0,
  ...over,
});
const advice = (source: FleetAdvice["source"], e?: RegionEvidence): FleetAdvice => ({
  window,
  generatedAt: NOW,
  source,
  regions: [
    {
      account: "111111111111",
      accountName: null,
      region: "us-east-1",
      ok: true,
      advised: true,
      message: null,
      functions: 3,
      unjudged: [],
      ...(e ? { evidence: e } : {}),
    },
  ],
  flags: [],
});
const text = (a: FleetAdvice) =>
  renderToStaticMarkup(createElement(EvidenceStatus, { advice: a })).replace(/<[^>]+>/g, " ");

describe("Advisor evidence status", () => {
  it("shows freshness, what was judged of the window asked, and the AWS cost of a store-backed run", () => {
    const t = text(advice("store", evidence({ awsRequests: 2 })));
    expect(t).toContain("data to 12:00 UTC");
    expect(t).toContain("judged on 26 h of the 7.5 d asked: the collector is still backfilling");
    expect(t).toMatch(/store: 2 AWS requests for what the store does not\s+hold/);
  });

  it("says nothing about coverage when the whole window was judged", () => {
    const t = text(advice("store", evidence({ judged: window, shortfall: null, coverage: [] })));
    expect(t).not.toContain("judged on");
    expect(t).toMatch(/store: \d+ AWS requests/);
  });

  it("says when the evidence was read live", () => {
    expect(text(advice("live"))).toContain("read live from AWS");
  });
});
