/** STS through @aws-sdk/client-sts over HTTP: who the caller is, AssumeRole into the sandbox's accounts. */
import { GetAccountSettingsCommand, LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  type Credentials,
} from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/index";
import { BASE_CREDENTIALS, EXTERNAL_ID, MEMBER_2_KEY, threeAccountOptions } from "./accounts-fixture";
import { TEST_NOW } from "../support/sandbox";

const clock = { now: TEST_NOW };
let sb: Sandbox;
let ids: { management: string; member1: string; member2: string };

type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const sts = (credentials: Keys = BASE_CREDENTIALS) =>
  new STSClient({ endpoint: sb.url, region: "us-east-1", credentials, maxAttempts: 1 });
const lambda = (credentials: Keys) =>
  new LambdaClient({ endpoint: sb.url, region: "us-east-1", credentials, maxAttempts: 1 });
const keysOf = (c: Credentials | undefined): Keys => ({
  accessKeyId: c?.AccessKeyId ?? "",
  secretAccessKey: c?.SecretAccessKey ?? "",
  sessionToken: c?.SessionToken ?? "",
});
const roleArn = (account: string, role = "fleetscope") => `arn:aws:iam::${account}:role/${role}`;

/** The error an SDK call fails with: its name (the AWS code), HTTP status and message. */
async function failure(
  p: Promise<unknown>,
): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sb = await startSandbox(threeAccountOptions(clock));
  const [management, member1, member2] = sb.accounts.map((a) => a.accountId) as [string, string, string];
  ids = { management, member1, member2 };
});
afterAll(async () => {
  await sb.close();
});

