/**
 * Sessions that the server can end. A cookie is honoured only when its signature verifies (session.ts) AND its
 * row is still in the store: logout deletes the row, "end all sessions" deletes every row, and a new signing
 * secret makes every old cookie fail its signature (and `noteSigningSecret` clears the rows it signed).
 * Takes the store and the clock as arguments, so the console, the CLI and the tests share one path.
 */
import { createHash } from "node:crypto";
import type { Store } from "@/lib/store";
import type { Principal } from "./principal";
import {
  newSessionId,
  SESSION_TTL_SECONDS,
  signSession,
  verifySession,
  type VerifiedSession,
} from "./session";

const SECRET_FINGERPRINT_KEY = "session_secret_sha256";

/** Creates the session row and returns the cookie value that names it. */
export async function openSession(
  s: Store,
  principal: Principal,
  key: Uint8Array,
  nowSeconds: number,
): Promise<string> {
  const id = newSessionId();
  const jwt = await signSession(principal, id, key, nowSeconds);
  await s.sessions.create(sessionRow(principal, id, nowSeconds));
  return jwt;
}

export const sessionRow = (principal: Principal, id: string, nowSeconds: number) => ({
  id,
  principalId: principal.id,
  name: principal.name,
  role: principal.role,
  via: principal.via,
  createdAt: nowSeconds,
  expiresAt: nowSeconds + SESSION_TTL_SECONDS,
});

/** The session a cookie names, when it verifies and has not been ended. */
export async function resolveSession(
  s: Store,
  cookie: string | undefined,
  key: Uint8Array,
  nowSeconds: number,
): Promise<VerifiedSession | null> {
  const v = await verifySession(cookie, key, nowSeconds);
  return v && (await s.sessions.isActive(v.sessionId, nowSeconds)) ? v : null;
}

/** Logout: ends the cookie's session server-side, so a copy of the cookie is refused from now on. */
export async function endSession(
  s: Store,
  cookie: string | undefined,
  key: Uint8Array,
  nowSeconds: number,
): Promise<boolean> {
  const v = await verifySession(cookie, key, nowSeconds);
  return v ? s.sessions.end(v.sessionId) : false;
}

export const endAllSessions = (s: Store): Promise<number> => s.sessions.endAll();

/**
 * At start-up: when the signing secret differs from the one sessions were signed with, those sessions are
 * over (their cookies no longer verify); delete their rows so the store says so too. Returns how many ended.
 */
export async function noteSigningSecret(s: Store, secret: string): Promise<number> {
  const fingerprint = createHash("sha256").update(`fleetscope-session:${secret}`).digest("hex");
  const previous = await s.settings.get(SECRET_FINGERPRINT_KEY);
  await s.settings.set(SECRET_FINGERPRINT_KEY, fingerprint);
  return previous !== null && previous !== fingerprint ? s.sessions.endAll() : 0;
}
