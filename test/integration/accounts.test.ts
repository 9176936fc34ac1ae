/**
 * Account discovery and status (lib/data/accounts.ts) through the real adapters (lib/aws/sts.ts,
 * organizations.ts, credentials.ts: AssumeRole, GetCallerIdentity and ListAccounts over HTTP) against a sandbox
 * organization of three accounts whose third refuses the console's role. The console's own credentials are the
 * sandbox's dummy keys: the management account.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env-schema";
import type { AccountsConfig } from "@/lib/core/accounts";
import { getCallerIdentity } from "@/lib/aws/sts";
import { listOrganizationAccounts } from "@/lib/aws/organizations";
import {
  accountStatuses,
  createAccountChecks,
  logAccountCheck,
  type AccountStatus,
} from "@/lib/data/accounts";
import type { Sandbox } from "@fleetscope/sandbox";
import { startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";

let sandbox: Sandbox;
let ids: [string, string, string];
const clock = () => Date.now();
/** The adapters read the process's env (once, on first use): this file's sandbox, no developer credentials. */
const ENV = {
  FLEETSCOPE_REGIONS: "us-east-1",
  FLEETSCOPE_AWS_MAX_ATTEMPTS: "1",
  FLEETSCOPE_ORGANIZATION_ROLE_NAME: "fleetscope",
  AWS_ACCESS_KEY_ID: "",
  AWS_SECRET_ACCESS_KEY: "",
  AWS_SESSION_TOKEN: "",
  AWS_PROFILE: "",
};
const saved = Object.fromEntries(
  [...Object.keys(ENV), "AWS_ENDPOINT_URL"].map((k) => [k, process.env[k]] as const),
);

beforeAll(async () => {
  sandbox = await startTestSandbox({
    // STS stamps Expiration on the sandbox clock and the SDK renews against the real one: they must agree.
    now: () => Date.now(),
    regions: ["us-east-1"],
    functionsPerRegion: 2,
    accounts: [
      { name: "management" },
      { name: "member-1" },
      { name: "member-2", roles: [{ name: "fleetscope", deny: true }] },
    ],
  });
  ids = sandbox.accounts.map((a) => a.accountId) as [string, string, string];
  Object.assign(process.env, ENV, { AWS_ENDPOINT_URL: sandbox.url });
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await sandbox?.close();
});

/** The accounts configuration as the console parses it from these variables. */
const accountsFrom = (vars: Record<string, string>): AccountsConfig =>
  parseEnv({ AWS_ENDPOINT_URL: sandbox.url, FLEETSCOPE_REGIONS: "us-east-1", ...vars }).accounts;

const checksFor = (config: AccountsConfig) =>
  createAccountChecks({
    config,
    callerIdentity: getCallerIdentity,
    organizationAccounts: listOrganizationAccounts,
  });

const roleOf = (id: string) => `arn:aws:iam::${id}:role/fleetscope`;
const assumed = (id: string) => `arn:aws:sts::${id}:assumed-role/fleetscope/fleetscope`;
const summary = (statuses: AccountStatus[]) =>
  statuses.map((s) => ({ id: s.target.id, source: s.target.source, reachable: s.reachable }));

function expectDenied(status: AccountStatus | undefined, id: string) {
  expect(status?.reachable).toBe(false);
  expect(status?.callerArn).toBeNull();
  expect(status?.error?.code).toBe("AccessDenied");
  expect(status?.error?.message).toContain(roleOf(id));
  expect(status?.error?.message).toContain(id);
}

describe("roles mode (FLEETSCOPE_ACCOUNT_ROLES)", () => {
  it("reaches two accounts as their assumed roles; the third says AccessDenied and names its role", async () => {
    const config = accountsFrom({ FLEETSCOPE_ACCOUNT_ROLES: ids.map(roleOf).join(",") });
    const before = Date.now();
    const statuses = await checksFor(config).statuses(clock);
    expect(summary(statuses)).toEqual([
      { id: ids[0], source: "role", reachable: true },
      { id: ids[1], source: "role", reachable: true },
      { id: ids[2], source: "role", reachable: false },
    ]);
    expect(statuses[0]!.callerArn).toBe(assumed(ids[0]));
    expect(statuses[1]!.callerArn).toBe(assumed(ids[1]));
    expect(statuses.every((s) => s.checkedAt >= before && s.checkedAt <= Date.now())).toBe(true);
    expectDenied(statuses[2], ids[2]);
  });
});

