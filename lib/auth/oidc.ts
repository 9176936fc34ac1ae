/**
 * OpenID Connect sign-in (authorization code flow with PKCE S256, OIDC Core 1.0 §3.1) through openid-client:
 * the redirect to the provider, then the code exchange (sending the PKCE verifier the provider checks) with the
 * checks openid-client performs (state, ID token signature, issuer, audience, expiry, nonce, azp for several
 * audiences) plus the one it leaves out (azp of a single-audience token). The role comes from a groups claim (principal.ts). State, nonce and the PKCE
 * verifier travel in a short-lived signed cookie, so no server-side session table is needed and a second
 * console instance can complete a flow the first started. Every refusal is an "Unauthenticated" error that
 * says which check failed; an unreachable provider is "Unavailable", one too slow for the bound "Timeout".
 */
import { jwtVerify, SignJWT } from "jose";
import * as oidc from "openid-client";
import { z } from "zod";
import type { OidcSettings } from "@/lib/config/env-schema";
import { FleetscopeError } from "@/lib/core/errors";
import {
  innermostMessage,
  providerConfiguration,
  providerFailure,
  type OidcCallOptions,
} from "./oidc-client";
import { roleFromClaims, type Principal } from "./principal";

export const OIDC_FLOW_COOKIE = "fleetscope_oidc";
export const OIDC_FLOW_TTL_SECONDS = 600;
const SCOPE = "openid profile email groups";

const flowSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  verifier: z.string(),
  returnTo: z.string(),
});
type Flow = z.infer<typeof flowSchema>;

/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
export const safeReturnTo = (p: string | null) => (p && /^\/(?!\/)[^\\]*$/.test(p) ? p : "/traffic");

export async function startSignIn(
  settings: OidcSettings,
  redirectUri: string,
  returnTo: string | null,
  key: Uint8Array,
  nowSeconds: number,
  call: OidcCallOptions,
): Promise<{ url: string; flowCookie: string }> {
  const config = await providerConfiguration(settings, call);
  const flow: Flow = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    returnTo: safeReturnTo(returnTo),
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
  });
  const flowCookie = await new SignJWT(flow)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + OIDC_FLOW_TTL_SECONDS)
    .sign(key);
  return { url: url.href, flowCookie };
}

const denied = (why: string, cause?: unknown) =>
  new FleetscopeError("Unauthenticated", `Sign-in failed: ${why}`, undefined, { cause });

export async function finishSignIn(
  settings: OidcSettings,
  redirectUri: string,
  callbackParams: URLSearchParams,
  flowCookie: string | undefined,
  key: Uint8Array,
  nowSeconds: number,
  call: OidcCallOptions,
): Promise<{ principal: Principal; returnTo: string }> {
  if (!flowCookie) throw denied("no sign-in in progress");
  let flow: Flow;
  try {
    const verified = await jwtVerify(flowCookie, key, {
      algorithms: ["HS256"],
      currentDate: new Date(nowSeconds * 1000),
    });
    flow = flowSchema.parse(verified.payload);
  } catch {
    throw denied("the sign-in expired; try again");
  }

  const config = await providerConfiguration(settings, call);
  // The registered redirect URI plus the provider's answer: openid-client sends the URI without the query as
  // the token request's redirect_uri, which must equal the one authorized (not the Host a proxy forwarded).
  const callbackUrl = new URL(redirectUri);
  callbackUrl.search = callbackParams.toString();
  let claims: oidc.IDToken;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      pkceCodeVerifier: flow.verifier,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw denied("the provider returned no ID token");
    claims = idClaims;
  } catch (e) {
    throw refusal(e);
  }
  // OIDC Core §3.1.3.7: an azp, when present, must name us (openid-client checks it only for several audiences).
  if (claims.azp !== undefined && claims.azp !== settings.clientId)
    throw denied("issued to another client (azp)");
  const name =
    typeof claims.email === "string"
      ? claims.email
      : typeof claims.name === "string"
        ? claims.name
        : claims.sub;
  return {
    principal: {
      id: `oidc:${claims.sub}`,
      name,
      role: roleFromClaims(claims, settings.groupsClaim, settings.operatorGroup),
      via: "oidc",
    },
    returnTo: flow.returnTo,
  };
}

/** Which check refused the callback, from openid-client's error (the failed check is in its cause chain). */
function refusal(e: unknown): FleetscopeError {
  if (e instanceof FleetscopeError) return e;
  if (e instanceof oidc.AuthorizationResponseError) return denied(`the provider refused (${e.error})`, e);
  if (e instanceof oidc.ResponseBodyError)
    return denied(`token endpoint answered ${e.status} (${e.error})`, e);
  const code = e instanceof oidc.ClientError ? e.code : undefined;
  if (code === "OAUTH_TIMEOUT" || code === "OAUTH_ABORT" || e instanceof TypeError) {
    return providerFailure("OIDC provider unreachable", e);
  }
  const message = innermostMessage(e);
  const claim = failedClaim(e);
  if (message.includes('"state"')) return denied("state mismatch", e);
  if (message.includes("no authorization code")) return denied("no authorization code", e);
  if (claim === "nonce") return denied("nonce mismatch", e);
  if (claim === "azp") return denied("issued to another client (azp)", e);
  if (message.includes("additional untrusted audiences")) return denied("several audiences and no azp", e);
  return denied(`ID token rejected (${message})`, e);
}

/** oauth4webapi puts `{ claim }` (a plain object, not an Error) as the cause of a failed claim check. */
function failedClaim(e: unknown): string | undefined {
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    const detail: unknown = c.cause;
    if (detail && typeof detail === "object" && !(detail instanceof Error) && "claim" in detail) {
      return typeof detail.claim === "string" ? detail.claim : undefined;
    }
  }
  return undefined;
}
