/**
 * The request side of auth for route handlers and pages: the signing key, reading the session cookie (which
 * must name a live server-side session, session-store.ts), and the guards mutations pass (same origin → signed
 * in → operator → not read-only).
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import { FleetscopeError } from "@/lib/core/errors";
import { store } from "@/lib/store";
import { checkSameOrigin } from "./origin";
import { authorizeChange, type Principal } from "./principal";
import { SESSION_COOKIE, SESSION_TTL_SECONDS, sessionKey } from "./session";
import { exchangeLoginToken, issueLoginToken } from "./login-token";
import { endAllSessions, endSession, openSession, resolveSession } from "./session-store";

export const SESSION_SECRET_KEY = "session_secret";

/**
 * FLEETSCOPE_SESSION_SECRET, or one generated once and kept in the (0600) store, shared by every replica on it
 * (the first to start writes it; the others read it). Read per request, so a rotated secret takes effect at once.
 */
export async function signingSecret(): Promise<string> {
  const configured = env().sessionSecret;
  if (configured !== null) return configured;
  const settings = store().settings;
  // A plain read on every request; the insert-if-absent only until the secret exists.
  return (
    (await settings.get(SESSION_SECRET_KEY)) ??
    (await settings.getOrInit(SESSION_SECRET_KEY, () => randomBytes(32).toString("base64url")))
  );
}

export const signingKey = async (): Promise<Uint8Array> => sessionKey(await signingSecret());

export const nowSeconds = () => Math.floor(systemClock.now() / 1000);

/** Calls to the OpenID Connect provider get the same per-request bound as calls to AWS. */
export const oidcCallOptions = () => ({ timeoutMs: env().awsRequestTimeoutMs });

/** The signed-in principal of the current request, or null (anonymous viewers may read). */
export async function currentPrincipal(): Promise<Principal | null> {
  const jar = await cookies();
  const session = await resolveSession(
    store(),
    jar.get(SESSION_COOKIE)?.value,
    await signingKey(),
    nowSeconds(),
  );
  return session?.principal ?? null;
}

/** Refuses a state-changing request that does not come from this console's own pages. */
export function requireSameOrigin(request: Request): void {
  const origin = checkSameOrigin({
    method: request.method,
    origin: request.headers.get("origin"),
    secFetchSite: request.headers.get("sec-fetch-site"),
    host: request.headers.get("host"),
    // The scheme served, never the one Origin claims (an https page is not this http console).
    schemes: [
      new URL(request.url).protocol.replace(/:$/, ""),
      ...(request.headers.get("x-forwarded-proto")?.split(",", 1) ?? []).map((p) => p.trim()),
    ],
    publicUrl: env().publicUrl,
  });
  if (!origin.ok) throw new FleetscopeError("AccessDenied", `Refused: ${origin.reason}.`);
}

/** Throws a coded error unless this request may change traffic; returns who is changing it. */
export async function requireOperator(request: Request): Promise<Principal> {
  requireSameOrigin(request);
  return authorizeChange(await currentPrincipal(), env().readOnly);
}

/**
 * An operator acting on sessions (not on traffic): allowed in read-only mode too, since ending sessions only
 * takes access away.
 */
export async function requireSignedInOperator(request: Request): Promise<Principal> {
  requireSameOrigin(request);
  const principal = await currentPrincipal();
  return authorizeChange(principal, false);
}

/** Starts a server-side session for `principal` and sets its cookie. */
export async function startSession(principal: Principal, secure: boolean): Promise<void> {
  await setSessionCookieValue(
    await openSession(store(), principal, await signingKey(), nowSeconds()),
    secure,
  );
}

export async function setSessionCookieValue(value: string, secure: boolean): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: SESSION_TTL_SECONDS,
  });
}

/** The one-time login token → a session cookie value, or null if it is not valid or already used. */
export const exchangeLoginTokenNow = async (token: string): Promise<string | null> =>
  exchangeLoginToken(store(), token, await signingKey(), nowSeconds(), env().loginTokenFile);

/**
 * A new one-time login token for this replica's start-up, printed by the caller and written to the token file.
 * Tokens other replicas printed stay valid (lib/auth/login-token.ts).
 */
export const issueLoginTokenNow = (): Promise<string> =>
  issueLoginToken(store().settings, env().loginTokenFile, systemClock.now());

/** Ends every session (every browser, every user); returns how many. */
export const endEverySession = (): Promise<number> => endAllSessions(store());

/** Logout: ends the session server-side (a copied cookie stops working too), then clears the cookie. */
export async function endCurrentSession(): Promise<void> {
  const jar = await cookies();
  await endSession(store(), jar.get(SESSION_COOKIE)?.value, await signingKey(), nowSeconds());
  jar.delete(SESSION_COOKIE);
}

/**
 * Whether the browser is on https, so the cookie may be Secure. A Secure cookie answered to an http page is
 * dropped by the browser without a word — the login is "accepted" and the next page is not signed in — so this
 * follows the scheme the browser itself reports (Origin, on every POST) before any configuration.
 */
export function isHttps(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin && origin !== "null") return origin.startsWith("https:");
  return (
    (env().publicUrl ?? request.url).startsWith("https:") ||
    request.headers.get("x-forwarded-proto") === "https"
  );
}

export const oidcRedirectUri = (request: Request) =>
  new URL("/api/auth/oidc/callback", env().publicUrl ?? request.url).toString();