describe("Organizations mode (FLEETSCOPE_ORGANIZATION_ROLE_NAME)", () => {
  it("discovers the organization: the management account on its own credentials, the members through the role", async () => {
    const statuses = await checksFor(
      accountsFrom({ FLEETSCOPE_ORGANIZATION_ROLE_NAME: "fleetscope" }),
    ).statuses(clock);
    expect(statuses.map((s) => [s.target.id, s.target.name, s.target.source, s.target.roleArn])).toEqual([
      [ids[0], "management", "home", null],
      [ids[1], "member-1", "organization", roleOf(ids[1])],
      [ids[2], "member-2", "organization", roleOf(ids[2])],
    ]);
    expect(statuses[0]!.callerArn).toBe(`arn:aws:iam::${ids[0]}:user/fleetscope-sandbox`);
    expect(statuses[1]!.callerArn).toBe(assumed(ids[1]));
    expectDenied(statuses[2], ids[2]);
    expect(statuses[2]!.error?.message).toContain("member-2");
  });

  it("applies include and exclude (ids and name globs; exclude wins)", async () => {
    const members = await checksFor(
      accountsFrom({
        FLEETSCOPE_ORGANIZATION_ROLE_NAME: "fleetscope",
        FLEETSCOPE_ACCOUNTS_INCLUDE: "member-*",
        FLEETSCOPE_ACCOUNTS_EXCLUDE: ids[2],
      }),
    ).targets();
    expect(members.map((t) => t.id)).toEqual([ids[1]]);

    const chosen = await checksFor(
      accountsFrom({
        FLEETSCOPE_ORGANIZATION_ROLE_NAME: "fleetscope",
        FLEETSCOPE_ACCOUNTS_INCLUDE: `management,${ids[2]}`,
      }),
    ).statuses(clock);
    expect(summary(chosen)).toEqual([
      { id: ids[0], source: "home", reachable: true },
      { id: ids[2], source: "organization", reachable: false },
    ]);

    await expect(
      checksFor(
        accountsFrom({
          FLEETSCOPE_ORGANIZATION_ROLE_NAME: "fleetscope",
          FLEETSCOPE_ACCOUNTS_INCLUDE: "prod-*",
        }),
      ).targets(),
    ).rejects.toMatchObject({ code: "InvalidInput", message: expect.stringContaining("prod-*") });
  });

  it("the console's own wiring (env) and the start-up log: one line per account", async () => {
    const statuses = await accountStatuses(clock);
    expect(summary(statuses).map((s) => s.reachable)).toEqual([true, true, false]);
    const lines: string[] = [];
    await logAccountCheck(clock, (line) => lines.push(line));
    expect(lines).toEqual([
      `account ${ids[0]} (management) via own credentials: reachable as arn:aws:iam::${ids[0]}:user/fleetscope-sandbox`,
      `account ${ids[1]} (member-1) via ${roleOf(ids[1])}: reachable as ${assumed(ids[1])}`,
      expect.stringMatching(
        new RegExp(
          `^account ${ids[2]} \\(member-2\\) via ${roleOf(ids[2])}: unreachable: AccessDenied: .*sts:AssumeRole`,
        ),
      ),
    ]);
  });
});

describe("single mode", () => {
  it("reads the console's own account, its id from GetCallerIdentity", async () => {
    const [status, ...rest] = await checksFor(accountsFrom({})).statuses(clock);
    expect(rest).toEqual([]);
    expect(status!.target).toMatchObject({ id: ids[0], source: "home", roleArn: null });
    expect(status!.reachable).toBe(true);
  });
});
