/**
 * Login, logout and session revocation through the console's real route handlers (plain Requests) on a real
 * SQLite store in a temp directory, and `npm run login-token` as a separate process on the same store. Only
 * `next/headers` is replaced: an in-memory cookie jar plays the browser and records the cookie attributes.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

interface Cookie {
  value: string;
  options?: { secure?: boolean; httpOnly?: boolean; sameSite?: string; path?: string };
}
const jar = vi.hoisted(() => new Map<string, Cookie>());
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)?.value ?? "" } : undefined),
    set: (name: string, value: string, options?: Cookie["options"]) => void jar.set(name, { value, options }),
    delete: (name: string) => void jar.delete(name),
  }),
}));

const root = path.resolve(__dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "fleetscope-auth-"));
const dataDir = path.join(dir, "data");
const tokenFile = path.join(dataDir, "login-token");
const dbFile = path.join(dataDir, "fleetscope.db");
const ENV = {
  FLEETSCOPE_DATABASE_URL: `file:${dbFile}`,
  FLEETSCOPE_LOGIN_TOKEN_FILE: tokenFile,
  FLEETSCOPE_READ_ONLY: "false",
  FLEETSCOPE_REGIONS: "us-east-1",
};
Object.assign(process.env, ENV);
for (const k of ["FLEETSCOPE_SESSION_SECRET", "FLEETSCOPE_PUBLIC_URL", "FLEETSCOPE_OIDC_ISSUER"])
  delete process.env[k];

const { POST: login } = await import("@/app/api/auth/login/route");
const { POST: logout } = await import("@/app/api/auth/logout/route");
const { POST: endAll } = await import("@/app/api/auth/sessions/end-all/route");
const { GET: me } = await import("@/app/api/auth/me/route");
const { POST: rollback } = await import("@/app/api/traffic/rollback/route");
const { SESSION_SECRET_KEY, issueLoginTokenNow, signingSecret } = await import("@/lib/auth/server");
const { SESSION_COOKIE } = await import("@/lib/auth/session");
const { noteSigningSecret } = await import("@/lib/auth/session-store");
const { store } = await import("@/lib/store");

const CONSOLE = "http://127.0.0.1:3000";
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`${CONSOLE}${url}`, {
    method: "POST",
    headers: { origin: CONSOLE, host: "127.0.0.1:3000", "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const signIn = async (token: string, headers: Record<string, string> = {}) =>
  login(post("/api/auth/login", { token }, headers));
const whoAmI = async () =>
  ((await (await me()).json()) as { principal: { id: string; role: string } | null }).principal;
/** A same-origin mutation with an empty body: past the guard it fails validation (400), not auth (401). */
const tryRollback = async () => (await rollback(post("/api/traffic/rollback", {}))).status;
const replayCookie = (value: string) => void jar.set(SESSION_COOKIE, { value });
const sessionCookie = () => jar.get(SESSION_COOKIE)?.value ?? "";

