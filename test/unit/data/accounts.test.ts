/**
 * Account targets (lib/core/accounts/targets.ts) from a configuration and an Organizations listing, and the
 * account checks (lib/data/accounts.ts) over fake STS answers: per-account isolation, identity checks, caching and
 * bounded fan-out. The same checks through the real adapters and the sandbox: test/integration/accounts.test.ts.
 */
import { describe, expect, it } from "vitest";
import { parseAccountId, parseRoleArn, type AccountsConfig } from "@/lib/core/accounts";
import {
  organizationTargets,
  partitionOf,
  roleTargets,
  type OrganizationAccount,
} from "@/lib/core/accounts/targets";
import { FleetscopeError, isFleetscopeError } from "@/lib/core/errors";
import {
  CHECK_CONCURRENCY,
  createAccountChecks,
  statusLine,
  STATUS_TTL_MS,
  TARGETS_TTL_MS,
  type AccountChecksDeps,
} from "@/lib/data/accounts";

const HOME = parseAccountId("111111111111");
const CALLER = { accountId: HOME, arn: "arn:aws:iam::111111111111:user/console" };

const config = (over: Partial<AccountsConfig> = {}): AccountsConfig => ({
  mode: "single",
  roles: [],
  organizationRoleName: null,
  filter: { include: [], exclude: [] },
  externalId: null,
  sessionName: "fleetscope",
  monitoringAccount: false,
  ...over,
});

const LISTING: OrganizationAccount[] = [
  { id: "222222222222", name: "prod-eu", status: "ACTIVE" },
  { id: "111111111111", name: "management", status: "ACTIVE" },
  { id: "333333333333", name: "prod-us", status: "ACTIVE" },
  { id: "444444444444", name: "sandbox-old", status: "SUSPENDED" },
  { id: "555555555555", name: "staging", status: "PENDING_CLOSURE" },
  { id: "666666666666", name: "dev", status: "ACTIVE" },
];

const thrown = (fn: () => unknown): FleetscopeError => {
  try {
    fn();
  } catch (e) {
    if (isFleetscopeError(e)) return e;
    throw e;
  }
  throw new Error("did not throw");
};

describe("role targets (FLEETSCOPE_ACCOUNT_ROLES)", () => {
  const roles = [
    parseRoleArn("arn:aws:iam::222222222222:role/fleetscope"),
    parseRoleArn("arn:aws:iam::333333333333:role/ops/fleetscope-read"),
  ];

  it("makes one target per role ARN, in order, with the external id", () => {
    expect(roleTargets(config({ mode: "roles", roles, externalId: "ext-42" }))).toEqual([
      {
        id: "222222222222",
        name: null,
        source: "role",
        roleArn: "arn:aws:iam::222222222222:role/fleetscope",
        externalId: "ext-42",
        telemetry: "direct",
      },
      {
        id: "333333333333",
        name: null,
        source: "role",
        roleArn: "arn:aws:iam::333333333333:role/ops/fleetscope-read",
        externalId: "ext-42",
        telemetry: "direct",
      },
    ]);
  });

  it("reads telemetry in the monitoring account when one is configured", () => {
    const targets = roleTargets(config({ mode: "roles", roles, monitoringAccount: true }));
    expect(targets.map((t) => t.telemetry)).toEqual(["monitoring-account", "monitoring-account"]);
  });

  it("filters by account id, and says so when the filter leaves none", () => {
    const kept = roleTargets(
      config({ mode: "roles", roles, filter: { include: [], exclude: ["333333333333"] } }),
    );
    expect(kept.map((t) => t.id)).toEqual(["222222222222"]);
    const e = thrown(() =>
      roleTargets(config({ mode: "roles", roles, filter: { include: ["prod-*"], exclude: [] } })),
    );
    expect(e.code).toBe("InvalidInput");
    expect(e.message).toContain("FLEETSCOPE_ACCOUNTS_INCLUDE");
    expect(e.message).toContain("prod-*");
  });

  it("refuses two roles in one account", () => {
    const twice = [roles[0]!, parseRoleArn("arn:aws:iam::222222222222:role/other")];
    const e = thrown(() => roleTargets(config({ mode: "roles", roles: twice })));
    expect(e.message).toContain("222222222222");
  });
});

