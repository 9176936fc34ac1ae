/**
 * The SDK client configuration for one region, derived from the env. Separate from clients.ts (which is
 * server-only and caches) so the rule "dummy credentials only for a loopback endpoint with nothing configured"
 * is testable on its own.
 */
import type { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { Env } from "@/lib/config/env-schema";

/**
 * Options for the SDK's NodeHttpHandler (the `requestHandler` shorthand: NodeHttpHandler.create takes them).
 * Per attempt; the adaptive retry may make `maxAttempts` of them. `throwOnRequestTimeout`: without it
 * @smithy/node-http-handler 4.x only logs a warning when `requestTimeout` passes and keeps waiting.
 */
export interface RequestHandlerOptions {
  connectionTimeout: number;
  requestTimeout: number;
  throwOnRequestTimeout: true;
}

/** Long-term keys (the sandbox's dummies). */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Credentials that expire and are fetched again (an assumed role's session: lib/aws/credentials.ts). */
export type CredentialsProvider = ReturnType<typeof fromTemporaryCredentials>;

export interface ClientConfig {
  region: string;
  endpoint?: string;
  /** Absent: the SDK's standard credential chain. */
  credentials?: StaticCredentials | CredentialsProvider;
  retryMode: "adaptive";
  maxAttempts: number;
  requestHandler: RequestHandlerOptions;
}

/** The sandbox accepts any signature; these names make it obvious in logs that no real account is involved. */
export const SANDBOX_CREDENTIALS = { accessKeyId: "fleetscope", secretAccessKey: "sandbox" } as const;

export function clientConfig(
  region: string,
  settings: Pick<
    Env,
    | "endpointUrl"
    | "endpointIsLoopback"
    | "hasConfiguredCredentials"
    | "awsMaxAttempts"
    | "awsConnectTimeoutMs"
    | "awsRequestTimeoutMs"
  >,
): ClientConfig {
  const config: ClientConfig = {
    region,
    retryMode: "adaptive",
    maxAttempts: settings.awsMaxAttempts,
    // Every call is bounded: an endpoint that accepts connections and never answers fails the call (Timeout).
    requestHandler: {
      connectionTimeout: settings.awsConnectTimeoutMs,
      requestTimeout: settings.awsRequestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
  if (settings.endpointUrl !== null) {
    config.endpoint = settings.endpointUrl;
    // Never invent credentials for a remote endpoint, and never shadow credentials the user configured.
    if (settings.endpointIsLoopback && !settings.hasConfiguredCredentials) {
      config.credentials = { ...SANDBOX_CREDENTIALS };
    }
  }
  return config;
}
