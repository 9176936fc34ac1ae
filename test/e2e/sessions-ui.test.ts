/**
 * Sessions in the UI, end to end: a console of our own (`next start` on the shared build, its own SQLite file
 * and login-token file) in front of the global sandbox through a recording proxy, so the test sees every AWS
 * request the console makes. Sign out and "end all sessions" must revoke the sessions server-side (a copied
 * cookie is refused afterwards), and a traffic change in an unconfigured region is refused before any AWS call.
 */
import { spawnSync } from "node:child_process";
import { createServer, request as httpRequest, type Server } from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { connectBrowser, type BrowserSession } from "./support/browser";
import { openConsoleSession, startOwnConsole, type OwnConsole } from "./support/own-console";
import { freePort } from "./support/ports";
import "./support/provided";

const root = path.resolve(__dirname, "../..");
const SECRET = "e2e-sessions-secret-0123456789abcdef";
const UNCONFIGURED = "ap-south-2";
let own: OwnConsole;
let base: string;
let proxy: Server | null = null;
let session: BrowserSession;
/** The region of every request the console sent to "AWS", from its SigV4 credential scope. */
const awsRegions: string[] = [];

/** Forwards to the sandbox, noting the signing region of each request (`Credential=key/date/REGION/svc/…`). */
async function startRecordingProxy(target: string): Promise<string> {
  const upstream = new URL(target);
  proxy = createServer((req, res) => {
    const scope = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(req.headers.authorization ?? "");
    awsRegions.push(scope?.[1] ?? "unsigned");
    const out = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => res.destroy());
    req.pipe(out);
  });
  const port = await freePort();
  await new Promise<void>((r) => proxy?.listen(port, "127.0.0.1", r));
  return `http://127.0.0.1:${port}`;
}

/** An operator session opened directly in the console's store (as a second browser would have). */
async function storeSession(name: string): Promise<string> {
  const jwt = await openConsoleSession(own.dir, SECRET, { id: name, name, role: "operator", via: "oidc" });
  return `${SESSION_COOKIE}=${jwt}`;
}

