/**
 * The STS and Organizations adapters against a multi-account sandbox over HTTP, through the process's own
 * clients (clients.ts → clientConfig, configured by AWS_ENDPOINT_URL as in the demo): who the console is at home
 * and through a role, the external ID and session name reaching AssumeRole, a denying role named in an error
 * the user can act on, and every page of the organization's accounts. The sandbox implements STS and
 * Organizations independently, so agreement checks our reading of the AWS APIs.
 */
import { OrganizationsClient, ListAccountsCommand } from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig } from "@/lib/aws/client-config";
import { credentialsFor } from "@/lib/aws/credentials";
import { toFleetscopeError } from "@/lib/aws/errors";
import { listOrganizationAccounts } from "@/lib/aws/organizations";
import { getCallerIdentity } from "@/lib/aws/sts";
import { parseEnv } from "@/lib/config/env-schema";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import { isFleetscopeError } from "@/lib/core/errors";
import { startSandbox, type Sandbox } from "@fleetscope/sandbox";

const REGION = "us-east-1";
const EXTERNAL_ID = "fleetscope-test-external-id";
const SESSION = "fleetscope-it";
/** More than one ListAccounts page (20). */
const ACCOUNTS = 23;

let sb: Sandbox;
let plain: Sandbox;
const saved: Record<string, string | undefined> = {};

const idOf = (i: number) => parseAccountId(sb.accounts[i]?.accountId ?? "");
const target = (i: number, overrides: Partial<AccountTarget> = {}): AccountTarget => ({
  id: idOf(i),
  name: null,
  source: "role",
  roleArn: `arn:aws:iam::${idOf(i)}:role/fleetscope`,
  externalId: null,
  telemetry: "direct",
  ...overrides,
});

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

const assumeRoles = () => sb.stats()["sts.AssumeRole"] ?? 0;

beforeAll(async () => {
  sb = await startSandbox({
    port: 0,
    seed: 17,
    regions: [REGION],
    functionsPerRegion: 3,
    now: () => Date.now(),
    accounts: Array.from({ length: ACCOUNTS }, (_, i) => ({
      name: i === 0 ? "management" : `member-${i}`,
      roles:
        i === 1
          ? [{ name: "fleetscope", externalId: EXTERNAL_ID }]
          : i === 2
            ? [{ name: "fleetscope", deny: true }]
            : [{ name: "fleetscope" }, { name: "OrganizationAccountAccessRole" }],
    })),
  });
  plain = await startSandbox({ port: 0, seed: 17, regions: [REGION], functionsPerRegion: 3 });
  // The env is read once per process (lib/config/env.ts): set it before the first client is built.
  const env = {
    AWS_ENDPOINT_URL: sb.url,
    FLEETSCOPE_REGIONS: REGION,
    FLEETSCOPE_AWS_MAX_ATTEMPTS: "1",
    FLEETSCOPE_ROLE_SESSION_NAME: SESSION,
  };
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await sb?.close();
  await plain?.close();
});

