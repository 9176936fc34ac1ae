/**
 * The one-time login token of the default local setup (like Jupyter's): generated at start-up, printed to the
 * server log and written to a 0600 file, exchanged once for an operator session. Only its SHA-256 is stored,
 * and consuming it is one conditional DELETE, so two simultaneous logins cannot both use it.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Settings } from "@/lib/store/settings";

export const LOGIN_TOKEN_KEY = "login_token_sha256";

export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** Issue a fresh token (replacing any unused one), write it to `file`, and return it for printing. */
export function issueLoginToken(settings: Settings, file: string | null): string {
  const token = randomBytes(24).toString("base64url");
  settings.set(LOGIN_TOKEN_KEY, hashToken(token));
  if (file) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
  }
  return token;
}

/** True exactly once per issued token. */
export function consumeLoginToken(settings: Settings, token: string): boolean {
  if (typeof token !== "string" || token.length < 16 || token.length > 256) return false;
  return settings.consume(LOGIN_TOKEN_KEY, hashToken(token.trim()));
}
