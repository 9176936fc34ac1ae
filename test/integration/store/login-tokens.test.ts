/**
 * One-time login tokens on a store several console replicas share (issue 16), on both engines: every replica's
 * start-up token stays valid until used, each is exchanged for exactly one session, even by simultaneous logins.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { exchangeLoginToken, issueLoginToken } from "@/lib/auth/login-token";
import { sessionKey, verifySession } from "@/lib/auth/session";
import { createStore } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import { createPostgresDatabase, describeStores } from "../../support/stores";

const NOW_S = Math.floor(Date.UTC(2026, 11, 7, 12, 0) / 1000);
const key = sessionKey("k".repeat(40));

describeStores("login tokens", (fresh) => {
  it("accepts each replica's start-up token once: two issues on one store, both sign in, neither twice", async () => {
    const db = await fresh();
    const [replicaA, replicaB] = [createStore(db), createStore(db)];
    const a = await issueLoginToken(replicaA.settings, null, NOW_S * 1000);
    const b = await issueLoginToken(replicaB.settings, null, NOW_S * 1000 + 5);
    // Either replica accepts either token (the load balancer picks one), each once.
    const cookieA = await exchangeLoginToken(replicaB, a, key, NOW_S + 1, null);
    const cookieB = await exchangeLoginToken(replicaA, b, key, NOW_S + 2, null);
    expect(cookieA).not.toBeNull();
    expect(cookieB).not.toBeNull();
    expect(await exchangeLoginToken(replicaA, a, key, NOW_S + 3, null)).toBeNull();
    expect(await exchangeLoginToken(replicaB, b, key, NOW_S + 3, null)).toBeNull();
    // Each exchange created its own live session row.
    for (const cookie of [cookieA, cookieB]) {
      const v = await verifySession(cookie ?? undefined, key, NOW_S + 4);
      expect(v?.principal.id).toBe("local-operator");
      expect(await replicaA.sessions.isActive(v?.sessionId ?? "", NOW_S + 4)).toBe(true);
    }
    expect(await replicaA.sessions.count(NOW_S + 4)).toBe(2);
  });

  it("lets exactly one of several simultaneous logins with one token through", async () => {
    const db = await fresh();
    const s = createStore(db);
    const token = await issueLoginToken(s.settings, null, NOW_S * 1000);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => exchangeLoginToken(createStore(db), token, key, NOW_S + 1, null)),
    );
    expect(results.filter((c) => c !== null)).toHaveLength(1);
    expect(await s.sessions.count(NOW_S + 1)).toBe(1);
  });

  it("writes no session when the token is wrong or expired", async () => {
    const db = await fresh();
    const s = createStore(db);
    const token = await issueLoginToken(s.settings, null, NOW_S * 1000);
    expect(await exchangeLoginToken(s, "x".repeat(32), key, NOW_S + 1, null)).toBeNull();
    expect(await exchangeLoginToken(s, token, key, NOW_S + 25 * 3600, null)).toBeNull();
    expect(await s.sessions.count(0)).toBe(0);
  });
});

describe("`npm run login-token` on a PostgreSQL store", () => {
  it("prints a token every replica accepts, replacing the unused ones, and exits (its pool closed)", async () => {
    const url = await createPostgresDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), "fs-login-token-"));
    const db = openDatabase(url);
    try {
      const s = createStore(db);
      const printedAtStart = await issueLoginToken(s.settings, null, NOW_S * 1000);
      const root = path.resolve(__dirname, "../../..");
      const tokenFile = path.join(dir, "login-token");
      const { stdout } = await promisify(execFile)(
        path.join(root, "node_modules/.bin/tsx"),
        ["--conditions=react-server", "scripts/login-token.ts"],
        {
          cwd: root,
          timeout: 60_000,
          env: { ...process.env, FLEETSCOPE_DATABASE_URL: url, FLEETSCOPE_LOGIN_TOKEN_FILE: tokenFile },
        },
      );
      const token = stdout.trim();
      expect(readFileSync(tokenFile, "utf8").trim()).toBe(token);
      // The CLI's own clock stamps the token: exchange it at the current time.
      const now = Math.floor(Date.now() / 1000);
      expect(await exchangeLoginToken(s, printedAtStart, key, now, null)).toBeNull();
      expect(await exchangeLoginToken(s, token, key, now, null)).not.toBeNull();
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
