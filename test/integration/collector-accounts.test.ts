/**
 * The collector over three accounts of a sandbox organization, through the console's real adapters (lambdaFor,
 * cloudWatchFor, metricListFor, logsFor with each account's target: AssumeRole over HTTP for the members): the
 * management account read with the console's own credentials, member-1 through its `fleetscope` role, member-2
 * whose role refuses every AssumeRole. The two reachable accounts' rollups equal what each account's own
 * CloudWatch and Logs Insights answer to the `aws` CLI (member-1's read with a long-term key of that account);
 * member-2 has one error naming its role, no rows and no AWS request beyond STS; and the others' coverage advances
 * in the same ticks, as if member-2 were not there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCollector, type Collector } from "@/lib/collector/collector";
import { backfillProgress, DEFAULT_SETTINGS, resetPublishers } from "@/lib/collector/region";
import type { AccountTarget } from "@/lib/core/accounts";
import { scopeKey, type Scope } from "@/lib/core/accounts/scope";
import { createStore, type Store } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import type { Sandbox } from "@fleetscope/sandbox";
import { awsCliJson, cliMetricSum } from "@fleetscope/sandbox/testing/awscli";
import { startOrganizationSandbox, type OrganizationSandbox } from "@/test/support/organization-sandbox";

const MINUTE = 60_000;
const REGION = "us-east-1";
const HORIZON_MS = 40 * MINUTE;
let org: OrganizationSandbox;
let sb: Sandbox;
let store: Store;
let collector: Collector;
let targets: [AccountTarget, AccountTarget, AccountTarget];
/** Per tick, each account's logs and metrics coverage (scopeKey → "from-to|from-to"). */
const timeline: Record<string, string>[] = [];
// STS stamps Expiration on the sandbox clock and the SDK renews against the real one: the shared clock starts at
// the real time, and a run lasts far less than a session.
const clock = { t: Math.floor(Date.now() / MINUTE) * MINUTE };
const scopeOf = (t: AccountTarget): Scope => ({ account: t.id, region: REGION });
const settings = { ...DEFAULT_SETTINGS, horizonMs: HORIZON_MS };

async function backfilled(t: AccountTarget): Promise<boolean> {
  for (const source of ["metrics", "logs"] as const) {
    const p = await backfillProgress(
      { scope: scopeOf(t), telemetry: store.telemetry, settings },
      source,
      clock.t,
    );
    if (p.collectedMs === 0 || p.collectedMs < p.targetMs) return false;
  }
  return true;
}

async function coverageLine(t: AccountTarget): Promise<string> {
  const parts = await Promise.all(
    (["metrics", "logs"] as const).map(async (source) => {
      const c = await store.telemetry.coverage(scopeOf(t), source, 60);
      return c ? `${c.from}-${c.to}` : "none";
    }),
  );
  return parts.join("|");
}

