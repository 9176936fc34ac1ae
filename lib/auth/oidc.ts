/**
 * OpenID Connect sign-in (authorization code flow with PKCE, OIDC Core 1.0 §3.1): discovery, the redirect to the
 * provider, the code exchange, and ID-token verification with the provider's JWKS (jose). The role comes from a
 * groups claim (principal.ts). State, nonce and the PKCE verifier travel in a short-lived signed cookie, so no
 * server-side session table is needed and a second console instance can complete a flow the first started.
 */
import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { OidcSettings } from "@/lib/config/env-schema";
import { FleetscopeError } from "@/lib/core/errors";
import { roleFromClaims, type Principal } from "./principal";

export const OIDC_FLOW_COOKIE = "fleetscope_oidc";
const FLOW_TTL_SECONDS = 600;

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
});
export type OidcDiscovery = z.infer<typeof discoverySchema>;

const flowSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  verifier: z.string(),
  returnTo: z.string(),
});
type Flow = z.infer<typeof flowSchema>;

const discoveries = new Map<string, Promise<OidcDiscovery>>();
const jwksets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export function discover(issuer: string): Promise<OidcDiscovery> {
  let d = discoveries.get(issuer);
  if (!d) {
    d = (async () => {
      const res = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
      if (!res.ok) throw new FleetscopeError("Unavailable", `OIDC discovery failed (${res.status})`);
      const doc = discoverySchema.parse(await res.json());
      // OIDC Discovery §4.3: the issuer in the document must be the one we asked for.
      if (doc.issuer.replace(/\/$/, "") !== issuer.replace(/\/$/, "")) {
        throw new FleetscopeError("Unavailable", `OIDC issuer mismatch: ${doc.issuer}`);
      }
      return doc;
    })();
    d.catch(() => discoveries.delete(issuer));
    discoveries.set(issuer, d);
  }
  return d;
}

const b64url = (b: Buffer) => b.toString("base64url");
/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
export const safeReturnTo = (p: string | null) => (p && /^\/(?!\/)[^\\]*$/.test(p) ? p : "/traffic");

export async function startSignIn(
  oidc: OidcSettings,
  redirectUri: string,
  returnTo: string | null,
  key: Uint8Array,
  nowSeconds: number,
): Promise<{ url: string; flowCookie: string }> {
  const d = await discover(oidc.issuer);
  const flow: Flow = {
    state: b64url(randomBytes(16)),
    nonce: b64url(randomBytes(16)),
    verifier: b64url(randomBytes(32)),
    returnTo: safeReturnTo(returnTo),
  };
  const url = new URL(d.authorization_endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", oidc.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("scope", "openid profile email groups");
  url.searchParams.set("state", flow.state);
  url.searchParams.set("nonce", flow.nonce);
  url.searchParams.set("code_challenge", b64url(createHash("sha256").update(flow.verifier).digest()));
  url.searchParams.set("code_challenge_method", "S256");
  const flowCookie = await new SignJWT(flow)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + FLOW_TTL_SECONDS)
    .sign(key);
  return { url: url.toString(), flowCookie };
}

export async function finishSignIn(
  oidc: OidcSettings,
  redirectUri: string,
  params: { code: string | null; state: string | null },
  flowCookie: string | undefined,
  key: Uint8Array,
): Promise<{ principal: Principal; returnTo: string }> {
  const denied = (why: string) => new FleetscopeError("Unauthenticated", `Sign-in failed: ${why}`);
  if (!flowCookie) throw denied("no sign-in in progress");
  let flow: Flow;
  try {
    flow = flowSchema.parse((await jwtVerify(flowCookie, key, { algorithms: ["HS256"] })).payload);
  } catch {
    throw denied("the sign-in expired; try again");
  }
  if (!params.code || params.state !== flow.state) throw denied("state mismatch");

  const d = await discover(oidc.issuer);
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code: params.code,
    redirect_uri: redirectUri,
    code_verifier: flow.verifier,
    client_id: oidc.clientId,
  });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (oidc.clientSecret) {
    // client_secret_basic (RFC 6749 §2.3.1): form-encode, then base64.
    const id = encodeURIComponent(oidc.clientId);
    const secret = encodeURIComponent(oidc.clientSecret);
    headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
  }
  const res = await fetch(d.token_endpoint, { method: "POST", headers, body });
  if (!res.ok) throw denied(`token endpoint answered ${res.status}`);
  const tokens = z.object({ id_token: z.string() }).parse(await res.json());

  let jwks = jwksets.get(d.jwks_uri);
  if (!jwks) jwksets.set(d.jwks_uri, (jwks = createRemoteJWKSet(new URL(d.jwks_uri))));
  let claims: Record<string, unknown>;
  try {
    claims = (await jwtVerify(tokens.id_token, jwks, { issuer: d.issuer, audience: oidc.clientId })).payload;
  } catch (e) {
    throw denied(`ID token rejected (${e instanceof Error ? e.message : "invalid"})`);
  }
  if (claims.nonce !== flow.nonce) throw denied("nonce mismatch");
  // OIDC Core §3.1.3.7: a token issued to several audiences names its authorized party, which must be us.
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.azp !== undefined && claims.azp !== oidc.clientId)
    throw denied("issued to another client (azp)");
  if (audiences.length > 1 && claims.azp === undefined) throw denied("several audiences and no azp");
  const sub = typeof claims.sub === "string" ? claims.sub : "";
  if (!sub) throw denied("ID token has no subject");
  const name =
    typeof claims.email === "string" ? claims.email : typeof claims.name === "string" ? claims.name : sub;
  return {
    principal: {
      id: `oidc:${sub}`,
      name,
      role: roleFromClaims(claims, oidc.groupsClaim, oidc.operatorGroup),
      via: "oidc",
    },
    returnTo: flow.returnTo,
  };
}
