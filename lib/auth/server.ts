/**
 * The request side of auth for route handlers and pages: the signing key, reading the session cookie, and the
 * one guard every mutation passes (same origin → signed in → operator → not read-only).
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { env } from "@/lib/config/env";
import { FleetscopeError } from "@/lib/core/errors";
import { store } from "@/lib/store";
import { checkSameOrigin } from "./origin";
import { authorizeChange, type Principal } from "./principal";
import { SESSION_COOKIE, SESSION_TTL_SECONDS, sessionKey, signSession, verifySession } from "./session";

export function signingKey(): Uint8Array {
  const configured = env().sessionSecret;
  // Generated once and stored, so sessions survive a restart and are shared by instances on one database.
  const secret =
    configured ?? store().settings.getOrInit("session_secret", () => randomBytes(32).toString("base64url"));
  return sessionKey(secret);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The signed-in principal of the current request, or null (anonymous viewers may read). */
export async function currentPrincipal(): Promise<Principal | null> {
  const jar = await cookies();
  return verifySession(jar.get(SESSION_COOKIE)?.value, signingKey(), nowSeconds());
}

/** Throws a coded error unless this request may change traffic; returns who is changing it. */
export async function requireOperator(request: Request): Promise<Principal> {
  const origin = checkSameOrigin({
    method: request.method,
    origin: request.headers.get("origin"),
    secFetchSite: request.headers.get("sec-fetch-site"),
    host: request.headers.get("host"),
    publicUrl: env().publicUrl,
  });
  if (!origin.ok) throw new FleetscopeError("AccessDenied", `Refused: ${origin.reason}.`);
  return authorizeChange(await currentPrincipal(), env().readOnly);
}

export async function setSessionCookie(principal: Principal, secure: boolean): Promise<void> {
  const jar = await cookies();
  jar.set(SESSION_COOKIE, await signSession(principal, signingKey(), nowSeconds()), {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: SESSION_TTL_SECONDS,
  });
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}

/** Secure cookies whenever the console is served over https (directly or per its public URL). */
export const isHttps = (request: Request) =>
  (env().publicUrl ?? request.url).startsWith("https:") ||
  request.headers.get("x-forwarded-proto") === "https";

export const oidcRedirectUri = (request: Request) =>
  new URL("/api/auth/oidc/callback", env().publicUrl ?? request.url).toString();
