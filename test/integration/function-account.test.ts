/**
 * A member account's function page through the real path: a sandbox organization of three accounts, the console's
 * account discovery (Organizations, AssumeRole of the `fleetscope` role over HTTP), the collector filling a SQLite
 * store per account-region through each account's role, and the function page's use-cases reading one member's
 * function by its account. What they show is checked against the `aws` CLI signed with a long-term key of that
 * member account (an independent client), and against the management account's function of the same name, which
 * the page must never show in its place.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { lambdaFor } from "@/lib/aws/lambda";
import { DEFAULT_TIMING, logsFor } from "@/lib/aws/logs";
import { createCollector } from "@/lib/collector/collector";
import { resetPublishers } from "@/lib/collector/region";
import type { AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { bucketForRange } from "@/lib/core/time/bucket";
import { epochMs } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import { getFunctionDetail } from "@/lib/data/functions";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { startFunctionTelemetry } from "@/lib/data/telemetry/function";
import { getFunctionTriggers } from "@/lib/data/triggers";
import { openDatabase } from "@/lib/store/database";
import { createStore, type Store } from "@/lib/store";
import type { Sandbox } from "@fleetscope/sandbox";
import { awsCliJson, cliMetricSum } from "@fleetscope/sandbox/testing/awscli";
import {
  MEMBER_KEY,
  startOrganizationSandbox,
  type OrganizationSandbox,
} from "@/test/support/organization-sandbox";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REGION = "us-east-1";

let org: OrganizationSandbox;
let sandbox: Sandbox;
let store: Store;
let member: AccountTarget;
let management: AccountTarget;
/** A function name both the management account and member-1 have. */
let shared: string;
/** Every such name. */
let sharedNames: string[];

const scopeOf = (t: AccountTarget): Scope => org.scopeOf(t);
/** The sandbox's, the collector's and the views' clock: moved 20 s a collector tick. */
const clock = { t: Date.now() };
const start = clock.t;

beforeAll(async () => {
  resetPublishers();
  org = await startOrganizationSandbox({
    now: () => clock.t,
    region: REGION,
    functionsPerRegion: 4,
    denySecondMember: false,
  });
  ({ sandbox, member, management } = org);

  store = createStore(openDatabase(":memory:"));
  const collector = createCollector({
    scopes: () => [management, member].map(scopeOf),
    portsFor: org.portsFor,
    store,
    owner: "test",
    settings: { horizonMs: HOUR },
    retryPauseMs: 10,
    lambdaRequestsPerSecond: 20,
    now: () => clock.t,
  });
  // Both accounts' metrics over the window the tests read (each account's inventory is listed before).
  const covered = async (t: AccountTarget) => {
    const c = await store.telemetry.coverage(scopeOf(t), "metrics", 60);
    return c !== null && c.from <= window().start && c.to >= window().end;
  };
  for (let i = 0; !((await covered(member)) && (await covered(management))); i++) {
    if (i > 200) throw new Error("the collector did not cover the window in both accounts");
    await collector.tick();
    clock.t += 20_000;
  }
  await collector.stop();
  const names = async (t: AccountTarget) =>
    new Set((await store.inventory.functions(scopeOf(t))).map((e) => e.config.name));
  const [mine, theirs] = await Promise.all([names(member), names(management)]);
  const both = [...mine].filter((n) => theirs.has(n));
  if (both.length === 0) throw new Error("no function name common to both accounts");
  shared = both[0]!;
  sharedNames = both;
}, 240_000);

afterAll(async () => {
  await store?.db.close();
  await org?.close();
});

/** Whole minutes, settled: from 50 to 20 minutes before the clock when the collector started. */
function window() {
  const end = Math.floor((start - 20 * MINUTE) / MINUTE) * MINUTE;
  return { start: end - 30 * MINUTE, end };
}

/** What member-1's own CloudWatch says about one metric of one of its functions (the CLI, its long-term key). */
async function cliSum(name: string, metric: string, w: { start: number; end: number }, key?: string) {
  return cliMetricSum(
    sandbox.url,
    name,
    metric,
    w,
    60,
    key ? { env: { AWS_ACCESS_KEY_ID: key } } : undefined,
  );
}

const detailDeps = () => ({
  lambda: lambdaFor,
  cache: createCache({ ttlMs: 60_000, maxEntries: 50 }),
  inventory: () => store.inventory,
});

