/**
 * Clients per account (clients.ts + credentials.ts) against a three-account sandbox over HTTP: a Lambda client
 * for a member account lists that account's functions through its role; a denying role fails every call with
 * AccessDenied naming the role; one role session serves every client of the account and is renewed inside the
 * SDK's refresh window, so calls keep working after the first session expires.
 *
 * The clock: the SDK decides when to renew from Date.now(), the sandbox decides expiry from its own clock. The
 * test fakes Date only (timers stay real, so HTTP and timeouts behave) and moves both clocks together.
 */
import { createServer, type Server, type Socket } from "node:net";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cloudWatchClient, lambdaClient } from "@/lib/aws/clients";
import { clientConfig } from "@/lib/aws/client-config";
import { credentialsFor, REFRESH_WINDOW_MS, SESSION_SECONDS } from "@/lib/aws/credentials";
import { toFleetscopeError } from "@/lib/aws/errors";
import { createLambdaPort } from "@/lib/aws/lambda";
import { createMetricListPort } from "@/lib/aws/cloudwatch-list-metrics";
import { parseEnv } from "@/lib/config/env-schema";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import { isFleetscopeError } from "@/lib/core/errors";
import { startSandbox, type Sandbox } from "@fleetscope/sandbox";

const REGION = "us-east-1";
const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);

let sb: Sandbox;
let clock = T0;
const saved: Record<string, string | undefined> = {};

const idOf = (i: number) => parseAccountId(sb.accounts[i]?.accountId ?? "");
const target = (i: number): AccountTarget => ({
  id: idOf(i),
  name: `member-${i}`,
  source: "role",
  roleArn: `arn:aws:iam::${idOf(i)}:role/fleetscope`,
  externalId: null,
  telemetry: "direct",
});
const functionNames = (i: number) =>
  [...(sb.accounts[i]?.regions.get(REGION)?.functions.keys() ?? [])].sort();
const assumeRoles = () => sb.stats()["sts.AssumeRole"] ?? 0;

/** Moves the console's clock (Date) and the sandbox's together. */
function setClock(ms: number) {
  clock = ms;
  vi.setSystemTime(ms);
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: T0 });
  sb = await startSandbox({
    port: 0,
    seed: 29,
    regions: [REGION],
    now: () => clock,
    accounts: [
      { name: "management", functionsPerRegion: 12 },
      { name: "member-1", functionsPerRegion: 7 },
      { name: "member-2", functionsPerRegion: 5, roles: [{ name: "fleetscope", deny: true }] },
    ],
  });
  // The env is read once per process (lib/config/env.ts): set it before the first client is built.
  const env = { AWS_ENDPOINT_URL: sb.url, FLEETSCOPE_REGIONS: REGION, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" };
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});

afterAll(async () => {
  vi.useRealTimers();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await sb?.close();
});