const post = (p: string, body: unknown, cookie: string) =>
  fetch(`${base}${p}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, cookie },
    body: JSON.stringify(body),
  });

/** A well-formed shift: refused for who asks (401/403) or where (400), never for its shape. */
const shiftBody = (region = "us-east-1") => ({
  region,
  functionName: "orders-api",
  alias: "live",
  primaryVersion: "12",
  additionalVersion: "13",
  weightPercent: 10,
  revisionId: "00000000-0000-0000-0000-000000000000",
});

const whoIs = async (cookie: string) =>
  ((await (await fetch(`${base}/api/auth/me`, { headers: { cookie } })).json()) as { principal: unknown })
    .principal;

const browserCookie = async () =>
  (await session.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

/** Console errors and CSP violations on a page, from before its first script runs. */
async function watched(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
    });
  });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return problems;
}

async function signInWithToken(page: Page, token: string, returnTo: string) {
  await page.goto(`${base}/login?returnTo=${encodeURIComponent(returnTo)}`, { waitUntil: "load" });
  await page.getByLabel("Login token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => `${u.pathname}${u.search}` === returnTo);
}

beforeAll(async () => {
  own = await startOwnConsole({
    endpoint: await startRecordingProxy(inject("sandboxUrl")),
    name: "sessions",
    env: { FLEETSCOPE_SESSION_SECRET: SECRET },
  });
  base = own.url;
  session = await connectBrowser(base);
});

afterAll(async () => {
  await session?.close();
  await own?.close();
  await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
});

describe("the session control in the header", () => {
  it("signs in with the token, shows who, and signs out server-side", async () => {
    const page = await session.context.newPage();
    const problems = await watched(page);
    const header = page.getByRole("banner");
    await page.goto(`${base}/functions?q=orders`, { waitUntil: "load" });
    // Signed out: a link back to this very page after sign-in.
    const signIn = header.getByRole("link", { name: "Sign in" });
    expect(await signIn.getAttribute("href")).toBe(
      `/login?returnTo=${encodeURIComponent("/functions?q=orders")}`,
    );

    const token = readFileSync(path.join(own.dir, "login-token"), "utf8").trim();
    await signInWithToken(page, token, "/functions?q=orders");
    await header.getByText("local-operator").waitFor();
    expect(await header.textContent()).toContain("local-operator · operator");
    const copied = await browserCookie();
    expect(await whoIs(copied)).not.toBeNull();

    await header.getByRole("button", { name: "Sign out" }).click();
    await header.getByRole("link", { name: "Sign in" }).waitFor();
    expect(await header.textContent()).not.toContain("local-operator");
    // Revoked in the store, not only deleted from this browser: a copy of the cookie is refused.
    const refused = await post("/api/traffic/shift", shiftBody(), copied);
    expect(refused.status).toBe(401);
    expect(await whoIs(copied)).toBeNull();
    expect(problems).toEqual([]);
    await page.close();
  });

  it("ends every session, this browser's and another's, after a confirmation", async () => {
    // The first token was used up: ask the running console's store for a fresh one, as an operator would.
    const issued = spawnSync("npm", ["run", "-s", "login-token"], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...own.env },
      encoding: "utf8",
    });
    expect(issued.status).toBe(0);
    const token = issued.stdout.trim();
    expect(token).not.toBe("");

    const page = await session.context.newPage();
    const problems = await watched(page);
    const header = page.getByRole("banner");
    await signInWithToken(page, token, "/traffic");
    await header.getByText("local-operator").waitFor();
    const mine = await browserCookie();
    const other = await storeSession("other-operator");
    expect(await whoIs(other)).not.toBeNull();

    await header.getByRole("button", { name: "End all sessions" }).click();
    const confirm = page.getByRole("alertdialog", { name: "End all sessions?" });
    expect(await confirm.textContent()).toMatch(/every browser.*this one included/);
    // Cancel ends nothing, and neither does Escape: the dialog closes, every session stays.
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "hidden" });
    expect(await whoIs(other)).not.toBeNull();
    await header.getByRole("button", { name: "End all sessions" }).click();
    await confirm.waitFor();
    await page.keyboard.press("Escape");
    await confirm.waitFor({ state: "hidden" });
    expect(await whoIs(other)).not.toBeNull();
    expect(await whoIs(mine)).not.toBeNull();

    await header.getByRole("button", { name: "End all sessions" }).click();
    await confirm.getByRole("button", { name: "Sign out everyone" }).click();
    await header.getByRole("link", { name: "Sign in" }).waitFor();
    for (const cookie of [mine, other]) {
      expect((await post("/api/traffic/shift", shiftBody(), cookie)).status).toBe(401);
      expect(await whoIs(cookie)).toBeNull();
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("traffic changes in a region the console does not read", () => {
  it("refuses every mutation with 400 region-not-configured and makes no AWS call there", async () => {
    const operator = await storeSession("region-operator");
    const target = { region: UNCONFIGURED, functionName: "orders-api", alias: "live" };
    const revisionId = "00000000-0000-0000-0000-000000000000";
    const mutations: [string, unknown][] = [
      ["/api/traffic/shift", shiftBody(UNCONFIGURED)],
      ["/api/traffic/promote", { ...target, revisionId }],
      ["/api/traffic/rollback", { ...target, revisionId }],
      [
        "/api/traffic/plans",
        { ...target, newVersion: "13", kind: "canary", stepPercent: 10, stepSeconds: 60 },
      ],
    ];
    for (const [route, body] of mutations) {
      const res = await post(route, body, operator);
      const { error } = (await res.json()) as {
        error: { code: string; message: string; details: { reason?: string } | null };
      };
      expect({ route, status: res.status, code: error.code, reason: error.details?.reason }).toEqual({
        route,
        status: 400,
        code: "InvalidInput",
        reason: "region-not-configured",
      });
      expect(error.message).toContain(`"${UNCONFIGURED}" is not configured`);
    }
    // The proxy saw the collector's us-east-1 calls (so it records), and none for the refused region.
    expect(awsRegions).toContain("us-east-1");
    expect(awsRegions.filter((r) => r !== "us-east-1")).toEqual([]);
  });
});
