/**
 * The traffic use-cases' deps (lib/data/traffic/deps.ts) wired to a sandbox over real HTTP: the console's own SDK
 * clients and ports for one region, one attempt per call (a fault shows at once), fast Logs Insights polls.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { createAlarmPort } from "@/lib/aws/cloudwatch-alarms";
import { createCloudWatchPort } from "@/lib/aws/cloudwatch";
import { clientConfig, type ClientConfig } from "@/lib/aws/client-config";
import { createLambdaPort } from "@/lib/aws/lambda";
import { createLogsPort, DEFAULT_TIMING } from "@/lib/aws/logs";
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

export interface SandboxTrafficDepsOptions {
  now: () => number;
  /** The one region the clients sign for and the deps configure. */
  region: string;
  readOnly?: boolean;
  /** An in-memory store unless given (e.g. the console's own, to test what its start-up does). */
  store?: Store;
}

export interface SandboxTrafficDeps {
  deps: TrafficDeps;
  /** Closes the SDK clients' sockets; the store is left to whoever gave it. */
  destroy(): void;
}

export function sandboxTrafficDeps(endpoint: string, opts: SandboxTrafficDepsOptions): SandboxTrafficDeps {
  const { region } = opts;
  const config = testClientConfig(endpoint, region);
  const lambda = new LambdaClient(config);
  const cw = new CloudWatchClient(config);
  const logs = new CloudWatchLogsClient(config);
  return {
    deps: {
      lambda: () => createLambdaPort(lambda, region),
      cloudwatch: () => createCloudWatchPort(cw, region),
      alarms: () => createAlarmPort(cw),
      logs: () => createLogsPort(logs, region, { ...DEFAULT_TIMING, firstPollMs: 20 }),
      store: opts.store ?? createStore(openDatabase(":memory:")),
      now: opts.now,
      regions: [region],
      readOnly: opts.readOnly ?? false,
    },
    destroy() {
      for (const client of [lambda, cw, logs]) client.destroy();
    },
  };
}