describe("clients per account", () => {
  it("uses the console's own credentials without a target or a role", () => {
    expect(credentialsFor(null)).toBeUndefined();
    expect(credentialsFor({ ...target(0), source: "home", roleArn: null })).toBeUndefined();
    expect(lambdaClient(REGION)).toBe(lambdaClient(REGION, null));
    expect(lambdaClient(REGION, { ...target(0), source: "home", roleArn: null })).toBe(lambdaClient(REGION));
  });

  it("keeps one client per service, account and region", () => {
    expect(lambdaClient(REGION, target(1))).toBe(lambdaClient(REGION, target(1)));
    expect(lambdaClient(REGION, target(1))).not.toBe(lambdaClient(REGION));
    expect(lambdaClient(REGION, target(1))).not.toBe(lambdaClient("eu-west-1", target(1)));
    expect(credentialsFor(target(1))).toBe(credentialsFor(target(1)));
  });

  it("lists the member account's functions through its role, not home's", async () => {
    sb.resetStats();
    const member = await createLambdaPort(lambdaClient(REGION, target(1)), REGION).listFunctions();
    const home = await createLambdaPort(lambdaClient(REGION), REGION).listFunctions();
    expect(member.map((f) => f.name).sort()).toEqual(functionNames(1));
    expect(home.map((f) => f.name).sort()).toEqual(functionNames(0));
    expect(member).toHaveLength(functionNames(1).length);
    expect(member.length).not.toBe(home.length);
    expect(member.every((f) => f.arn.includes(`:${idOf(1)}:function:`))).toBe(true);
    expect(sb.statsByAccount()[idOf(1)]?.["lambda.ListFunctions"]).toBeGreaterThan(0);
    expect(assumeRoles()).toBe(1);
  });

  it("shares one role session between the account's clients", async () => {
    sb.resetStats();
    await createMetricListPort(cloudWatchClient(REGION, target(1)), REGION).listSeries("Invocations", [
      "FunctionName",
    ]);
    await createLambdaPort(lambdaClient(REGION, target(1)), REGION).listFunctions();
    expect(sb.statsByAccount()[idOf(1)]?.["monitoring.ListMetrics"]).toBeGreaterThan(0);
    expect(assumeRoles()).toBe(0);
  });

  it("fails the denied account's calls with AccessDenied naming its role", async () => {
    const role = `arn:aws:iam::${idOf(2)}:role/fleetscope`;
    const e = await failure(createLambdaPort(lambdaClient(REGION, target(2)), REGION).listFunctions());
    expect(isFleetscopeError(e) && e.code).toBe("AccessDenied");
    expect((e as Error).message).toContain(`Fleetscope could not assume ${role}: AccessDenied`);
    expect(sb.statsByAccount()[idOf(2)]?.["lambda.ListFunctions"]).toBeUndefined();
  });

  it("renews the session inside the SDK's refresh window and keeps working past the first expiry", async () => {
    const provider = credentialsFor(target(1));
    if (!provider) throw new Error("expected a role provider");
    const port = createLambdaPort(lambdaClient(REGION, target(1)), REGION);
    const first = await provider();
    expect(first.expiration?.getTime()).toBe(T0 + SESSION_SECONDS * 1000);
    sb.resetStats();

    // Just outside the window: the cached session still serves.
    setClock(T0 + SESSION_SECONDS * 1000 - REFRESH_WINDOW_MS - 1000);
    await port.listFunctions();
    expect(assumeRoles()).toBe(0);

    // Inside the window: one new AssumeRole, and the call succeeds with the new session.
    const renewedAt = T0 + SESSION_SECONDS * 1000 - REFRESH_WINDOW_MS + 1000;
    setClock(renewedAt);
    expect((await port.listFunctions()).map((f) => f.name).sort()).toEqual(functionNames(1));
    expect(assumeRoles()).toBe(1);
    const second = await provider();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(second.expiration?.getTime()).toBe(renewedAt + SESSION_SECONDS * 1000);

    // Past the first session's expiry: it is refused, the renewed one keeps working without another AssumeRole.
    setClock(T0 + SESSION_SECONDS * 1000 + 60_000);
    const stale = new LambdaClient({
      ...clientConfig(REGION, parseEnv({ AWS_ENDPOINT_URL: sb.url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" })),
      credentials: first,
    });
    const staleSts = new STSClient({
      ...clientConfig(REGION, parseEnv({ AWS_ENDPOINT_URL: sb.url, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1" })),
      credentials: first,
    });
    try {
      const e = await failure(createLambdaPort(stale, REGION).listFunctions());
      expect(isFleetscopeError(e) && e.details?.awsCode).toBe("ExpiredTokenException");
      // To STS an expired session means the account cannot be reached until it is renewed: AccessDenied.
      const sts = toFleetscopeError(
        await failure(staleSts.send(new GetCallerIdentityCommand({}))),
        "STS GetCallerIdentity",
      );
      expect([sts.code, sts.details?.awsCode]).toEqual(["AccessDenied", "ExpiredTokenException"]);
      expect(sts.message).toContain("the security token has expired");
    } finally {
      stale.destroy();
      staleSts.destroy();
    }
    expect(await port.listFunctions()).toHaveLength(functionNames(1).length);
    expect(assumeRoles()).toBe(1);
  });
});

describe("AssumeRole against an endpoint that never answers", () => {
  let server: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.push(socket);
      socket.on("error", () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("is bounded by the client's request timeout and names the role", async () => {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const settings = parseEnv({
      AWS_ENDPOINT_URL: `http://127.0.0.1:${address.port}`,
      FLEETSCOPE_AWS_MAX_ATTEMPTS: "1",
      FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS: "300",
    });
    const role = "arn:aws:iam::999999999999:role/hung";
    const provider = credentialsFor(
      { ...target(1), id: parseAccountId("999999999999"), roleArn: role },
      settings,
    );
    const e = await failure(provider?.() ?? Promise.resolve());
    expect(isFleetscopeError(e) && e.code).toBe("Timeout");
    expect((e as Error).message).toMatch(new RegExp(`^Fleetscope could not assume ${role}: TimeoutError`));
    expect((e as Error).message).toContain("300");
  });
});
