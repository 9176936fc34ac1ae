/**
 * The one-time login token of the default local setup (like Jupyter's): issued at start-up or by
 * `npm run login-token`, printed and written to a 0600 file, exchanged once for an operator session. Only its
 * SHA-256 is kept, in the store, so any console replica on that store accepts a token another process issued.
 *
 * Invariants:
 * - One settings row per issued token (`login_token:<sha256>` → its expiry in epoch ms): replicas starting on
 *   one store each print a token, and none invalidates another's. Every token is valid until it is used, it
 *   expires (LOGIN_TOKEN_TTL_MS), or `npm run login-token` replaces all unused ones.
 * - Consuming is one DELETE … RETURNING, so two simultaneous logins (on any replicas) cannot both use a token.
 * - Exchange order matters (the "lost login"): the session cookie is signed first, then the token is consumed
 *   and the session row created in one transaction, and only then is the token file removed. Nothing can fail
 *   between "token used up" and "session exists".
 */
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Store } from "@/lib/store";
import type { Db } from "@/lib/store/database";
import { createSessionStore } from "@/lib/store/sessions";
import { createSettings, type Settings } from "@/lib/store/settings";
import type { Principal } from "./principal";
import { newSessionId, signSession } from "./session";
import { sessionRow } from "./session-store";

/** Settings keys of unused tokens: this prefix, then the token's SHA-256 (hex). */
export const LOGIN_TOKEN_PREFIX = "login_token:";
/** The single-token key of earlier releases; removed when a token is issued. */
const LEGACY_LOGIN_TOKEN_KEY = "login_token_sha256";
/** How long an unused token stays valid: long enough to sign in the next day, short enough not to pile up. */
export const LOGIN_TOKEN_TTL_MS = 24 * 3600 * 1000;

export const LOCAL_OPERATOR: Principal = {
  id: "local-operator",
  name: "local-operator",
  role: "operator",
  via: "token",
};

export const READ_ONLY_LOGIN_MESSAGE =
  "Sign-in is disabled: the console is in read-only mode (FLEETSCOPE_READ_ONLY), so an operator could change nothing.";

export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** The settings key that holds `token` while it is unused. */
export const loginTokenKey = (token: string) => `${LOGIN_TOKEN_PREFIX}${hashToken(token.trim())}`;

/** A stored expiry that is not a number is treated as expired: such a row was not written by this module. */
const expired = (expiresAt: string, now: number) => !(Number(expiresAt) > now);

export interface IssueOptions {
  /** Invalidate every unused token first (`npm run login-token`); a replica's start-up leaves others valid. */
  replaceUnused?: boolean;
}

/** Issue a fresh token valid from `now` (epoch ms), write it to `file`, and return it for printing. */
export async function issueLoginToken(
  settings: Settings,
  file: string | null,
  now: number,
  { replaceUnused = false }: IssueOptions = {},
): Promise<string> {
  // Expired tokens (and, when replacing, unused ones) go first; consume() deletes a row only if unchanged.
  for (const { key, value } of await settings.withPrefix(LOGIN_TOKEN_PREFIX)) {
    if (replaceUnused || expired(value, now)) await settings.consume(key, value);
  }
  await settings.take(LEGACY_LOGIN_TOKEN_KEY);

  const token = randomBytes(24).toString("base64url");
  await settings.set(loginTokenKey(token), String(now + LOGIN_TOKEN_TTL_MS));
  if (file) {
    const dir = path.dirname(path.resolve(file));
    if (mkdirSync(dir, { recursive: true, mode: 0o700 })) chmodSync(dir, 0o700);
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    chmodSync(file, 0o600); // writeFileSync's mode applies only to a file it creates
  }
  return token;
}

const plausible = (token: unknown): token is string =>
  typeof token === "string" && token.trim().length >= 16 && token.length <= 256;

/** True exactly once per issued token, if it is used before it expires (`now` in epoch ms). */
export async function consumeLoginToken(settings: Settings, token: string, now: number): Promise<boolean> {
  if (!plausible(token)) return false;
  // One DELETE … RETURNING: only one caller gets the row; an expired token is removed rather than honoured.
  const expiresAt = await settings.take(loginTokenKey(token));
  return expiresAt !== null && !expired(expiresAt, now);
}

/** Removes the token file when it still holds `token` (a newer token written since is left alone). */
export function removeTokenFile(file: string | null, token: string): void {
  if (!file) return;
  try {
    if (readFileSync(file, "utf8").trim() === token.trim()) rmSync(file, { force: true });
  } catch {
    // No file (already removed, or never written): nothing to remove.
  }
}

/**
 * Exchanges a login token for a local-operator session: returns the session cookie's value, or null when the
 * token is not valid (wrong, already used, expired, or replaced).
 */
export async function exchangeLoginToken(
  s: Store,
  token: string,
  key: Uint8Array,
  nowSeconds: number,
  file: string | null,
): Promise<string | null> {
  if (!plausible(token)) return null;
  const id = newSessionId();
  const cookie = await signSession(LOCAL_OPERATOR, id, key, nowSeconds);
  const ok = await s.db.kysely.transaction().execute(async (trx) => {
    const tx: Db = { dialect: s.db.dialect, kysely: trx, close: s.db.close };
    if (!(await consumeLoginToken(createSettings(tx), token, nowSeconds * 1000))) return false;
    await createSessionStore(tx).create(sessionRow(LOCAL_OPERATOR, id, nowSeconds));
    return true;
  });
  if (!ok) return null;
  removeTokenFile(file, token);
  return cookie;
}
