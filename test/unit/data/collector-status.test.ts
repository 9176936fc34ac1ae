/**
 * The collector's status page (lib/data/collector/status.ts read into app/status/collector-status.tsx) on a real
 * in-memory store: before anything is collected it says so instead of showing zeros.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CollectorStatusBody } from "@/app/status/collector-status";
import { COLLECTOR_LEASE } from "@/lib/collector/collector";
import { parseEnv } from "@/lib/config/env-schema";
import { readCollectorStatus } from "@/lib/data/collector/status";
import { createStore } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 23, 12);
const settings = parseEnv({ FLEETSCOPE_REGIONS: "us-east-1,eu-west-1" });
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("collector status", () => {
  it("renders an empty store as not collected yet, not as zeros", async () => {
    const store = createStore(openDatabase(":memory:"));
    const view = await readCollectorStatus({ store, settings, collector: null }, NOW);
    expect(view.collected).toBe(false);
    expect(view.regions.map((r) => r.functions)).toEqual([null, null]);
    expect(view.regions.flatMap((r) => r.sources.map((s) => s.backfill))).toEqual([null, null, null, null]);

    const page = text(renderToStaticMarkup(createElement(CollectorStatusBody, { s: view })));
    expect(page).toContain("Not collected yet: the collector has not finished its first round.");
    expect(page.match(/not collected yet/g)).toHaveLength(4);
    expect(page).toContain("not listed yet");
    expect(page).toContain("Not collected yet: no AWS request made.");
    expect(page).toContain("Empty: nothing collected yet.");
    expect(page).not.toMatch(/0\.0 h|\$0\.00/);
  });

  it("never shows a negative backfill when the collected part ends before the horizon", async () => {
    const store = createStore(openDatabase(":memory:"));
    // Collected 30 h to 26 h ago; the horizon is 24 h: the collector was stopped for longer than that.
    await store.telemetry.setCoverage("us-east-1", "metrics", 60, NOW - 30 * H, NOW - 26 * H, NOW - 26 * H);
    const view = await readCollectorStatus({ store, settings, collector: null }, NOW);
    expect(view.collected).toBe(true);
    const backfill = view.regions[0]?.sources[0]?.backfill;
    expect(backfill?.collectedMs).toBe(0);
    const page = text(renderToStaticMarkup(createElement(CollectorStatusBody, { s: view })));
    expect(page).toContain("collected 0.0 h of 0.0 h");
    expect(page).not.toMatch(/collected -/);
    expect(page).toContain("Requests, last hour");
  });

  it("names the replica that holds the collector lease when this one does not", async () => {
    const store = createStore(openDatabase(":memory:"));
    const empty = await readCollectorStatus({ store, settings, collector: null }, NOW);
    expect(empty.holder).toBeNull();
    await store.leases.acquire(COLLECTOR_LEASE, "replica-b", NOW - 1_000, 30_000);
    const view = await readCollectorStatus({ store, settings, collector: null }, NOW);
    expect(view.holder).toEqual({ owner: "replica-b", generation: 1 });
    const page = text(renderToStaticMarkup(createElement(CollectorStatusBody, { s: view })));
    expect(page).toContain("held by replica-b, generation 1");
    // Lapsed: nobody holds it.
    expect((await readCollectorStatus({ store, settings, collector: null }, NOW + 30_000)).holder).toBeNull();
  });
});
