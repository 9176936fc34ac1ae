/**
 * The Advisor and the Errors view over several accounts, through the real path: a sandbox organization of three
 * accounts (member-2's `fleetscope` role denies every AssumeRole), the console's account discovery (Organizations,
 * AssumeRole over HTTP), the collector filling a SQLite store per account-region through each account's role, and
 * the Advisor and error groups read from that store. Every account has the same planted functions in us-east-1
 * (with its own traffic): the two reachable accounts' same-named functions must be flagged, counted and reconciled
 * apart, each against what that account's own CloudWatch says (the `aws` CLI signed with a key of that account),
 * and the unreachable account fails alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { metricListFor } from "@/lib/aws/cloudwatch-list-metrics";
import { lambdaFor } from "@/lib/aws/lambda";
import { DEFAULT_TIMING, logsFor } from "@/lib/aws/logs";
import { sqsFor } from "@/lib/aws/sqs";
import { createCollector } from "@/lib/collector/collector";
import { errorsBackfillProgress } from "@/lib/collector/errors-step";
import { backfillProgress, DEFAULT_SETTINGS, resetPublishers } from "@/lib/collector/region";
import { DEFAULT_THRESHOLDS } from "@/lib/core/advisor";
import type { AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { bucketForRange } from "@/lib/core/time/bucket";
import { epochMs } from "@/lib/core/units";
import {
  advisorScopes,
  getFleetAdvice,
  latestFlagBadges,
  savingByAccount,
  totalMonthlySaving,
  type FleetAdvice,
} from "@/lib/data/advisor";
import { getErrorGroups, type ErrorGroupsView } from "@/lib/data/errors";
import { openDatabase } from "@/lib/store/database";
import { createStore, type Store } from "@/lib/store";
import type { Sandbox } from "@fleetscope/sandbox";
import { awsCliJson, cliMetricSum } from "@fleetscope/sandbox/testing/awscli";
import { startOrganizationSandbox, type OrganizationSandbox } from "@/test/support/organization-sandbox";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REGION = "us-east-1";
/** A planted function every account has, failing with regular timeouts. */
const FAILING = "legacy-sync";

let org: OrganizationSandbox;
let sandbox: Sandbox;
let store: Store;
let management: AccountTarget;
let member: AccountTarget;
let denied: AccountTarget;
let advice: FleetAdvice;
let errors: ErrorGroupsView;

const scopeOf = (t: AccountTarget): Scope => ({ account: t.id, region: REGION });
/** The sandbox's, the collector's and the views' clock: moved 20 s a collector tick. */
const clock = { t: Date.now() };
const start = clock.t;
/** Whole minutes, settled and collected: from 50 to 20 minutes before the clock when the collector started. */
const END = Math.floor((start - 20 * MINUTE) / MINUTE) * MINUTE;
const WINDOW = { start: epochMs(END - 30 * MINUTE), end: epochMs(END) };

beforeAll(async () => {
  resetPublishers();
  org = await startOrganizationSandbox({
    now: () => clock.t,
    region: REGION,
    functionsPerRegion: 4,
    denySecondMember: true,
  });
  ({ sandbox, management, member, second: denied } = org);
  store = createStore(openDatabase(":memory:"));
  const collected = [management, member].map(scopeOf);
  const collector = createCollector({
    scopes: () => [...collected, scopeOf(denied)],
    portsFor: org.portsFor,
    store,
    owner: "test",
    settings: { horizonMs: HOUR },
    retryPauseMs: 10,
    lambdaRequestsPerSecond: 20,
    now: () => clock.t,
  });
  const settings = { ...DEFAULT_SETTINGS, horizonMs: HOUR };
  const done = async (scope: Scope) => {
    const progress = [
      await errorsBackfillProgress({ scope, errors: store.errors, settings }, clock.t),
      ...(await Promise.all(
        (["metrics", "logs"] as const).map((source) =>
          backfillProgress({ scope, telemetry: store.telemetry, settings }, source, clock.t),
        ),
      )),
    ];
    return progress.every((p) => p.collectedMs >= p.targetMs);
  };
  for (let i = 0; !(await Promise.all(collected.map(done))).every(Boolean); i++) {
    if (i > 300) throw new Error("the collector did not backfill both accounts");
    await collector.tick();
    clock.t += 20_000;
  }
  await collector.stop();

  advice = await getFleetAdvice(advisorScopes([management, member, denied], [REGION]), WINDOW, {
    source: "store",
    store: () => store,
    ports: (region, account) => ({
      lambda: lambdaFor(region, account),
      triggers: lambdaFor(region, account),
      sqs: sqsFor(region, account),
      cloudwatch: cloudWatchFor(region, account),
      metricList: metricListFor(region, account),
      logs: logsFor(region, DEFAULT_TIMING, account),
    }),
    thresholds: () => DEFAULT_THRESHOLDS,
    cache: null,
    now: () => clock.t,
  });
  const bucket = bucketForRange({ kind: "custom", from: WINDOW.start, to: WINDOW.end }, epochMs(clock.t));
  errors = await getErrorGroups(
    { scopes: [management, member].map(scopeOf), range: bucket },
    {
      errors: () => store.errors,
      telemetry: () => store.telemetry,
      inventory: () => store.inventory,
      now: () => epochMs(clock.t),
    },
  );
}, 300_000);

afterAll(async () => {
  await store?.db.close();
  await org?.close();
});

