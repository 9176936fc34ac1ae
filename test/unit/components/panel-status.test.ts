/** A panel's freshness and coverage line (components/fleet/panel-status.tsx), rendered on the server. */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PanelStatusLine } from "@/components/fleet/panel-status";
import type { SourceCoverage } from "@/lib/core/rollup/coverage";
import { epochMs } from "@/lib/core/units";
import type { PanelStatus } from "@/lib/data/telemetry/overview";

const M = 60_000;
const H = 60 * M;
const NOW = Date.UTC(2026, 10, 23, 19, 2, 40);
const window = { from: NOW - 24 * H, to: NOW + 80_000 };

const coverage = (over: Partial<SourceCoverage> = {}): SourceCoverage => ({
  region: "us-east-1",
  source: "metrics",
  collected: { from: window.from, to: NOW - 40_000, updatedAt: NOW - 10_000 },
  window,
  coveredMs: window.to - window.from - 2 * M,
  gaps: [{ from: NOW - 40_000, to: window.to, within: null }],
  ...over,
});
const render = (status: PanelStatus) => renderToStaticMarkup(createElement(PanelStatusLine, { status }));
const text = (html: string) => html.replace(/<[^>]+>/g, "");

describe("panel status line", () => {
  it("says how fresh the data is, and nothing about coverage when only the newest minutes are missing", () => {
    const html = render({ source: "store", now: epochMs(NOW), coverage: [coverage()] });
    expect(html).toContain('data-testid="freshness"');
    expect(text(html)).toContain("data to 19:02 UTC, 40 s ago");
    expect(html).not.toContain('data-testid="coverage"');
  });

  it("says how much of the range is covered while the collector is still backfilling", () => {
    const backfill = coverage({
      source: "logs",
      coveredMs: 19 * H,
      gaps: [
        { from: window.from, to: window.from + 5 * H, within: null },
        { from: NOW - 40_000, to: window.to, within: null },
      ],
    });
    const html = render({ source: "store", now: epochMs(NOW), coverage: [coverage(), backfill] });
    expect(html).toContain('data-testid="coverage"');
    expect(text(html)).toContain("Still collecting: covered 19 h of 24 h");
    expect(text(html)).toContain("us-east-1 logs");
  });

  it("nothing collected yet", () => {
    const none = coverage({ collected: null, coveredMs: 0, gaps: [{ ...window, within: null }] });
    const html = text(render({ source: "store", now: epochMs(NOW), coverage: [none] }));
    expect(html).toContain("nothing collected yet");
    expect(html).toContain("Still collecting: none of these 24 h collected yet");
  });

  it("a live panel says so", () => {
    expect(text(render({ source: "live", now: epochMs(NOW), coverage: [] }))).toBe("read live from AWS");
  });
});
