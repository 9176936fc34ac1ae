/**
 * The collector's status page (lib/data/collector/status.ts read into app/status/collector-status.tsx) on a real
 * in-memory store: before anything is collected it says so instead of showing zeros; with several accounts, one
 * row per account says whether the collector reaches it, and the coverage rows name their account.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CollectorStatusBody } from "@/app/status/collector-status";
import { COLLECTOR_LEASE } from "@/lib/collector/collector";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import { parseEnv } from "@/lib/config/env-schema";
import { epochMs } from "@/lib/core/units";
import { readCollectorStatus } from "@/lib/data/collector/status";
import { createStore } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 23, 12);
const settings = parseEnv({ FLEETSCOPE_REGIONS: "us-east-1,eu-west-1" });
const target = (id: string, name: string | null, roleArn: string | null = null): AccountTarget => ({
  id: parseAccountId(id),
  name,
  source: roleArn ? "role" : "home",
  roleArn,
  externalId: null,
  telemetry: "direct",
});
const HOME = target("111111111111", null);
const MEMBER = target("222222222222", "member-1", "arn:aws:iam::222222222222:role/fleetscope");
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("collector status", () => {
  it("renders an empty store as not collected yet, not as zeros", async () => {
    const store = createStore(openDatabase(":memory:"));
    const view = await readCollectorStatus({ store, settings, collector: null, accounts: [HOME] }, NOW);
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
    await store.telemetry.setCoverage(
      { account: HOME.id, region: "us-east-1" },
      "metrics",
      60,
      NOW - 30 * H,
      NOW - 26 * H,
      NOW - 26 * H,
    );
    const view = await readCollectorStatus({ store, settings, collector: null, accounts: [HOME] }, NOW);
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
    const empty = await readCollectorStatus({ store, settings, collector: null, accounts: [HOME] }, NOW);
    expect(empty.holder).toBeNull();
    await store.leases.acquire(COLLECTOR_LEASE, "replica-b", NOW - 1_000, 30_000);
    const view = await readCollectorStatus({ store, settings, collector: null, accounts: [HOME] }, NOW);
    expect(view.holder).toEqual({ owner: "replica-b", generation: 1 });
    const page = text(renderToStaticMarkup(createElement(CollectorStatusBody, { s: view })));
    expect(page).toContain("held by replica-b, generation 1");
    // Lapsed: nobody holds it.
    expect(
      (await readCollectorStatus({ store, settings, collector: null, accounts: [HOME] }, NOW + 30_000))
        .holder,
    ).toBeNull();
  });

  it("shows one row per account, the unreachable one with its error, and the account of each coverage row", async () => {
    const store = createStore(openDatabase(":memory:"));
    await store.telemetry.setCoverage(
      { account: HOME.id, region: "us-east-1" },
      "metrics",
      60,
      NOW - H,
      NOW,
      NOW,
    );
    // What the leading collector (another replica) keeps in the store: the member fails since 11:59.
    const denied = {
      code: "Unauthenticated",
      message: "STS AssumeRole arn:aws:iam::222222222222:role/fleetscope: AccessDenied: not authorized",
    };
    const failing = { ...denied, since: epochMs(NOW - 60_000) };
    await store.collectorAccounts.put(MEMBER.id, failing, epochMs(NOW - 60_000));
    await store.collectorAccounts.put(HOME.id, null, epochMs(NOW - 60_000));
    const sources = { store, settings, collector: null, accounts: [HOME, MEMBER] };
    const view = await readCollectorStatus(sources, NOW);
    expect(view.accounts).toEqual([
      { account: HOME.id, label: HOME.id, tried: true, error: null },
      {
        account: MEMBER.id,
        label: "222222222222 (member-1)",
        tried: true,
        error: { ...denied, at: NOW - 60_000 },
      },
    ]);
    // Two regions per account: the member's rows are there, not collected.
    expect(view.regions.map((r) => `${r.account} ${r.region}`)).toEqual([
      "111111111111 us-east-1",
      "111111111111 eu-west-1",
      "222222222222 us-east-1",
      "222222222222 eu-west-1",
    ]);
    const html = renderToStaticMarkup(createElement(CollectorStatusBody, { s: view }));
    const page = text(html);
    expect(page).toContain("Account");
    expect(page).toContain(`222222222222 (member-1) not collected since 11:59 UTC: ${denied.message}`);
    expect(page).toMatch(/111111111111 collected/);
    // Its two regions: two sources each in the coverage table, one triggers line each.
    expect(html.match(/data-account="222222222222" data-region/g)).toHaveLength(6);

    // Still failing a minute later (its error changed): since when it began failing.
    await store.collectorAccounts.put(MEMBER.id, { ...failing, code: "AccessDenied" }, epochMs(NOW));
    expect((await readCollectorStatus(sources, NOW)).accounts[1]?.error).toEqual({
      ...denied,
      code: "AccessDenied",
      at: NOW - 60_000,
    });
    // Recovered: the leader rewrote its row ok, and so is its row here.
    await store.collectorAccounts.put(MEMBER.id, null, epochMs(NOW));
    expect((await readCollectorStatus(sources, NOW)).accounts[1]?.error).toBeNull();
  });

  it("says an account the collector has not tried yet is not tried, rather than collected", async () => {
    const store = createStore(openDatabase(":memory:"));
    await store.collectorAccounts.put(HOME.id, null, epochMs(NOW - 60_000));
    const view = await readCollectorStatus(
      { store, settings, collector: null, accounts: [HOME, MEMBER] },
      NOW,
    );
    expect(view.accounts.map((a) => [a.account, a.tried, a.error])).toEqual([
      [HOME.id, true, null],
      [MEMBER.id, false, null],
    ]);
    const page = text(renderToStaticMarkup(createElement(CollectorStatusBody, { s: view })));
    expect(page).toMatch(/111111111111 collected/);
    expect(page).toContain("222222222222 (member-1) not tried yet");
  });

  it("hides the Account column and the accounts panel with one account that is reached", async () => {
    const store = createStore(openDatabase(":memory:"));
    const view = await readCollectorStatus({ store, settings, collector: null, accounts: [HOME] }, NOW);
    const html = renderToStaticMarkup(createElement(CollectorStatusBody, { s: view }));
    expect(html).not.toContain(">Account<");
    expect(html).not.toContain("Collection by account");
  });

  it("says when the accounts could not be decided", async () => {
    const store = createStore(openDatabase(":memory:"));
    const accounts = { error: "Organizations ListAccounts: AccessDenied" };
    const view = await readCollectorStatus({ store, settings, collector: null, accounts }, NOW);
    expect(view.accountsError).toBe(accounts.error);
    const page = text(renderToStaticMarkup(createElement(CollectorStatusBody, { s: view })));
    expect(page).toContain(
      "The accounts to collect could not be decided: Organizations ListAccounts: AccessDenied",
    );
  });
});