describe("organization targets (FLEETSCOPE_ORGANIZATION_ROLE_NAME)", () => {
  const org = (over: Partial<AccountsConfig> = {}) =>
    config({ mode: "organization", organizationRoleName: "fleetscope", ...over });

  it("reads ACTIVE accounts only, the caller's own first with its own credentials, the others through the role", () => {
    const targets = organizationTargets(org({ externalId: "x-1" }), CALLER, LISTING);
    expect(targets.map((t) => [t.id, t.name, t.source, t.roleArn])).toEqual([
      ["111111111111", "management", "home", null],
      ["222222222222", "prod-eu", "organization", "arn:aws:iam::222222222222:role/fleetscope"],
      ["333333333333", "prod-us", "organization", "arn:aws:iam::333333333333:role/fleetscope"],
      ["666666666666", "dev", "organization", "arn:aws:iam::666666666666:role/fleetscope"],
    ]);
    expect(targets[0]!.externalId).toBeNull();
    expect(targets.slice(1).every((t) => t.externalId === "x-1")).toBe(true);
  });

  it("builds role ARNs in the caller's partition", () => {
    const china = { accountId: HOME, arn: "arn:aws-cn:sts::111111111111:assumed-role/admin/me" };
    const targets = organizationTargets(org(), china, LISTING);
    expect(targets[1]!.roleArn).toBe("arn:aws-cn:iam::222222222222:role/fleetscope");
    expect(partitionOf("arn:aws-us-gov:iam::111111111111:user/x")).toBe("aws-us-gov");
    expect(thrown(() => partitionOf("not-an-arn")).code).toBe("InvalidInput");
  });

  it("applies include globs and ids, exclude winning", () => {
    const targets = organizationTargets(
      org({ filter: { include: ["prod-*", "111111111111"], exclude: ["*-us"] } }),
      CALLER,
      LISTING,
    );
    expect(targets.map((t) => t.id)).toEqual(["111111111111", "222222222222"]);
  });

  it("can leave the caller's own account out", () => {
    const targets = organizationTargets(
      org({ filter: { include: [], exclude: ["management"] } }),
      CALLER,
      LISTING,
    );
    expect(targets.map((t) => t.source)).toEqual(["organization", "organization", "organization"]);
  });

  it("marks every account but the monitoring (home) one as read through it", () => {
    const targets = organizationTargets(org({ monitoringAccount: true }), CALLER, LISTING);
    expect(targets.map((t) => t.telemetry)).toEqual([
      "direct",
      "monitoring-account",
      "monitoring-account",
      "monitoring-account",
    ]);
  });

  it("says when the filter selects nothing, and refuses an account id AWS would never send", () => {
    const none = thrown(() =>
      organizationTargets(org({ filter: { include: ["nope-*"], exclude: [] } }), CALLER, LISTING),
    );
    expect(none.message).toContain("none of the organization's 4 ACTIVE accounts");
    const bad = thrown(() =>
      organizationTargets(org(), CALLER, [{ id: "12345", name: "x", status: "ACTIVE" }]),
    );
    expect(bad.code).toBe("InvalidInput");
    expect(bad.message).toContain("12345");
  });
});

