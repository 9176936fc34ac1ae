/**
 * The one-time login token of the default local setup (like Jupyter's): issued at start-up or by
 * `npm run login-token`, printed and written to a 0600 file, exchanged once for an operator session. Only its
 * SHA-256 is kept, in the store, so the running console accepts a token another process issued; consuming it
 * is one conditional DELETE, so two simultaneous logins cannot both use it.
 *
 * Exchange order matters (the "lost login"): the session cookie is signed first, then the token is consumed
 * and the session row created in one transaction, and only then is the token file removed. Nothing can fail
 * between "token used up" and "session exists".
 */
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Store } from "@/lib/store";
import type { Settings } from "@/lib/store/settings";
import type { Principal } from "./principal";
import { newSessionId, signSession } from "./session";
import { sessionRow } from "./session-store";

export const LOGIN_TOKEN_KEY = "login_token_sha256";

export const LOCAL_OPERATOR: Principal = {
  id: "local-operator",
  name: "local-operator",
  role: "operator",
  via: "token",
};

export const READ_ONLY_LOGIN_MESSAGE =
  "Sign-in is disabled: the console is in read-only mode (FLEETSCOPE_READ_ONLY), so an operator could change nothing.";

export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** Issue a fresh token (replacing any unused one), write it to `file`, and return it for printing. */
export function issueLoginToken(settings: Settings, file: string | null): string {
  const token = randomBytes(24).toString("base64url");
  settings.set(LOGIN_TOKEN_KEY, hashToken(token));
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

/** True exactly once per issued token. */
export function consumeLoginToken(settings: Settings, token: string): boolean {
  return plausible(token) && settings.consume(LOGIN_TOKEN_KEY, hashToken(token.trim()));
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
 * token is not the current one (wrong, already used, or replaced by a newer one).
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
  const ok = s.db.transaction(() => {
    if (!s.settings.consume(LOGIN_TOKEN_KEY, hashToken(token.trim()))) return false;
    s.sessions.create(sessionRow(LOCAL_OPERATOR, id, nowSeconds));
    return true;
  })();
  if (!ok) return null;
  removeTokenFile(file, token);
  return cookie;
}
