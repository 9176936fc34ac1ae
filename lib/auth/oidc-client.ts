/**
 * The OpenID Connect provider as openid-client sees it: one discovered Configuration per issuer and client,
 * cached for the process (it also holds the provider's JWKS cache), with every outbound call (discovery, token,
 * JWKS) bounded by the configured timeout. ID-token signatures are verified against the JWKS
 * (enableNonRepudiationChecks), not only trusted from TLS, so a tampered token is refused whatever the transport.
 */
import * as oidc from "openid-client";
import { isLoopbackUrl, type OidcSettings } from "@/lib/config/env-schema";
import { FleetscopeError } from "@/lib/core/errors";

export interface OidcCallOptions {
  /** Bound on each request to the provider, in milliseconds. */
  timeoutMs: number;
}

const configurations = new Map<string, Promise<oidc.Configuration>>();

/** fetch with a deadline: openid-client's own signal (if any) and ours, whichever fires first. */
const fetchWithin =
  (timeoutMs: number): oidc.CustomFetch =>
  (url, options) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    // openid-client's body type includes Uint8Array, which fetch takes but the DOM typings do not list.
    return fetch(url, { ...options, body: options.body as BodyInit | undefined, signal });
  };

/**
 * Plain-http issuers are allowed only on this machine (a local test or development IdP): anywhere else the
 * code, tokens and client secret would cross the network in clear, so openid-client's HTTPS-only rule stays on.
 */
const allowsPlainHttp = (issuer: string) => new URL(issuer).protocol === "http:" && isLoopbackUrl(issuer);

/** The provider's Configuration; a failed discovery is forgotten so the next sign-in tries again. */
export function providerConfiguration(
  settings: OidcSettings,
  { timeoutMs }: OidcCallOptions,
): Promise<oidc.Configuration> {
  // One cache entry per issuer (and the client registered there: the Configuration carries its credentials).
  const key = `${settings.issuer}\n${settings.clientId}`;
  let config = configurations.get(key);
  if (!config) {
    const auth = settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None();
    config = oidc
      .discovery(new URL(settings.issuer), settings.clientId, undefined, auth, {
        [oidc.customFetch]: fetchWithin(timeoutMs),
        timeout: Math.ceil(timeoutMs / 1000),
        execute: [
          oidc.enableNonRepudiationChecks,
          ...(allowsPlainHttp(settings.issuer) ? [oidc.allowInsecureRequests] : []),
        ],
      })
      .catch((e: unknown) => {
        throw providerFailure("OIDC discovery failed", e);
      });
    config.catch(() => configurations.delete(key));
    configurations.set(key, config);
  }
  return config;
}

/** The provider could not be reached or answered too late: "Timeout" past our bound, else "Unavailable". */
export function providerFailure(what: string, e: unknown): FleetscopeError {
  let timedOut = false;
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    timedOut ||= c.name === "TimeoutError" || (c instanceof oidc.ClientError && c.code === "OAUTH_TIMEOUT");
  }
  return new FleetscopeError(
    timedOut ? "Timeout" : "Unavailable",
    `${what}: ${innermostMessage(e)}`,
    undefined,
    {
      cause: e,
    },
  );
}

/** openid-client wraps the precise reason (a claim, a status, a timeout) in `cause`; that is what to say. */
export function innermostMessage(e: unknown): string {
  let message = e instanceof Error ? e.message : String(e);
  for (let c: unknown = e instanceof Error ? e.cause : undefined; c instanceof Error; c = c.cause) {
    message = c.message;
  }
  return message;
}