describe("GetCallerIdentity", () => {
  it("names the management account's user for long-term keys", async () => {
    const me = await sts().send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(ids.management);
    expect(me.Arn).toBe(`arn:aws:iam::${ids.management}:user/fleetscope-sandbox`);
    expect(me.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
  });

  it("names the account an `accessKeys` entry maps its long-term key to", async () => {
    const me = await sts({ accessKeyId: MEMBER_2_KEY, secretAccessKey: "x" }).send(
      new GetCallerIdentityCommand({}),
    );
    expect(me.Account).toBe(ids.member2);
    expect(me.Arn).toBe(`arn:aws:iam::${ids.member2}:user/fleetscope-sandbox`);
  });

  it("names the assumed role and session for assumed credentials", async () => {
    const assumed = await sts().send(
      new AssumeRoleCommand({ RoleArn: roleArn(ids.member1), RoleSessionName: "console" }),
    );
    const me = await sts(keysOf(assumed.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(ids.member1);
    expect(me.Arn).toBe(`arn:aws:sts::${ids.member1}:assumed-role/fleetscope/console`);
    expect(me.UserId).toBe(assumed.AssumedRoleUser?.AssumedRoleId);
    expect(me.UserId).toMatch(/^AROA[A-Z0-9]{17}:console$/);
  });
});

describe("AssumeRole", () => {
  it("issues ASIA credentials that expire on the sandbox clock after DurationSeconds", async () => {
    const out = await sts().send(
      new AssumeRoleCommand({ RoleArn: roleArn(ids.member1), RoleSessionName: "s1", DurationSeconds: 1800 }),
    );
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toBeTruthy();
    expect(out.Credentials?.SessionToken).toBeTruthy();
    expect(out.Credentials?.Expiration?.getTime()).toBe(TEST_NOW + 1800_000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ids.member1}:assumed-role/fleetscope/s1`);
  });

  it("acts in the role's account: Lambda lists that account's functions and its concurrency limit", async () => {
    const out = await sts().send(
      new AssumeRoleCommand({ RoleArn: roleArn(ids.member1), RoleSessionName: "read" }),
    );
    const member = await lambda(keysOf(out.Credentials)).send(new ListFunctionsCommand({}));
    const own = await lambda(BASE_CREDENTIALS).send(new ListFunctionsCommand({}));
    expect(member.Functions).toHaveLength(6);
    expect(own.Functions).toHaveLength(5);
    for (const f of member.Functions ?? []) expect(f.FunctionArn).toContain(`:${ids.member1}:function:`);
    for (const f of own.Functions ?? []) expect(f.FunctionArn).toContain(`:${ids.management}:function:`);
    const settings = await lambda(keysOf(out.Credentials)).send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit?.ConcurrentExecutions).toBe(250);
    const home = await lambda(BASE_CREDENTIALS).send(new GetAccountSettingsCommand({}));
    expect(home.AccountLimit?.ConcurrentExecutions).toBe(1000);
  });

  it("chains roles: assumed credentials may assume a role in another account", async () => {
    const first = await sts().send(
      new AssumeRoleCommand({ RoleArn: roleArn(ids.member1), RoleSessionName: "first" }),
    );
    const second = await sts(keysOf(first.Credentials)).send(
      new AssumeRoleCommand({
        RoleArn: roleArn(ids.member2, "OrganizationAccountAccessRole"),
        RoleSessionName: "second",
      }),
    );
    const me = await sts(keysOf(second.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`arn:aws:sts::${ids.member2}:assumed-role/OrganizationAccountAccessRole/second`);
    const tooLong = await failure(
      sts(keysOf(first.Credentials)).send(
        new AssumeRoleCommand({
          RoleArn: roleArn(ids.member1, "long-sessions"),
          RoleSessionName: "third",
          DurationSeconds: 7200,
        }),
      ),
    );
    expect(tooLong.name).toBe("ValidationError");
    expect(tooLong.message).toMatch(/role chaining/);
  });

  it("refuses a denying role, an unknown role and an unknown account with AccessDenied naming both ARNs", async () => {
    for (const arn of [roleArn(ids.member2), roleArn(ids.member1, "nope"), roleArn("999999999999")]) {
      const err = await failure(sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "x1" })));
      expect(err.name).toBe("AccessDenied");
      expect(err.status).toBe(403);
      expect(err.message).toBe(
        `User: arn:aws:iam::${ids.management}:user/fleetscope-sandbox is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
      );
    }
  });

  it("requires the role's external id", async () => {
    const arn = roleArn(ids.member1, "audited");
    const missing = await failure(sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "x1" })));
    expect(missing.name).toBe("AccessDenied");
    const wrong = await failure(
      sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "x1", ExternalId: "other-id" })),
    );
    expect(wrong.name).toBe("AccessDenied");
    const ok = await sts().send(
      new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "x1", ExternalId: EXTERNAL_ID }),
    );
    expect(ok.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ids.member1}:assumed-role/audited/x1`);
  });

  it("validates the session name, the duration and the ARN with 400 ValidationError", async () => {
    const cases = [
      { RoleArn: roleArn(ids.member1), RoleSessionName: "has space" },
      { RoleArn: roleArn(ids.member1), RoleSessionName: "x" },
      { RoleArn: roleArn(ids.member1), RoleSessionName: "ok-name", DurationSeconds: 899 },
      { RoleArn: roleArn(ids.member1), RoleSessionName: "ok-name", DurationSeconds: 3601 },
      { RoleArn: "arn:aws:iam::12345:role/fleetscope", RoleSessionName: "ok-name" },
    ];
    const messages: string[] = [];
    for (const input of cases) {
      const err = await failure(sts().send(new AssumeRoleCommand(input)));
      expect(err.name, JSON.stringify(input)).toBe("ValidationError");
      expect(err.status).toBe(400);
      messages.push(err.message);
    }
    expect(messages[0]).toMatch(/'has space' at 'roleSessionName'/);
    expect(messages[2]).toMatch(/greater than or equal to 900/);
    expect(messages[3]).toMatch(/MaxSessionDuration/);
    expect(messages[4]).toMatch(/'roleArn'/);
  });
});

describe("temporary credentials", () => {
  it("expire on the sandbox clock: ExpiredTokenException after Expiration", async () => {
    const out = await sts().send(
      new AssumeRoleCommand({
        RoleArn: roleArn(ids.member1),
        RoleSessionName: "short",
        DurationSeconds: 900,
      }),
    );
    const client = lambda(keysOf(out.Credentials));
    await client.send(new ListFunctionsCommand({}));
    clock.now += 900_000;
    try {
      const err = await failure(client.send(new ListFunctionsCommand({})));
      expect(err.name).toBe("ExpiredTokenException");
      expect(err.message).toBe("The security token included in the request is expired");
      const viaSts = await failure(sts(keysOf(out.Credentials)).send(new GetCallerIdentityCommand({})));
      expect(viaSts.name).toBe("ExpiredTokenException");
    } finally {
      clock.now = TEST_NOW;
    }
  });

  it("refuses an ASIA key the sandbox never issued, or an issued key with another session token", async () => {
    const forged = { accessKeyId: "ASIAABCDEFGHIJKLMNOP", secretAccessKey: "x", sessionToken: "y" };
    const err = await failure(lambda(forged).send(new ListFunctionsCommand({})));
    expect(err.name).toBe("UnrecognizedClientException");
    expect(err.status).toBe(403);
    const out = await sts().send(
      new AssumeRoleCommand({ RoleArn: roleArn(ids.member1), RoleSessionName: "tok" }),
    );
    const wrongToken = { ...keysOf(out.Credentials), sessionToken: "not-the-token" };
    expect((await failure(lambda(wrongToken).send(new ListFunctionsCommand({})))).name).toBe(
      "UnrecognizedClientException",
    );
    expect((await failure(sts(forged).send(new GetCallerIdentityCommand({})))).name).toBe(
      "InvalidClientTokenId",
    );
  });
});
