/**
 * A region removed from FLEETSCOPE_REGIONS (deps.regions) while a plan runs there, against the sandbox over
 * HTTP: nobody may change an alias there any more, but the runner still rolls the running canary back rather
 * than leave it at its weight with no guard watching.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { isFleetscopeError } from "@/lib/core/errors";
import { rollbackAlias, shiftAliasTraffic } from "@/lib/data/traffic/changes";
import type { TrafficDeps } from "@/lib/data/traffic/deps";
import { startPlan } from "@/lib/data/traffic/plans";
import { tickPlans, UNCONFIGURED_REGION_REASON } from "@/lib/data/traffic/runner";
import type { Sandbox } from "@fleetscope/sandbox";
import { cliGetAlias } from "@fleetscope/sandbox/testing/awscli";
import { startTestSandbox, TEST_NOW } from "@fleetscope/sandbox/testing/sandbox";
import { parseAccountId } from "@/lib/core/accounts";
import { homeTarget, sandboxTrafficDeps, type SandboxTrafficDeps } from "../support/traffic-deps";

const operator: Principal = { id: "local-operator", name: "local-operator", role: "operator", via: "token" };
const REGION = "us-east-1";
const FN = "orders-api";
const MINUTE = 60_000;

let sandbox: Sandbox;
/** The sandbox's one account in REGION: where every alias of these tests lives. */
const home = () => ({ account: parseAccountId(sandbox.account.accountId), region: REGION });
let clock = TEST_NOW;
let aws: SandboxTrafficDeps;
let deps: TrafficDeps;

beforeAll(async () => {
  sandbox = await startTestSandbox({ now: () => clock, regions: [REGION] });
  aws = sandboxTrafficDeps(sandbox.url, {
    now: () => clock,
    region: REGION,
    accounts: [homeTarget(sandbox.account.accountId)],
  });
  deps = aws.deps;
});

afterAll(async () => {
  aws?.destroy();
  await sandbox?.close();
});

const cliAlias = () => cliGetAlias(sandbox.url, FN, "live");

describe("a plan whose region is removed from FLEETSCOPE_REGIONS", () => {
  it("refuses a manual change there before any AWS call, and the runner rolls the canary back", async () => {
    const before = await cliAlias();
    if (before.RoutingConfig?.AdditionalVersionWeights) {
      await rollbackAlias(deps, operator, {
        region: REGION,
        functionName: FN,
        alias: "live",
        revisionId: before.RevisionId,
      });
    }
    const stable = (await cliAlias()).FunctionVersion;
    const newer = (await deps.lambda(home()).listVersions(FN))
      .map((v) => v.version)
      .find((v) => v !== "$LATEST" && v !== stable) as string;
    clock += MINUTE;
    const plan = await startPlan(deps, operator, {
      region: REGION,
      functionName: FN,
      alias: "live",
      newVersion: newer,
      kind: "canary",
      stepPercent: 10,
      stepSeconds: 600,
      maxErrorRateIncreasePercent: 5,
      maxP99Ratio: null,
      minInvocations: 20,
    });
    const opts = { owner: "test", leaseMs: 5 * MINUTE };
    expect(await tickPlans(deps, opts)).toEqual([plan.id]);
    expect((await cliAlias()).RoutingConfig?.AdditionalVersionWeights).toEqual({ [newer]: 0.1 });

    // The console restarts without the region; any AWS call of a manual change would throw here.
    const removed: TrafficDeps = { ...deps, regions: ["eu-west-1"] };
    const noAws: TrafficDeps = {
      ...removed,
      lambda: () => {
        throw new Error("a refused change made an AWS call");
      },
    };
    const current = await cliAlias();
    const refused = await shiftAliasTraffic(noAws, operator, {
      region: REGION,
      functionName: FN,
      alias: "live",
      primaryVersion: stable,
      additionalVersion: newer,
      weightPercent: 50,
      revisionId: current.RevisionId,
    }).catch((e: unknown) => e);
    expect(isFleetscopeError(refused) && refused.code).toBe("InvalidInput");
    expect(isFleetscopeError(refused) && refused.details?.reason).toBe("region-not-configured");
    const newPlan = await startPlan(noAws, operator, {
      region: REGION,
      functionName: "user-profile",
      alias: "live",
      newVersion: "5",
      kind: "canary",
      stepPercent: 10,
      stepSeconds: 600,
    }).catch((e: unknown) => e);
    expect(isFleetscopeError(newPlan) && newPlan.details?.reason).toBe("region-not-configured");

    clock += MINUTE;
    expect(await tickPlans(removed, opts)).toEqual([plan.id]);
    const after = await cliAlias();
    expect(after.FunctionVersion).toBe(stable);
    expect(after.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    const stored = await deps.store.plans.get(plan.id);
    expect(stored?.state.status).toBe("rolled_back");
    expect(stored?.state.reason).toContain(UNCONFIGURED_REGION_REASON);
    const last = (await deps.store.audit.list({ planId: plan.id, limit: 1 }))[0];
    expect(`${last?.action}:${last?.outcome}`).toBe("plan.rollback:applied");
  });
});