const telemetryDeps = (): TelemetryDeps => ({
  lambda: lambdaFor,
  cloudwatch: cloudWatchFor,
  logs: (region, account) => logsFor(region, { ...DEFAULT_TIMING, firstPollMs: 20 }, account ?? null),
  store: () => store,
  liveCache: createCache({ ttlMs: 60_000, maxEntries: 50 }),
  settledCache: createCache({ ttlMs: 60_000, maxEntries: 50 }),
  now: () => epochMs(clock.t),
  insightsTimeoutMs: 10_000,
});

describe("a member account's function page", () => {
  it("shows the member's configuration, as its own Lambda answers, not the management account's", async () => {
    const detail = await getFunctionDetail(member, REGION, shared, detailDeps());
    const cli = await awsCliJson<{ FunctionArn: string; MemorySize: number; Timeout: number }>(
      sandbox.url,
      ["lambda", "get-function-configuration", "--function-name", shared],
      { env: { AWS_ACCESS_KEY_ID: MEMBER_KEY } },
    );
    // A listing with FunctionVersion=ALL (the collector's) qualifies $LATEST's ARN; GetFunctionConfiguration does not.
    expect(detail.config.arn.replace(/:\$LATEST$/, "")).toBe(cli.FunctionArn);
    expect(detail.config.arn).toContain(`:${member.id}:function:${shared}`);
    expect({ memory: detail.config.memory, timeout: detail.config.timeout }).toEqual({
      memory: cli.MemorySize,
      timeout: cli.Timeout,
    });
    const other = await getFunctionDetail(management, REGION, shared, detailDeps());
    expect(other.config.arn).toContain(`:${management.id}:function:${shared}`);
  }, 60_000);

  it("shows the member's metrics from the store, equal to its own CloudWatch's over the same window", async () => {
    const w = window();
    // A steady function can invoke exactly as often in both accounts over a window: check one whose two
    // accounts' CloudWatch sums differ, so that showing the wrong account's numbers could not pass.
    const sums = await Promise.all(
      sharedNames.map(async (name) => ({
        name,
        mine: await cliSum(name, "Invocations", w, MEMBER_KEY),
        theirs: await cliSum(name, "Invocations", w),
      })),
    );
    const distinct = sums.find((s) => s.mine > 0 && s.mine !== s.theirs);
    if (!distinct)
      throw new Error(`every shared function invoked alike in both accounts: ${JSON.stringify(sums)}`);
    const { name, mine: invocations, theirs } = distinct;
    const bucket = bucketForRange(
      { kind: "custom", from: epochMs(w.start), to: epochMs(w.end) },
      epochMs(clock.t),
    );
    const detail = await getFunctionDetail(member, REGION, name, detailDeps());
    const t = startFunctionTelemetry(
      { account: member, region: REGION, name, config: detail.config, aliases: [], bucket },
      telemetryDeps(),
    );
    const metrics = await t.metrics;
    if (!metrics.ok) throw new Error(`metrics failed: ${metrics.error.message}`);
    expect(metrics.value.listed).toBe(true);
    const errors = await cliSum(name, "Errors", w, MEMBER_KEY);
    expect({ invocations: metrics.value.totals.invocations, errors: metrics.value.totals.errors }).toEqual({
      invocations,
      errors,
    });

    // The management account's same-named function is another function: its own numbers, kept apart.
    const mgmt = startFunctionTelemetry(
      {
        account: management,
        region: REGION,
        name,
        config: (await store.inventory.get(scopeOf(management), name))!.config,
        aliases: [],
        bucket,
      },
      telemetryDeps(),
    );
    const m = await mgmt.metrics;
    expect(m.ok && m.value.totals.invocations).toBe(theirs);
  }, 60_000);

  it("reads the member's triggers through its role", async () => {
    const triggers = await getFunctionTriggers(
      { account: member, region: REGION, name: shared },
      {
        lambda: lambdaFor,
        cache: createCache({ ttlMs: 60_000, maxEntries: 50 }),
        inventory: () => store.inventory,
      },
    );
    const cli = await awsCliJson<{ EventSourceMappings: { UUID: string }[] }>(
      sandbox.url,
      ["lambda", "list-event-source-mappings", "--function-name", shared],
      { env: { AWS_ACCESS_KEY_ID: MEMBER_KEY } },
    );
    expect(triggers.mappings.ok && triggers.mappings.value.map((m) => m.uuid).sort()).toEqual(
      cli.EventSourceMappings.map((m) => m.UUID).sort(),
    );
  }, 60_000);
});