/** One account's own CloudWatch sum of a metric of one of its functions (the CLI signing as that account). */
const cliSum = (name: string, metric: string, w: { from: number; to: number }, t: AccountTarget) =>
  cliMetricSum(sandbox.url, name, metric, { start: w.from, end: w.to }, 60, org.cliAs(t));

/** How many lines of FAILING's log group name a request, a minute either side of `atMs`, as one account reads. */
async function cliRequestLines(requestId: string, atMs: number, t: AccountTarget) {
  const messages = await awsCliJson<string[]>(
    sandbox.url,
    [
      "logs",
      "filter-log-events",
      "--log-group-name",
      `/aws/lambda/${FAILING}`,
      "--start-time",
      String(atMs - 60_000),
      "--end-time",
      String(atMs + 60_000),
      "--filter-pattern",
      JSON.stringify(requestId),
      "--query",
      "events[].message",
    ],
    org.cliAs(t),
  );
  return messages.length;
}

describe("the Advisor over three accounts", () => {
  it("advises each reachable account's functions apart, and fails only the account it cannot read", () => {
    expect(advice.regions.map((r) => [r.account, r.accountName, r.advised, r.functions])).toEqual([
      [management.id, "management", true, 4],
      [member.id, "member-1", true, 4],
      [denied.id, "member-2", false, 0],
    ]);
    expect(advice.regions[2]?.message).toContain(
      `the collector cannot reach account ${denied.id}: AccessDenied`,
    );
    expect(advice.regions[2]?.message).toContain(`could not assume ${denied.roleArn}`);
    expect(advice.flags.every((f) => f.account === management.id || f.account === member.id)).toBe(true);
  });

  it("flags the same-named failing function once per account, on that account's own invocations", async () => {
    const timeouts = advice.flags.filter((f) => f.functionName === FAILING && f.ruleId === "timeouts");
    expect(timeouts.map((f) => f.account).sort()).toEqual([management.id, member.id].sort());
    for (const f of timeouts) {
      const t = f.account === member.id ? member : management;
      const w = { from: f.evidence.window.start, to: f.evidence.window.end };
      expect(f.evidence.invocationsSeen).toBe(await cliSum(FAILING, "Invocations", w, t));
    }
    // No check that the two counts differ: two functions' traffic can coincide over a window. Which account's
    // logs the collector read is checked by request id below (stored examples), where a coincidence cannot happen.
  }, 60_000);

  it("sums the money at stake across accounts and per account, and badges each account's function", () => {
    const perAccount = savingByAccount(advice.flags);
    expect(perAccount.reduce((a, s) => a + s.saving, 0)).toBe(totalMonthlySaving(advice.flags));
    expect(perAccount.every((s) => s.account === management.id || s.account === member.id)).toBe(true);
    const badges = latestFlagBadges([management, member].map(scopeOf)) ?? {};
    for (const t of [management, member]) expect(badges[`${t.id}:${REGION}:${FAILING}`]).toBeDefined();
    // One account's badges hold none of the other's.
    const mine = latestFlagBadges([scopeOf(member)]) ?? {};
    expect(Object.keys(mine).every((k) => k.startsWith(`${member.id}:`))).toBe(true);
  });
});

describe("error groups over two accounts", () => {
  it("counts the same-named function's failures per account, each equal to that account's Errors metric", async () => {
    const failing = errors.groups.filter((g) => g.kind !== "logged");
    const counted = (t: AccountTarget) =>
      failing
        .flatMap((g) => g.functions)
        .filter((f) => f.account === t.id && f.fn === FAILING)
        .reduce((a, f) => a + f.count, 0);
    for (const t of [management, member]) {
      const rec = errors.reconciliation.functions.find((r) => r.account === t.id && r.fn === FAILING);
      expect(rec?.window).not.toBeNull();
      const metric = await cliSum(FAILING, "Errors", rec!.window!, t);
      expect(metric).toBeGreaterThan(0);
      expect(rec?.metricErrors).toBe(metric);
      // The groups count this account's failures only (the window's groups cover at least the compared minutes).
      expect(counted(t)).toBeGreaterThanOrEqual(rec!.failed!);
    }
    expect(errors.windows.map((w) => w.account)).toEqual([management.id, member.id]);
  }, 60_000);

  it("stores each account's examples from that account's own logs, never the other's", async () => {
    // The failing function can fail exactly as often in both accounts: equal counts cannot tell them apart,
    // but request ids can. Each account's stored examples (the merged view keeps a few per group, whichever
    // account's) are found by its own FilterLogEvents and not by the other's.
    for (const t of [management, member]) {
      const other = t.id === member.id ? management : member;
      const rows = await store.errors.rows({
        scopes: [scopeOf(t)],
        fn: FAILING,
        from: WINDOW.start,
        to: WINDOW.end,
      });
      const mine = rows.flatMap((r) => r.examples).slice(0, 2);
      expect(mine.length, t.name!).toBeGreaterThan(0);
      for (const e of mine) {
        expect(await cliRequestLines(e.requestId, e.atMs, t)).toBeGreaterThan(0);
        expect(await cliRequestLines(e.requestId, e.atMs, other)).toBe(0);
      }
    }
  }, 120_000);

  it("links every example and version to its own account", () => {
    for (const g of errors.groups) {
      const accounts = new Set(g.functions.map((f) => f.account));
      for (const e of g.examples) expect(accounts.has(e.account)).toBe(true);
      for (const v of g.versions) expect(accounts.has(v.account)).toBe(true);
    }
  });
});
