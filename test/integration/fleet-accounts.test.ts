/**
 * The fleet and functions pages' use-cases over several accounts, through the real path: a sandbox organization of
 * three accounts (member-2's `fleetscope` role denies every AssumeRole), the console's account discovery
 * (Organizations, then AssumeRole over HTTP), and each account's functions and metrics read through its own role.
 * What they show is checked against the `aws` CLI signed with a long-term key of member-1 (an independent
 * client), and the management account's same-named functions must never stand in for the member's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { lambdaFor } from "@/lib/aws/lambda";
import { DEFAULT_TIMING, logsFor } from "@/lib/aws/logs";
import { unreachableAccounts } from "@/components/fleet/unreachable-accounts";
import type { AccountTarget } from "@/lib/core/accounts";
import { bucketForRange } from "@/lib/core/time/bucket";
import { epochMs } from "@/lib/core/units";
import type { AccountChecks } from "@/lib/data/accounts";
import { createCache } from "@/lib/data/cache";
import { listFleetFunctions } from "@/lib/data/functions";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { fleetScopes } from "@/lib/data/telemetry/fleet-scopes";
import { loadFleetOverview } from "@/lib/data/telemetry/overview";
import type { Sandbox } from "@fleetscope/sandbox";
import { awsCliJson } from "@fleetscope/sandbox/testing/awscli";
import {
  MEMBER_KEY,
  ORG_IDS,
  startOrganizationSandbox,
  type OrganizationSandbox,
} from "@/test/support/organization-sandbox";

const MINUTE = 60_000;
const REGION = "us-east-1";
const IDS = ORG_IDS;

let org: OrganizationSandbox;
let sandbox: Sandbox;
let targets: AccountTarget[];
let checks: AccountChecks;
const byName = (name: string) => {
  const t = targets.find((x) => x.name === name);
  if (!t) throw new Error(`no ${name} account among the targets`);
  return t;
};

beforeAll(async () => {
  // The real clock: STS stamps Expiration on the sandbox's and the SDK renews against the real one.
  org = await startOrganizationSandbox({
    now: () => Date.now(),
    region: REGION,
    functionsPerRegion: 22,
    denySecondMember: true,
  });
  ({ sandbox, targets, checks } = org);
}, 120_000);

afterAll(async () => {
  await org?.close();
});

const liveDeps = (): TelemetryDeps => ({
  lambda: lambdaFor,
  cloudwatch: cloudWatchFor,
  logs: (region, account) => logsFor(region, { ...DEFAULT_TIMING, firstPollMs: 20 }, account ?? null),
  store: () => {
    throw new Error("a live overview reads no store");
  },
  liveCache: createCache({ ttlMs: 60_000, maxEntries: 50 }),
  settledCache: createCache({ ttlMs: 60_000, maxEntries: 50 }),
  now: () => epochMs(Date.now()),
  insightsTimeoutMs: 20_000,
});

/** member-1's own function names, as its own Lambda lists them (the CLI with its long-term key). */
async function memberFunctionNames(): Promise<string[]> {
  const r = await awsCliJson<{ Functions: { FunctionName: string }[] }>(
    sandbox.url,
    ["lambda", "list-functions"],
    { env: { AWS_ACCESS_KEY_ID: MEMBER_KEY } },
  );
  return r.Functions.map((f) => f.FunctionName).sort();
}

describe("the functions list over three accounts, one denying its role", () => {
  it("lists each reachable account's own functions with its account, and the denied one as its own failure", async () => {
    const scopes = fleetScopes(targets, IDS, [REGION]);
    const listing = await listFleetFunctions(scopes, {
      lambda: lambdaFor,
      cache: createCache({ ttlMs: 60_000, maxEntries: 50 }),
    });
    const outcome = (id: string) => listing.regions.find((r) => r.account === id)?.outcome;
    expect(outcome(IDS[0])?.ok).toBe(true);
    expect(outcome(IDS[1])?.ok).toBe(true);
    const denied = outcome(IDS[2]);
    expect(denied?.ok).toBe(false);
    if (denied && !denied.ok) {
      expect(denied.error.code).toBe("AccessDenied");
      expect(denied.error.message).toContain(`arn:aws:iam::${IDS[2]}:role/fleetscope`);
    }

    const member = listing.functions.filter((f) => f.account === IDS[1]);
    expect(member.map((f) => f.name).sort()).toEqual(await memberFunctionNames());
    expect(new Set(member.map((f) => f.accountName))).toEqual(new Set(["member-1"]));
    expect(listing.functions.some((f) => f.account === IDS[2])).toBe(false);
  }, 60_000);

  it("names the unreachable account and its error once, from the account checks", async () => {
    const down = unreachableAccounts(await checks.statuses(() => Date.now()), IDS);
    expect(down.map((a) => [a.account, a.label, a.error.code])).toEqual([
      [IDS[2], `${IDS[2]} (member-2)`, "AccessDenied"],
    ]);
    // Not selected: not said.
    expect(unreachableAccounts(await checks.statuses(() => Date.now()), IDS.slice(0, 2))).toEqual([]);
  }, 60_000);
});

describe("the fleet overview over two accounts, read live through each account's role", () => {
  it("gives each account's functions their own rows and numbers, equal to that account's own CloudWatch", async () => {
    const end = Math.floor((Date.now() - 5 * MINUTE) / MINUTE) * MINUTE;
    const w = { start: end - 30 * MINUTE, end };
    const bucket = bucketForRange(
      { kind: "custom", from: epochMs(w.start), to: epochMs(w.end) },
      epochMs(Date.now()),
    );
    const scopes = fleetScopes([byName("management"), byName("member-1")], IDS, [REGION]);
    const o = await loadFleetOverview(scopes, bucket, liveDeps(), { source: "live" });
    expect(o.table.failures).toEqual([]);
    const member = o.table.rows.filter((r) => r.account === IDS[1]);
    expect(member.map((r) => r.name).sort()).toEqual(await memberFunctionNames());
    expect(new Set(member.map((r) => r.accountName))).toEqual(new Set(["member-1"]));

    // One member function's invocations over the bucket, as member-1's own CloudWatch sums them.
    const busiest = [...member].sort((a, b) => (b.invocations ?? 0) - (a.invocations ?? 0))[0]!;
    const cli = await awsCliJson<{ MetricDataResults: { Values: number[] }[] }>(
      sandbox.url,
      [
        "cloudwatch",
        "get-metric-data",
        "--start-time",
        new Date(bucket.start).toISOString(),
        "--end-time",
        new Date(bucket.end).toISOString(),
        "--metric-data-queries",
        JSON.stringify([
          {
            Id: "m",
            MetricStat: {
              Metric: {
                Namespace: "AWS/Lambda",
                MetricName: "Invocations",
                Dimensions: [{ Name: "FunctionName", Value: busiest.name }],
              },
              Period: 60,
              Stat: "Sum",
            },
          },
        ]),
      ],
      { env: { AWS_ACCESS_KEY_ID: MEMBER_KEY } },
    );
    const own = (cli.MetricDataResults[0]?.Values ?? []).reduce((a, v) => a + v, 0);
    expect(own).toBeGreaterThan(0);
    expect(busiest.invocations).toBe(own);

    // Concurrency and its limit are per account: one line and one limit each.
    expect(o.metrics.limits.map((l) => l.account)).toEqual([IDS[0], IDS[1]]);
    expect(o.metrics.fleet?.concurrency.map((c) => c.account)).toEqual([IDS[0], IDS[1]]);
  }, 120_000);
});
