/**
 * SDK clients: one per (service, account, region) for the life of the process, so connection pools and the
 * adaptive retry's token bucket are shared by every request to that account and region (the rate limiter only
 * works if it sees all the traffic, and AWS throttles per account and region). Endpoint and retry settings come
 * from the validated env; an account reached through a role signs with that role's session (./credentials).
 * Without an account (or with the home target) a client uses the console's own credentials, as before.
 */
import "server-only";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import { XRayClient } from "@aws-sdk/client-xray";
import { env, type Env } from "@/lib/config/env";
import type { AccountTarget } from "@/lib/core/accounts/target";
import { clientConfig, type ClientConfig } from "./client-config";
import { credentialsFor } from "./credentials";

export { clientConfig, type ClientConfig } from "./client-config";

/**
 * SQS sends each call to its QueueUrl's host by default (`useQueueUrlAsEndpoint`); with an endpoint configured
 * (the sandbox, a proxy) every call must go to that endpoint instead.
 */
export const newSqsClient = (c: ClientConfig) =>
  new SQSClient({ ...c, useQueueUrlAsEndpoint: c.endpoint === undefined });

const factories = {
  lambda: (c: ClientConfig) => new LambdaClient(c),
  cloudwatch: (c: ClientConfig) => new CloudWatchClient(c),
  logs: (c: ClientConfig) => new CloudWatchLogsClient(c),
  xray: (c: ClientConfig) => new XRayClient(c),
  sqs: newSqsClient,
  sts: (c: ClientConfig) => new STSClient(c),
  organizations: (c: ClientConfig) => new OrganizationsClient(c),
};
type Service = keyof typeof factories;
type ClientOf<S extends Service> = ReturnType<(typeof factories)[S]>;

const clients = new Map<string, unknown>();

/** "home" for the console's own credentials; else the account and the role (and external ID) that reach it. */
const accountKey = (account: AccountTarget | null): string =>
  account === null || account.roleArn === null
    ? "home"
    : `${account.id}:${account.roleArn}:${account.externalId ?? ""}`;

function clientFor<S extends Service>(
  service: S,
  region: string,
  account: AccountTarget | null = null,
  settings: Env = env(),
): ClientOf<S> {
  const key = `${service}:${accountKey(account)}:${region}`;
  let client = clients.get(key) as ClientOf<S> | undefined;
  if (!client) {
    const credentials = credentialsFor(account, settings);
    const config = clientConfig(region, settings);
    client = factories[service](credentials ? { ...config, credentials } : config) as ClientOf<S>;
    clients.set(key, client);
  }
  return client;
}

export const lambdaClient = (region: string, account?: AccountTarget | null) =>
  clientFor("lambda", region, account);
export const cloudWatchClient = (region: string, account?: AccountTarget | null) =>
  clientFor("cloudwatch", region, account);
export const logsClient = (region: string, account?: AccountTarget | null) =>
  clientFor("logs", region, account);
export const xrayClient = (region: string, account?: AccountTarget | null) =>
  clientFor("xray", region, account);
export const sqsClient = (region: string, account?: AccountTarget | null) =>
  clientFor("sqs", region, account);
export const stsClient = (region: string, account?: AccountTarget | null) =>
  clientFor("sts", region, account);
export const organizationsClient = (region: string, account?: AccountTarget | null) =>
  clientFor("organizations", region, account);