/** `npm run -s login-token -- …` on the same store and token file, as an operator would run it. */
function cli(args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(root, "node_modules/.bin/tsx"),
      ["--conditions=react-server", "scripts/login-token.ts", ...args],
      { cwd: root, env: { ...process.env, ...ENV, NODE_NO_WARNINGS: "1" } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let startupToken: string;
beforeAll(async () => {
  // What the console does at start-up (lib/data/traffic/runtime.ts).
  startupToken = await issueLoginTokenNow();
});
afterAll(async () => {
  await store().db.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => jar.clear());

const mode = (f: string) => statSync(f).mode & 0o777;

describe("the store and token files", () => {
  it("keeps the data directory 0700 and the store, its WAL files and the token file 0600", async () => {
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(dbFile)).toBe(0o600);
    for (const f of [`${dbFile}-wal`, `${dbFile}-shm`]) if (existsSync(f)) expect(mode(f)).toBe(0o600);
    expect(existsSync(`${dbFile}-wal`)).toBe(true);
    expect(mode(tokenFile)).toBe(0o600);
    // The signing secret is in that store, and nowhere readable by others.
    expect((await store().settings.get(SESSION_SECRET_KEY)) ?? (await signingSecret())).toBeTruthy();
  });
});

describe("login token", () => {
  it("exchanges the start-up token once, with a cookie the browser keeps on http, and removes it from the file", async () => {
    expect(readFileSync(tokenFile, "utf8").trim()).toBe(startupToken);
    // A proxy header claiming https must not make the cookie Secure while the browser is on http (the lost login).
    const res = await signIn(startupToken, { "x-forwarded-proto": "https" });
    expect(res.status).toBe(200);
    expect(jar.get(SESSION_COOKIE)?.options).toMatchObject({ secure: false, httpOnly: true, path: "/" });
    expect(await whoAmI()).toMatchObject({ id: "local-operator", role: "operator" });
    expect(await tryRollback()).toBe(400);
    expect(existsSync(tokenFile)).toBe(false);
    jar.clear();
    expect((await signIn(startupToken)).status).toBe(401);
  });

  it("sets a Secure cookie when the browser is on https", async () => {
    const token = await issueLoginTokenNow();
    const https = "https://console.example";
    // Behind a TLS-terminating proxy, which says so: an https Origin alone is not this http console.
    const res = await signIn(token, { origin: https, host: "console.example", "x-forwarded-proto": "https" });
    expect(res.status).toBe(200);
    expect(jar.get(SESSION_COOKIE)?.options?.secure).toBe(true);
  });

  it("issues a new token from `npm run login-token` that the running console accepts, without a restart", async () => {
    const unused = await issueLoginTokenNow();
    const r = await cli();
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(readFileSync(tokenFile, "utf8").trim()).toBe(token);
    expect(mode(tokenFile)).toBe(0o600);
    expect((await signIn(unused)).status).toBe(401); // the CLI's token replaces every unused one
    expect((await signIn(token)).status).toBe(200);
    expect(await whoAmI()).toMatchObject({ role: "operator" });
    expect(existsSync(tokenFile)).toBe(false);
  });

  it("keeps every replica's start-up token valid: two replicas start on one store, both tokens work once", async () => {
    const first = await issueLoginTokenNow(); // replica A starts
    const second = await issueLoginTokenNow(); // replica B starts on the same store (and token file)
    expect((await signIn(first)).status).toBe(200);
    expect(readFileSync(tokenFile, "utf8").trim()).toBe(second); // the file holds B's token, still unused
    jar.clear();
    expect((await signIn(second)).status).toBe(200);
    expect(existsSync(tokenFile)).toBe(false);
    jar.clear();
    expect((await signIn(first)).status).toBe(401);
    expect((await signIn(second)).status).toBe(401);
  });

  it("refuses a wrong token and leaves the current one usable", async () => {
    const token = await issueLoginTokenNow();
    expect((await signIn("x".repeat(32))).status).toBe(401);
    expect(jar.has(SESSION_COOKIE)).toBe(false);
    expect(readFileSync(tokenFile, "utf8").trim()).toBe(token);
    expect((await signIn(token)).status).toBe(200);
  });
});

describe("session revocation", () => {
  const freshSession = async () => {
    jar.clear();
    expect((await signIn(await issueLoginTokenNow())).status).toBe(200);
    return sessionCookie();
  };

  it("logout ends the session server-side: the old cookie is refused afterwards", async () => {
    const cookie = await freshSession();
    expect(await whoAmI()).not.toBeNull();
    const res = await logout(post("/api/auth/logout", {}));
    expect(res.status).toBe(200);
    expect(jar.has(SESSION_COOKIE)).toBe(false);
    replayCookie(cookie); // a copy of the cookie, replayed
    expect(await whoAmI()).toBeNull();
    expect(await tryRollback()).toBe(401);
  });

  it("refuses a cross-site logout and keeps the session", async () => {
    const cookie = await freshSession();
    const res = await logout(post("/api/auth/logout", {}, { origin: "https://evil.example" }));
    expect(res.status).toBe(403);
    replayCookie(cookie);
    expect(await whoAmI()).not.toBeNull();
  });

  it("an operator ends every session; anonymous and cross-site requests cannot", async () => {
    const a = await freshSession();
    const b = await freshSession();
    jar.clear();
    expect((await endAll(post("/api/auth/sessions/end-all", {}))).status).toBe(401);
    replayCookie(a);
    expect(
      (await endAll(post("/api/auth/sessions/end-all", {}, { origin: "https://evil.example" }))).status,
    ).toBe(403);
    expect(await whoAmI()).not.toBeNull();
    const res = await endAll(post("/api/auth/sessions/end-all", {}));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ended: number }).ended).toBeGreaterThanOrEqual(2);
    for (const cookie of [a, b]) {
      replayCookie(cookie);
      expect(await whoAmI()).toBeNull();
      expect(await tryRollback()).toBe(401);
    }
  });

  it("`npm run login-token -- --end-all-sessions --no-token` signs everybody out from another process", async () => {
    const cookie = await freshSession();
    const r = await cli(["--end-all-sessions", "--no-token"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/Ended [1-9]\d* session/);
    replayCookie(cookie);
    expect(await whoAmI()).toBeNull();
  });

  it("a restart with a rotated signing secret ends the sessions signed with the old one", async () => {
    const cookie = await freshSession();
    expect(await noteSigningSecret(store(), await signingSecret())).toBe(0); // same secret: a plain restart keeps them
    replayCookie(cookie);
    expect(await whoAmI()).not.toBeNull();
    await store().settings.set(SESSION_SECRET_KEY, "rotated-".padEnd(40, "r"));
    expect(await noteSigningSecret(store(), await signingSecret())).toBeGreaterThanOrEqual(1);
    expect(await whoAmI()).toBeNull();
    expect(await tryRollback()).toBe(401);
  });
});
