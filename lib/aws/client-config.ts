/**
 * The SDK client configuration for one region, derived from the env. Separate from clients.ts (which is
 * server-only and caches) so the rule "dummy credentials only for a loopback endpoint with nothing configured"
 * is testable on its own.
 */
import type { Env } from "@/lib/config/env-schema";

export interface ClientConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  retryMode: "adaptive";
  maxAttempts: number;
}

/** The sandbox accepts any signature; these names make it obvious in logs that no real account is involved. */
export const SANDBOX_CREDENTIALS = { accessKeyId: "fleetscope", secretAccessKey: "sandbox" } as const;

export function clientConfig(
  region: string,
  settings: Pick<Env, "endpointUrl" | "endpointIsLoopback" | "hasConfiguredCredentials" | "awsMaxAttempts">,
): ClientConfig {
  const config: ClientConfig = { region, retryMode: "adaptive", maxAttempts: settings.awsMaxAttempts };
  if (settings.endpointUrl !== null) {
    config.endpoint = settings.endpointUrl;
    // Never invent credentials for a remote endpoint, and never shadow credentials the user configured.
    if (settings.endpointIsLoopback && !settings.hasConfiguredCredentials) {
      config.credentials = { ...SANDBOX_CREDENTIALS };
    }
  }
  return config;
}