describe("getCallerIdentity", () => {
  it("is the console's own user in the management account at home", async () => {
    expect(await getCallerIdentity(null)).toEqual({
      accountId: idOf(0),
      arn: `arn:aws:iam::${idOf(0)}:user/fleetscope-sandbox`,
    });
  });

  it("is the home identity for a target without a role too", async () => {
    const home = target(0, { source: "home", roleArn: null });
    expect((await getCallerIdentity(home)).arn).toBe(`arn:aws:iam::${idOf(0)}:user/fleetscope-sandbox`);
  });

  it("acts as the assumed role, with the configured session name, in a member account", async () => {
    expect(await getCallerIdentity(target(3))).toEqual({
      accountId: idOf(3),
      arn: `arn:aws:sts::${idOf(3)}:assumed-role/fleetscope/${SESSION}`,
    });
  });

  it("passes the external ID through: the role that requires it is assumed only with it", async () => {
    const before = assumeRoles();
    const withId = await getCallerIdentity(target(1, { externalId: EXTERNAL_ID }));
    expect(withId.accountId).toBe(idOf(1));
    expect(assumeRoles()).toBe(before + 1);
    for (const externalId of [null, "some-other-external-id"]) {
      const e = await failure(getCallerIdentity(target(1, { externalId })));
      expect(isFleetscopeError(e) && e.code).toBe("AccessDenied");
    }
  });

  it("fails AccessDenied naming the role and what to check when the role denies", async () => {
    const role = `arn:aws:iam::${idOf(2)}:role/fleetscope`;
    const e = await failure(getCallerIdentity(target(2)));
    expect(isFleetscopeError(e) && e.code).toBe("AccessDenied");
    expect((e as Error).message).toMatch(
      new RegExp(
        `^Fleetscope could not assume ${role}: AccessDenied — check the role's trust policy and FLEETSCOPE_ROLE_EXTERNAL_ID`,
      ),
    );
    // AWS's own words stay in the message, for support.
    expect((e as Error).message).toContain(
      `is not authorized to perform: sts:AssumeRole on resource: ${role}`,
    );
    expect(isFleetscopeError(e) && e.details).toMatchObject({ awsCode: "AccessDenied", roleArn: role });
  });

  it("fails InvalidInput for a role ARN STS refuses as malformed", async () => {
    const e = await failure(getCallerIdentity(target(4, { roleArn: "arn:aws:iam::12345:role/fleetscope" })));
    expect(isFleetscopeError(e) && e.code).toBe("InvalidInput");
    expect((e as Error).message).toMatch(
      /^Fleetscope could not assume arn:aws:iam::12345:role\/fleetscope: ValidationError/,
    );
  });
});

describe("listOrganizationAccounts", () => {
  it("lists every account over several pages, with names and states", async () => {
    sb.resetStats();
    const accounts = await listOrganizationAccounts();
    expect(accounts.map((a) => a.id).sort()).toEqual(sb.accounts.map((a) => a.accountId).sort());
    expect(accounts).toHaveLength(ACCOUNTS);
    const names = new Map(accounts.map((a) => [a.id, a.name]));
    expect(names.get(idOf(0))).toBe("management");
    expect(names.get(idOf(22))).toBe("member-22");
    expect(accounts.every((a) => a.status === "ACTIVE" && a.email.includes("@"))).toBe(true);
    expect(sb.stats()["organizations.ListAccounts"]).toBe(Math.ceil(ACCOUNTS / 20));
  });

  it("follows NextToken with small pages too", async () => {
    sb.resetStats();
    const accounts = await listOrganizationAccounts({ pageSize: 5 });
    expect(new Set(accounts.map((a) => a.id)).size).toBe(ACCOUNTS);
    expect(sb.stats()["organizations.ListAccounts"]).toBe(Math.ceil(ACCOUNTS / 5));
  });

  it("maps a member account's AccessDeniedException to AccessDenied", async () => {
    const member = credentialsFor(target(3));
    if (!member) throw new Error("expected a role provider");
    const client = new OrganizationsClient({
      ...clientConfig("us-east-1", parseEnv({ AWS_ENDPOINT_URL: sb.url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" })),
      credentials: member,
    });
    try {
      const e = toFleetscopeError(
        await failure(client.send(new ListAccountsCommand({}))),
        "Organizations ListAccounts",
      );
      expect([e.code, e.details?.awsCode]).toEqual(["AccessDenied", "AccessDeniedException"]);
    } finally {
      client.destroy();
    }
  });

  it("maps AWSOrganizationsNotInUseException to InvalidInput saying the account is in no organization", async () => {
    const client = new OrganizationsClient(
      clientConfig("us-east-1", parseEnv({ AWS_ENDPOINT_URL: plain.url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" })),
    );
    try {
      const e = toFleetscopeError(
        await failure(client.send(new ListAccountsCommand({}))),
        "Organizations ListAccounts",
      );
      expect(e.code).toBe("InvalidInput");
      expect(e.message).toMatch(/AWSOrganizationsNotInUseException.*this account is not in an organization/);
    } finally {
      client.destroy();
    }
  });
});
