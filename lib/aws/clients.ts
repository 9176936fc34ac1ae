/**
 * SDK clients: one per (service, region) for the life of the process, so connection pools and the adaptive
 * retry's token bucket are shared by every request to that region (the rate limiter only works if it sees all
 * the traffic). Endpoint and retry settings come from the validated env.
 */
import "server-only";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SQSClient } from "@aws-sdk/client-sqs";
import { XRayClient } from "@aws-sdk/client-xray";
import { env, type Env } from "@/lib/config/env";
import { clientConfig, type ClientConfig } from "./client-config";

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
};
type Service = keyof typeof factories;
type ClientOf<S extends Service> = ReturnType<(typeof factories)[S]>;

const clients = new Map<string, unknown>();

function clientFor<S extends Service>(service: S, region: string, settings: Env = env()): ClientOf<S> {
  const key = `${service}:${region}`;
  let client = clients.get(key) as ClientOf<S> | undefined;
  if (!client) {
    client = factories[service](clientConfig(region, settings)) as ClientOf<S>;
    clients.set(key, client);
  }
  return client;
}

export const lambdaClient = (region: string) => clientFor("lambda", region);
export const cloudWatchClient = (region: string) => clientFor("cloudwatch", region);
export const logsClient = (region: string) => clientFor("logs", region);
export const xrayClient = (region: string) => clientFor("xray", region);
export const sqsClient = (region: string) => clientFor("sqs", region);
