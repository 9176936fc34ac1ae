/**
 * The traffic use-cases' deps (lib/data/traffic/deps.ts) wired to a sandbox over real HTTP: the console's own SDK
 * clients and ports for one region, one attempt per call (a fault shows at once), fast Logs Insights polls.
 * Per account: an account reached through a role signs with that role's session, as the console does
 * (credentialsFor: AssumeRole at the sandbox's STS); the home account with the sandbox's dummy keys.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { createAlarmPort } from "@/lib/aws/cloudwatch-alarms";
import { createCloudWatchPort } from "@/lib/aws/cloudwatch";
import { clientConfig, type ClientConfig } from "@/lib/aws/client-config";
import { createLambdaPort } from "@/lib/aws/lambda";
import { createLogsPort, DEFAULT_TIMING } from "@/lib/aws/logs";
import { credentialsFor } from "@/lib/aws/credentials";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { notFound } from "@/lib/core/errors";
import { parseEnv } from "@/lib/config/env-schema";
import type { TrafficDeps } from "@/lib/data/traffic/deps";
import { createStore, type Store } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";

/** SDK client settings as the console derives them from its env, for `endpoint`: one attempt unless `env` says. */
export const testClientConfig = (
  endpoint: string,
  region: string,
  env: Record<string, string> = {},
): ClientConfig =>
  clientConfig(region, parseEnv({ AWS_ENDPOINT_URL: endpoint, FLEETSCOPE_AWS_MAX_ATTEMPTS: "1", ...env }));

/** The console's own account, as a target (single-account sandboxes: pass `sandbox.account.accountId`). */
export const homeTarget = (id: string): AccountTarget => ({
  id: parseAccountId(id),
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
});

/** A member account reached through its `fleetscope` role, as FLEETSCOPE_ACCOUNT_ROLES would configure it. */
export const roleTarget = (
  id: string,
  name: string | null = null,
  roleName = "fleetscope",
): AccountTarget => ({
  id: parseAccountId(id),
  name,
  source: "role",
  roleArn: `arn:aws:iam::${id}:role/${roleName}`,
  externalId: null,
  telemetry: "direct",
});

/** The id the deps use for the sandbox's one account when the test names none (any 12 digits would do). */
export const DEFAULT_TEST_ACCOUNT = "000000000000";

export interface SandboxTrafficDepsOptions {
  now: () => number;
  /** The one region the clients sign for and the deps configure. */
  region: string;
  readOnly?: boolean;
  /** An in-memory store unless given (e.g. the console's own, to test what its start-up does). */
  store?: Store;
  /** The accounts the deps read, the default first; absent: one home account (DEFAULT_TEST_ACCOUNT). */
  accounts?: readonly AccountTarget[];
}

export interface SandboxTrafficDeps {
  deps: TrafficDeps;
  /** Closes the SDK clients' sockets; the store is left to whoever gave it. */
  destroy(): void;
}

export function sandboxTrafficDeps(endpoint: string, opts: SandboxTrafficDepsOptions): SandboxTrafficDeps {
  const { region } = opts;
  const settings = parseEnv({
    AWS_ENDPOINT_URL: endpoint,
    FLEETSCOPE_AWS_MAX_ATTEMPTS: "1",
    FLEETSCOPE_REGIONS: region,
  });
  const config = testClientConfig(endpoint, region);
  const accounts = opts.accounts ?? [homeTarget(DEFAULT_TEST_ACCOUNT)];
  const clients = new Map(
    accounts.map((target) => {
      const credentials = credentialsFor(target, settings);
      const c = credentials ? { ...config, credentials } : config;
      return [
        target.id as string,
        { lambda: new LambdaClient(c), cw: new CloudWatchClient(c), logs: new CloudWatchLogsClient(c) },
      ] as const;
    }),
  );
  /** Like the console's deps: an account it does not read is refused, never served with another's clients. */
  const of = (scope: Scope) => {
    const c = clients.get(scope.account);
    if (!c) throw notFound(`Account ${scope.account} is not one these deps read.`);
    return c;
  };
  return {
    deps: {
      lambda: (s) => createLambdaPort(of(s).lambda, region),
      cloudwatch: (s) => createCloudWatchPort(of(s).cw, region),
      alarms: (s) => createAlarmPort(of(s).cw),
      logs: (s) => createLogsPort(of(s).logs, region, { ...DEFAULT_TIMING, firstPollMs: 20 }),
      store: opts.store ?? createStore(openDatabase(":memory:")),
      now: opts.now,
      regions: [region],
      accounts,
      readOnly: opts.readOnly ?? false,
    },
    destroy() {
      for (const c of clients.values()) for (const client of [c.lambda, c.cw, c.logs]) client.destroy();
    },
  };
}
