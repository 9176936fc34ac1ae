/**
 * The console's own traffic wiring across accounts (lib/data/traffic/default-deps.ts: accountTargets(), then
 * lambdaFor(region, target) with the role's session from lib/aws/credentials.ts), configured by its env the way
 * an operator would (FLEETSCOPE_ORGANIZATION_ROLE_NAME), against a sandbox organization whose member-2 refuses
 * the role, with a real SQLite store in a temp directory. The alias API route is called as Next would call it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as aliasRoute } from "@/app/api/traffic/alias/route";
import { GET as auditRoute } from "@/app/api/traffic/audit/route";
import type { Principal } from "@/lib/auth/principal";
import { isFleetscopeError } from "@/lib/core/errors";
import { shiftAliasTraffic } from "@/lib/data/traffic/changes";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import type { Sandbox } from "@fleetscope/sandbox";
import { startTestSandbox, TEST_SEED } from "@fleetscope/sandbox/testing/sandbox";

const operator: Principal = { id: "local-operator", name: "local-operator", role: "operator", via: "token" };
const REGION = "us-east-1";
const MEMBER = "222222222222";
const DENYING = "333333333333";
const dir = mkdtempSync(path.join(tmpdir(), "fleetscope-traffic-accounts-"));
const ENV = {
  FLEETSCOPE_REGIONS: REGION,
  FLEETSCOPE_AWS_MAX_ATTEMPTS: "1",
  FLEETSCOPE_ORGANIZATION_ROLE_NAME: "fleetscope",
  FLEETSCOPE_DATABASE_URL: `file:${path.join(dir, "fleetscope.db")}`,
  FLEETSCOPE_READ_ONLY: "false",
  AWS_ACCESS_KEY_ID: "",
  AWS_SECRET_ACCESS_KEY: "",
  AWS_SESSION_TOKEN: "",
  AWS_PROFILE: "",
};
const saved = Object.fromEntries(
  [...Object.keys(ENV), "AWS_ENDPOINT_URL"].map((k) => [k, process.env[k]] as const),
);

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox({
    // STS stamps Expiration on the sandbox clock and the SDK renews against the real one: they must agree.
    now: () => Date.now(),
    regions: [REGION],
    accounts: [
      { name: "management" },
      { name: "member-1", id: MEMBER, seed: TEST_SEED },
      { name: "member-2", id: DENYING, seed: TEST_SEED, roles: [{ name: "fleetscope", deny: true }] },
    ],
  });
  // The adapters read the process's env once, on first use: this file's sandbox, no developer credentials.
  Object.assign(process.env, ENV, { AWS_ENDPOINT_URL: sandbox.url });
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

function heldAlias(account: string, fn: string, alias: string) {
  const held = sandbox
    .ctxFor(account)
    ?.account.regions.get(REGION)
    ?.functions.get(fn)
    ?.aliases.find((a) => a.name === alias);
  const now = held?.history.at(-1);
  if (!held || !now) throw new Error(`${fn}:${alias} is not in account ${account}`);
  return { revisionId: held.revisionId, functionVersion: now.functionVersion, additional: now.additional };
}

const get = (url: string) => new Request(`http://127.0.0.1:3000${url}`);

describe("the console's traffic deps across accounts", () => {
  it("reads an alias in the account the URL names, through its role; absent, the console's own account", async () => {
    // Same fleet in both accounts; the member's alias is moved first so the two answers differ.
    const deps = await defaultTrafficDeps();
    expect(deps.accounts.map((t) => t.id)).toEqual([sandbox.account.accountId, MEMBER, DENYING]);
    const before = heldAlias(MEMBER, "orders-api", "live");
    await shiftAliasTraffic(deps, operator, {
      account: MEMBER,
      region: REGION,
      functionName: "orders-api",
      alias: "live",
      primaryVersion: before.functionVersion,
      additionalVersion: null,
      weightPercent: 0,
      revisionId: before.revisionId,
      reason: "console wiring",
    });
    const member = heldAlias(MEMBER, "orders-api", "live");
    expect(member.additional).toBeNull();
    const management = heldAlias(sandbox.account.accountId, "orders-api", "live");
    expect(management.revisionId).toBe(before.revisionId); // the same-named alias in management: untouched

    const read = async (query: string) => {
      const res = await aliasRoute(
        get(`/api/traffic/alias?region=${REGION}&function=orders-api&alias=live${query}`),
      );
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const viaRole = await read(`&account=${MEMBER}`);
    expect(viaRole.status).toBe(200);
    expect(viaRole.body).toMatchObject({
      account: MEMBER,
      roleArn: `arn:aws:iam::${MEMBER}:role/fleetscope`,
      alias: { revisionId: member.revisionId },
    });
    const byDefault = await read("");
    expect(byDefault.body).toMatchObject({
      account: sandbox.account.accountId,
      roleArn: null,
      alias: { revisionId: management.revisionId },
    });
    expect((await read(`&account=${DENYING}`)).status).toBe(403);
    expect((await read("&account=444444444444")).status).toBe(404);
    expect((await read("&account=nope")).status).toBe(400);

    const audit = await auditRoute(get(`/api/traffic/audit?account=${MEMBER}`));
    const { entries } = (await audit.json()) as { entries: { account: string; roleArn: string | null }[] };
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ account: MEMBER, roleArn: `arn:aws:iam::${MEMBER}:role/fleetscope` });
  });

  it("refuses a change in the denying account with AccessDenied and changes nothing there", async () => {
    const deps = await defaultTrafficDeps();
    const held = heldAlias(DENYING, "orders-api", "live");
    const err = await shiftAliasTraffic(deps, operator, {
      account: DENYING,
      region: REGION,
      functionName: "orders-api",
      alias: "live",
      primaryVersion: held.functionVersion,
      additionalVersion: null,
      weightPercent: 0,
      revisionId: held.revisionId,
      reason: "should not happen",
    }).catch((e: unknown) => e);
    expect(isFleetscopeError(err) && err.code).toBe("AccessDenied");
    expect(heldAlias(DENYING, "orders-api", "live")).toEqual(held);
    const [entry] = await deps.store.audit.list({ account: DENYING, limit: 1 });
    expect(entry).toMatchObject({ account: DENYING, outcome: "failed", action: "shift" });
  });
});
