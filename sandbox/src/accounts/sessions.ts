/**
 * Temporary credentials issued by the sandbox's STS, kept in memory for the sandbox's life.
 *
 * Invariants: access key ids are `ASIA` + 16 uppercase alphanumerics and never reused; a session answers only
 * with the session token it was issued with; expiry is judged on the sandbox clock (tests pin and advance it).
 */
import { createHash, randomBytes } from "node:crypto";

export interface IssuedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms on the sandbox clock. */
  expiresAtMs: number;
  accountId: string;
  roleName: string;
  sessionName: string;
}

export interface SessionStore {
  issue(s: Omit<IssuedSession, "accessKeyId" | "secretAccessKey" | "sessionToken">): IssuedSession;
  get(accessKeyId: string): IssuedSession | undefined;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function randomAlnum(length: number): string {
  let out = "";
  for (const b of randomBytes(length)) out += ALNUM[b % ALNUM.length];
  return out;
}

/** A stable IAM unique id (`AIDA…` users, `AROA…` roles): 4-letter prefix + 17 uppercase alphanumerics. */
export function uniqueId(prefix: "AIDA" | "AROA", key: string): string {
  const digest = createHash("sha256").update(key).digest();
  let out = prefix;
  for (let i = 0; i < 17; i++) out += ALNUM[(digest[i] ?? 0) % ALNUM.length];
  return out;
}

export function createSessionStore(): SessionStore {
  const sessions = new Map<string, IssuedSession>();
  return {
    issue(s) {
      let accessKeyId: string;
      do accessKeyId = `ASIA${randomAlnum(16)}`;
      while (sessions.has(accessKeyId));
      const session: IssuedSession = {
        ...s,
        accessKeyId,
        secretAccessKey: randomBytes(30).toString("base64"),
        sessionToken: `FwoGZXIvYXdzE${randomBytes(96).toString("base64")}`,
      };
      sessions.set(accessKeyId, session);
      return session;
    },
    get: (accessKeyId) => sessions.get(accessKeyId),
  };
}