beforeAll(async () => {
  org = await startOrganizationSandbox({
    now: () => clock.t,
    region: REGION,
    functionsPerRegion: 6,
    denySecondMember: true,
    env: { FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" },
  });
  sb = org.sandbox;
  targets = [org.management, org.member, org.second];
  resetPublishers();
  store = createStore(openDatabase(":memory:"));
  collector = createCollector({
    scopes: () => targets.map(scopeOf),
    portsFor: org.portsFor,
    legacyAccount: async () => targets[0].id,
    store,
    owner: "test",
    settings: { horizonMs: HORIZON_MS },
    now: () => clock.t,
    retryPauseMs: 10,
    lambdaRequestsPerSecond: 10,
  });
  for (let i = 0; !((await backfilled(targets[0])) && (await backfilled(targets[1]))); i++) {
    if (i > 120) throw new Error("backfill did not finish");
    await collector.tick();
    timeline.push(
      Object.fromEntries(
        await Promise.all(targets.map(async (t) => [scopeKey(scopeOf(t)), await coverageLine(t)] as const)),
      ),
    );
    clock.t += 20_000;
  }
}, 300_000);

afterAll(async () => {
  await collector?.stop();
  await org?.close();
});

/** An account's own CloudWatch and Logs Insights, asked by the `aws` CLI with that account's credentials. */
const cliAs = (t: AccountTarget) => org.cliAs(t);

const cliInvocations = (t: AccountTarget, fn: string, w: { start: number; end: number }) =>
  cliMetricSum(sb.url, fn, "Invocations", w, 60, cliAs(t));

async function cliReports(t: AccountTarget, group: string, json: boolean, w: { start: number; end: number }) {
  const query = json
    ? 'filter type = "platform.report" | stats count(*) as n'
    : 'filter @type = "REPORT" | stats count(*) as n';
  const started = await awsCliJson<{ queryId: string }>(
    sb.url,
    [
      "logs",
      "start-query",
      "--log-group-name",
      group,
      "--start-time",
      String(w.start / 1000),
      "--end-time",
      String(w.end / 1000 - 1),
      "--query-string",
      query,
    ],
    cliAs(t),
  );
  for (let i = 0; i < 100; i++) {
    const r = await awsCliJson<{ status: string; results: { field: string; value: string }[][] }>(
      sb.url,
      ["logs", "get-query-results", "--query-id", started.queryId],
      cliAs(t),
    );
    if (r.status === "Complete") return Number(r.results[0]?.find((c) => c.field === "n")?.value ?? 0);
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error("query did not complete");
}

describe("collector across accounts", () => {
  it("keeps each reachable account's own metrics and REPORT lines, apart from the other's", async () => {
    // Whole minutes: the shared clock moved 20 s a tick.
    const end = Math.floor(clock.t / MINUTE) * MINUTE - 10 * MINUTE;
    const w = { start: end - 20 * MINUTE, end };
    for (const t of [targets[0], targets[1]]) {
      const functions = await store.inventory.functions(scopeOf(t));
      expect(functions.length, t.name!).toBe(6);
      for (const { config } of functions.slice(0, 2)) {
        const rows = await store.telemetry.metricRows(scopeOf(t), 60, w.start, w.end, config.name);
        expect(rows.every((r) => r.account === t.id)).toBe(true);
        const kept = rows.reduce((a, r) => a + r.invocations, 0);
        expect(kept, `${t.name} ${config.name}`).toBe(await cliInvocations(t, config.name, w));
        const logs = await store.telemetry.logRows(scopeOf(t), 60, w.start, w.end, config.logGroup);
        expect(
          logs.reduce((a, r) => a + r.reports, 0),
          `${t.name} ${config.logGroup}`,
        ).toBe(await cliReports(t, config.logGroup, config.logFormat === "JSON", w));
      }
    }
    // Two fleets, not one read twice: the accounts' function sets differ (their own seeds).
    const names = async (t: AccountTarget) =>
      (await store.inventory.functions(scopeOf(t))).map((e) => e.config.revisionId).sort();
    expect(await names(targets[0])).not.toEqual(await names(targets[1]));
  }, 240_000);

  it("records the denied account's error naming its role, and keeps no row of it", async () => {
    const denied = targets[2];
    const status = collector.status().accounts;
    expect(status.find((a) => a.account === targets[0].id)?.error).toBeNull();
    expect(status.find((a) => a.account === targets[1].id)?.error).toBeNull();
    const error = status.find((a) => a.account === denied.id)?.error;
    expect(error?.message).toContain(denied.roleArn!);
    const events = (await store.telemetry.events(500)).filter(
      (e) => e.account === denied.id && e.source === "account",
    );
    // Said once, not once per tick.
    expect(events).toHaveLength(1);
    expect(events[0]?.message).toContain(denied.roleArn!);
    expect(await store.inventory.functions(scopeOf(denied))).toEqual([]);
    expect(await store.telemetry.coverage(scopeOf(denied), "metrics", 60)).toBeNull();
    expect(await store.telemetry.coverage(scopeOf(denied), "logs", 60)).toBeNull();
    // Nothing reached its Lambda, CloudWatch or Logs: its role was refused first.
    const reached = Object.keys(sb.statsByAccount()[denied.id] ?? {}).filter((op) => !op.startsWith("sts."));
    expect(reached).toEqual([]);
    // Its costs: none; the others' are recorded per account.
    const costs = await store.telemetry.costs(0);
    expect(costs.filter((c) => c.account === denied.id)).toEqual([]);
    expect(new Set(costs.map((c) => c.account))).toEqual(new Set([targets[0].id, targets[1].id]));
  });

  it("advances the reachable accounts' coverage in the same ticks", () => {
    const [home, member] = [scopeKey(scopeOf(targets[0])), scopeKey(scopeOf(targets[1]))];
    expect(timeline.length).toBeGreaterThan(2);
    // The same clock and settings: with nothing slowing one down, both coverages move in lockstep.
    expect(timeline.map((t) => t[member])).toEqual(timeline.map((t) => t[home]));
    expect(timeline[0]?.[home]).not.toBe("none|none");
  });
});