/** Fake STS: each role ARN answers as its assumed role, unless listed as denied. */
function fakeDeps(over: Partial<AccountChecksDeps> & { denied?: string[] } = {}) {
  const calls = { identity: 0, listing: 0, inFlight: 0, maxInFlight: 0 };
  const deps: AccountChecksDeps = {
    config: config(),
    async callerIdentity(account) {
      calls.identity++;
      calls.inFlight++;
      calls.maxInFlight = Math.max(calls.maxInFlight, calls.inFlight);
      await new Promise((r) => setTimeout(r, 1));
      calls.inFlight--;
      // As the adapter: no role means the console's own credentials.
      if (account === null || account.roleArn === null) return CALLER;
      if (over.denied?.includes(account.roleArn ?? ""))
        throw new FleetscopeError(
          "AccessDenied",
          `User: ${CALLER.arn} is not authorized to perform: sts:AssumeRole on resource: ${account.roleArn}`,
        );
      const role = parseRoleArn(account.roleArn!);
      return {
        accountId: role.accountId,
        arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/fleetscope`,
      };
    },
    async organizationAccounts() {
      calls.listing++;
      return LISTING;
    },
    ...over,
  };
  return { deps, calls };
}

describe("account checks", () => {
  const clock = () => 1_700_000_000_000;

  it("single mode: one home target whose id comes from GetCallerIdentity", async () => {
    const { deps } = fakeDeps();
    const statuses = await createAccountChecks(deps).statuses(clock);
    expect(statuses).toEqual([
      {
        target: {
          id: "111111111111",
          name: null,
          source: "home",
          roleArn: null,
          externalId: null,
          telemetry: "direct",
        },
        reachable: true,
        callerArn: CALLER.arn,
        error: null,
        checkedAt: 1_700_000_000_000,
      },
    ]);
  });

  it("one denied account is a row with a coded error naming it and its role; the others stay reachable", async () => {
    const denied = "arn:aws:iam::333333333333:role/fleetscope";
    const { deps } = fakeDeps({
      config: config({ mode: "organization", organizationRoleName: "fleetscope" }),
      denied: [denied],
    });
    const statuses = await createAccountChecks(deps).statuses(clock);
    expect(statuses.map((s) => [s.target.id, s.reachable])).toEqual([
      ["111111111111", true],
      ["222222222222", true],
      ["333333333333", false],
      ["666666666666", true],
    ]);
    const failed = statuses[2]!;
    expect(failed.error?.code).toBe("AccessDenied");
    expect(failed.error?.message).toContain("333333333333 (prod-us)");
    expect(failed.error?.message).toContain(denied);
    expect(failed.callerArn).toBeNull();
    expect(statusLine(statuses[1]!)).toBe(
      "account 222222222222 (prod-eu) via arn:aws:iam::222222222222:role/fleetscope: reachable as " +
        "arn:aws:sts::222222222222:assumed-role/fleetscope/fleetscope",
    );
    expect(statusLine(failed)).toBe(
      `account 333333333333 (prod-us) via ${denied}: unreachable: AccessDenied: User: ${CALLER.arn} ` +
        `is not authorized to perform: sts:AssumeRole on resource: ${denied}`,
    );
    expect(statusLine(statuses[0]!)).toBe(
      `account 111111111111 (management) via own credentials: reachable as ${CALLER.arn}`,
    );
  });

  it("an error whose text does not name the role gets the role from the check", async () => {
    const role = "arn:aws:iam::222222222222:role/fleetscope";
    const { deps } = fakeDeps({
      config: config({ mode: "roles", roles: [parseRoleArn(role)] }),
      callerIdentity: async () => {
        throw new FleetscopeError("Timeout", "STS GetCallerIdentity: no answer within 5000 ms");
      },
    });
    const [status] = await createAccountChecks(deps).statuses(clock);
    expect(status!.error).toEqual({
      code: "Timeout",
      message: `Account 222222222222 via ${role}: STS GetCallerIdentity: no answer within 5000 ms`,
    });
    expect(statusLine(status!)).toBe(
      `account 222222222222 via ${role}: unreachable: Timeout: STS GetCallerIdentity: no answer within 5000 ms`,
    );
  });

  it("credentials that act in another account are not a reachable account", async () => {
    const { deps } = fakeDeps({
      config: config({ mode: "roles", roles: [parseRoleArn("arn:aws:iam::222222222222:role/fleetscope")] }),
      callerIdentity: async () => CALLER,
    });
    const [status] = await createAccountChecks(deps).statuses(clock);
    expect(status!.reachable).toBe(false);
    expect(status!.error?.code).toBe("InvalidInput");
    expect(status!.error?.message).toContain("in account 111111111111, not in this account");
  });

  it("caches targets 10 minutes and statuses a minute; a failed discovery is not cached", async () => {
    let now = 0;
    let failListing = true;
    const { deps, calls } = fakeDeps({
      config: config({ mode: "organization", organizationRoleName: "fleetscope" }),
      cacheNow: () => now,
      organizationAccounts: async () => {
        calls.listing++;
        if (failListing)
          throw new FleetscopeError("AccessDenied", "You don't have permissions to access this resource.");
        return LISTING;
      },
    });
    const checks = createAccountChecks(deps);
    await expect(checks.statuses(clock)).rejects.toMatchObject({ code: "AccessDenied" });
    failListing = false;
    await checks.statuses(clock);
    expect(calls.listing).toBe(2);
    const identityCalls = calls.identity;
    await Promise.all([checks.statuses(clock), checks.statuses(clock)]);
    expect(calls.identity).toBe(identityCalls);
    now += STATUS_TTL_MS + 1;
    await checks.statuses(clock);
    expect(calls.identity).toBe(identityCalls + 4);
    expect(calls.listing).toBe(2);
    now += TARGETS_TTL_MS;
    await checks.targets();
    expect(calls.listing).toBe(3);
  });

  it("asks at most CHECK_CONCURRENCY accounts at once", async () => {
    const roles = Array.from({ length: 20 }, (_, i) =>
      parseRoleArn(`arn:aws:iam::${String(200000000000 + i)}:role/fleetscope`),
    );
    const { deps, calls } = fakeDeps({ config: config({ mode: "roles", roles }) });
    const statuses = await createAccountChecks(deps).statuses(clock);
    expect(statuses.filter((s) => s.reachable)).toHaveLength(20);
    expect(calls.maxInFlight).toBeGreaterThan(1);
    expect(calls.maxInFlight).toBeLessThanOrEqual(CHECK_CONCURRENCY);
  });
});
