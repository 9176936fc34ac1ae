/**
 * The aws CLI (botocore, an independent client) against a three-account sandbox: STS, Organizations, and Lambda
 * under credentials from `aws sts assume-role`, exported as the CLI's environment variables.
 */
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/index";
import { TEST_NOW } from "../support/sandbox";
import { threeAccountOptions } from "./accounts-fixture";

type Result = { ok: true; json: unknown } | { ok: false; stderr: string; errorCode: string | null };

let sb: Sandbox;

/** Runs `aws` with dummy base keys, or with the given (temporary) credentials; never through a shell. */
function aws(args: string[], credentials?: Record<string, string>): Promise<Result> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "fleetscope",
    AWS_SECRET_ACCESS_KEY: "sandbox",
    AWS_REGION: "us-east-1",
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PROFILE: undefined,
    AWS_SESSION_TOKEN: undefined,
    ...credentials,
  };
  const full = ["--endpoint-url", sb.url, "--region", "us-east-1", "--output", "json", ...args];
  return new Promise((resolve) => {
    execFile("aws", full, { env, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err)
        resolve({ ok: false, stderr, errorCode: /An error occurred \(([\w.]+)\)/.exec(stderr)?.[1] ?? null });
      else resolve({ ok: true, json: stdout.trim() ? (JSON.parse(stdout) as unknown) : null });
    });
  });
}

async function ok<T>(args: string[], credentials?: Record<string, string>): Promise<T> {
  const r = await aws(args, credentials);
  if (!r.ok) throw new Error(`aws ${args.join(" ")} failed: ${r.stderr}`);
  return r.json as T;
}

interface AssumeRoleOutput {
  Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
  AssumedRoleUser: { Arn: string; AssumedRoleId: string };
}

/** `aws sts assume-role`, its output turned into the environment a shell would export. */
async function assume(accountId: string, role = "fleetscope"): Promise<Record<string, string>> {
  const out = await ok<AssumeRoleOutput>([
    "sts",
    "assume-role",
    "--role-arn",
    `arn:aws:iam::${accountId}:role/${role}`,
    "--role-session-name",
    "cli-session",
  ]);
  expect(out.Credentials.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
  expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${accountId}:assumed-role/${role}/cli-session`);
  return {
    AWS_ACCESS_KEY_ID: out.Credentials.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: out.Credentials.SecretAccessKey,
    AWS_SESSION_TOKEN: out.Credentials.SessionToken,
  };
}

beforeAll(async () => {
  sb = await startSandbox(threeAccountOptions());
});
afterAll(async () => {
  await sb.close();
});

describe("multi-account sandbox via aws CLI", () => {
  it("get-caller-identity names the base user, then the assumed role", async () => {
    const base = await ok<{ Account: string; Arn: string }>(["sts", "get-caller-identity"]);
    expect(base.Account).toBe(sb.account.accountId);
    expect(base.Arn).toBe(`arn:aws:iam::${sb.account.accountId}:user/fleetscope-sandbox`);
    const member = sb.accounts[1]?.accountId ?? "";
    const assumed = await ok<{ Account: string; Arn: string }>(
      ["sts", "get-caller-identity"],
      await assume(member),
    );
    expect(assumed.Account).toBe(member);
    expect(assumed.Arn).toBe(`arn:aws:sts::${member}:assumed-role/fleetscope/cli-session`);
  });

  it("lambda list-functions and get-account-settings answer for the assumed account", async () => {
    const member = sb.accounts[1]?.accountId ?? "";
    const env = await assume(member);
    const fns = await ok<{ Functions: { FunctionArn: string }[] }>(["lambda", "list-functions"], env);
    expect(fns.Functions).toHaveLength(6);
    for (const f of fns.Functions) expect(f.FunctionArn).toContain(`:${member}:function:`);
    const home = await ok<{ Functions: { FunctionArn: string }[] }>(["lambda", "list-functions"]);
    expect(home.Functions).toHaveLength(5);
    expect(home.Functions[0]?.FunctionArn).toContain(`:${sb.account.accountId}:function:`);
    const settings = await ok<{ AccountLimit: { ConcurrentExecutions: number } }>(
      ["lambda", "get-account-settings"],
      env,
    );
    expect(settings.AccountLimit.ConcurrentExecutions).toBe(250);
  });

  it("assume-role into a denying role fails with AccessDenied", async () => {
    const r = await aws([
      "sts",
      "assume-role",
      "--role-arn",
      `arn:aws:iam::${sb.accounts[2]?.accountId ?? ""}:role/fleetscope`,
      "--role-session-name",
      "cli-session",
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errorCode).toBe("AccessDenied");
  });

  it("organizations list-accounts pages through every account; a member is refused", async () => {
    const all = await ok<{ Accounts: { Id: string; Name: string; JoinedTimestamp: number }[] }>([
      "organizations",
      "list-accounts",
      "--page-size",
      "1",
    ]);
    expect(all.Accounts.map((a) => a.Id)).toEqual(sb.accounts.map((a) => a.accountId));
    expect(all.Accounts.map((a) => a.Name)).toEqual(["management", "member-1", "member-2"]);
    // aws CLI v1 prints timestamps as they came on the wire: awsJson epoch seconds.
    for (const a of all.Accounts) expect(a.JoinedTimestamp).toBeLessThan(TEST_NOW / 1000);
    const r = await aws(["organizations", "list-accounts"], await assume(sb.accounts[1]?.accountId ?? ""));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errorCode).toBe("AccessDeniedException");
  });

  it("counts requests per account in /_sandbox/stats?by=account", async () => {
    sb.resetStats();
    const member = sb.accounts[1]?.accountId ?? "";
    const env = await assume(member);
    await ok(["lambda", "list-functions"], env);
    await ok(["lambda", "list-functions"], env);
    await ok(["lambda", "list-functions"]);
    const byAccount = (await (await fetch(`${sb.url}/_sandbox/stats?by=account`)).json()) as Record<
      string,
      Record<string, number>
    >;
    expect(byAccount).toEqual(sb.statsByAccount());
    expect(byAccount[member]).toEqual({ "lambda.ListFunctions": 2 });
    expect(byAccount[sb.account.accountId]).toEqual({ "sts.AssumeRole": 1, "lambda.ListFunctions": 1 });
    const totals = (await (await fetch(`${sb.url}/_sandbox/stats`)).json()) as Record<string, number>;
    expect(totals).toEqual({ "sts.AssumeRole": 1, "lambda.ListFunctions": 3 });
    const health = (await (await fetch(`${sb.url}/_sandbox/health`)).json()) as {
      accounts: { accountId: string; name: string; functions: number }[];
    };
    expect(health.accounts).toEqual([
      { accountId: sb.account.accountId, name: "management", functions: 5 },
      { accountId: member, name: "member-1", functions: 6 },
      { accountId: sb.accounts[2]?.accountId, name: "member-2", functions: 5 },
    ]);
  });
});
