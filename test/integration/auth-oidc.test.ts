/**
 * OpenID Connect sign-in end to end: a tiny provider on 127.0.0.1 (discovery, JWKS, authorize, token — RS256
 * ID tokens with a groups claim, PKCE checked as RFC 7636 says) and the console's real route handlers, called
 * with plain Requests. Only `next/headers` is replaced: an in-memory cookie jar plays the browser's cookies.
 * The console's store is PostgreSQL (a team deployment, issue 16): sessions are rows there.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

/** The browser's cookie jar, as `cookies()` from next/headers exposes it to route handlers. */
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) ?? "" } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
}));

const { GET: start } = await import("@/app/api/auth/oidc/start/route");
const { GET: callback } = await import("@/app/api/auth/oidc/callback/route");
const { GET: me } = await import("@/app/api/auth/me/route");
const { POST: rollback } = await import("@/app/api/traffic/rollback/route");
const { OIDC_FLOW_COOKIE } = await import("@/lib/auth/oidc");
const { SESSION_COOKIE } = await import("@/lib/auth/session");
const { store } = await import("@/lib/store");
const { createPostgresDatabase } = await import("../support/stores");

const CONSOLE = "http://console.test";
const CLIENT_ID = "fleetscope";
const CLIENT_SECRET = "s3cret:with/odd chars";
const OPERATORS = "lambda-operators";

interface User {
  sub: string;
  email: string;
  groups: string[];
}
/** How the provider misbehaves on the next token request. */
type Mangle =
  | "none"
  | "tamper"
  | "expired"
  | "wrong-nonce"
  | "wrong-issuer"
  | "wrong-audience"
  | "other-azp"
  | "several-audiences"
  | "hang";

const provider = {
  url: "",
  user: { sub: "u1", email: "op@example.com", groups: [OPERATORS] } as User,
  mangle: "none" as Mangle,
  /** code → what the authorize request bound to it. */
  codes: new Map<string, { challenge: string; nonce: string; redirectUri: string; user: User }>(),
  tokenRequests: [] as URLSearchParams[],
  discoveryRequests: 0,
};
/** The console's bound on each call to the provider (FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS). */
const CALL_TIMEOUT_MS = 1000;
let server: Server;
let privateKey: CryptoKey;

const readBody = async (req: IncomingMessage) => {
  let s = "";
  for await (const chunk of req) s += String(chunk);
  return s;
};

async function handle(req: IncomingMessage): Promise<{ status: number; headers?: object; body?: unknown }> {
  const url = new URL(req.url ?? "/", provider.url);
  switch (url.pathname) {
    case "/.well-known/openid-configuration":
      provider.discoveryRequests += 1;
      return {
        status: 200,
        body: {
          issuer: provider.url,
          authorization_endpoint: `${provider.url}/authorize`,
          token_endpoint: `${provider.url}/token`,
          jwks_uri: `${provider.url}/jwks`,
          code_challenge_methods_supported: ["S256"],
        },
      };
    case "/jwks": {
      const { d: _private, ...rest } = await exportJWK(privateKey);
      return { status: 200, body: { keys: [{ ...rest, kid: "k1", alg: "RS256", use: "sig" }] } };
    }
    case "/authorize": {
      const p = url.searchParams;
      if (p.get("client_id") !== CLIENT_ID || p.get("code_challenge_method") !== "S256") {
        return { status: 400, body: { error: "invalid_request" } };
      }
      const code = randomBytes(8).toString("hex");
      provider.codes.set(code, {
        challenge: p.get("code_challenge") ?? "",
        nonce: p.get("nonce") ?? "",
        redirectUri: p.get("redirect_uri") ?? "",
        user: provider.user,
      });
      const back = new URL(p.get("redirect_uri") ?? "");
      back.searchParams.set("code", code);
      back.searchParams.set("state", p.get("state") ?? "");
      return { status: 302, headers: { location: back.toString() } };
    }
    case "/token": {
      const form = new URLSearchParams(await readBody(req));
      provider.tokenRequests.push(form);
      if (provider.mangle === "hang") return new Promise(() => {}); // never answers
      const [id, secret] = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64")
        .toString()
        .split(":")
        .map((s) => decodeURIComponent(s.replace(/\+/g, " ")));
      if (id !== CLIENT_ID || secret !== CLIENT_SECRET)
        return { status: 401, body: { error: "invalid_client" } };
      const bound = provider.codes.get(form.get("code") ?? "");
      provider.codes.delete(form.get("code") ?? ""); // codes are single-use
      const challenge = createHash("sha256")
        .update(form.get("code_verifier") ?? "")
        .digest("base64url");
      if (!bound || bound.challenge !== challenge || bound.redirectUri !== form.get("redirect_uri")) {
        return { status: 400, body: { error: "invalid_grant" } };
      }
      const now = Math.floor(Date.now() / 1000);
      const exp = provider.mangle === "expired" ? now - 120 : now + 300;
      let idToken = await new SignJWT({
        email: bound.user.email,
        groups: bound.user.groups,
        nonce: provider.mangle === "wrong-nonce" ? "other" : bound.nonce,
        ...(provider.mangle === "other-azp" ? { azp: "another-app" } : {}),
      })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(provider.mangle === "wrong-issuer" ? "https://other-idp.example" : provider.url)
        .setAudience(
          provider.mangle === "several-audiences"
            ? [CLIENT_ID, "another-app"]
            : provider.mangle === "wrong-audience"
              ? "another-app"
              : CLIENT_ID,
        )
        .setSubject(bound.user.sub)
        .setIssuedAt(exp - 300)
        .setExpirationTime(exp)
        .sign(privateKey);
      if (provider.mangle === "tamper") {
        // A viewer promoting themselves: same signature, edited payload.
        const [h, payload, sig] = idToken.split(".");
        const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as object;
        const edited = Buffer.from(JSON.stringify({ ...claims, groups: [OPERATORS] })).toString("base64url");
        idToken = `${h}.${edited}.${sig}`;
      }
      return { status: 200, body: { access_token: "at", token_type: "Bearer", id_token: idToken } };
    }
    default:
      return { status: 404, body: { error: "not found" } };
  }
}

beforeAll(async () => {
  ({ privateKey } = await generateKeyPair("RS256", { extractable: true }));
  server = createServer((req, res) => {
    handle(req).then(
      ({ status, headers, body }) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(body === undefined ? "" : JSON.stringify(body));
      },
      (e: unknown) => {
        res.writeHead(500);
        res.end(String(e));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  provider.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // env() is parsed on first use, which is after this.
  Object.assign(process.env, {
    FLEETSCOPE_OIDC_ISSUER: provider.url,
    FLEETSCOPE_OIDC_CLIENT_ID: CLIENT_ID,
    FLEETSCOPE_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    FLEETSCOPE_OIDC_OPERATOR_GROUP: OPERATORS,
    FLEETSCOPE_PUBLIC_URL: CONSOLE,
    FLEETSCOPE_SESSION_SECRET: "t".repeat(40),
    FLEETSCOPE_DATABASE_URL: await createPostgresDatabase(),
    FLEETSCOPE_READ_ONLY: "false",
    FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
  });
});

afterAll(async () => {
  await store().db.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(() => {
  jar.clear(); // a fresh browser per test
  provider.mangle = "none";
});

/** Console sign-in start → provider authorize → back at the console's callback URL (not yet called). */
async function toCallback(user: User): Promise<URL> {
  provider.user = user;
  const started = await start(new Request(`${CONSOLE}/api/auth/oidc/start?returnTo=/traffic/payments-api`));
  expect(started.status).toBe(307);
  expect(jar.has(OIDC_FLOW_COOKIE)).toBe(true);
  const authorize = new URL(started.headers.get("location") ?? "");
  expect(authorize.origin).toBe(provider.url);
  expect(authorize.searchParams.get("redirect_uri")).toBe(`${CONSOLE}/api/auth/oidc/callback`);
  const answer = await fetch(authorize, { redirect: "manual" });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location") ?? "");
}

const signIn = async (user: User) => callback(new Request(await toCallback(user)));

const whoAmI = async () =>
  ((await (await me()).json()) as { principal: { id: string; role: string; via: string } | null }).principal;

/** A same-origin mutation with an empty body: past the guard it fails validation (400), not auth (401/403). */
const tryRollback = async () => {
  const res = await rollback(
    new Request(`${CONSOLE}/api/traffic/rollback`, {
      method: "POST",
      headers: { origin: CONSOLE, "content-type": "application/json" },
      body: "{}",
    }),
  );
  return { status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code };
};

describe("OIDC sign-in", () => {
  it("gives a member of the operator group an operator session that passes the mutation guard", async () => {
    const res = await signIn({ sub: "u1", email: "op@example.com", groups: ["staff", OPERATORS] });
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toBe(`${CONSOLE}/traffic/payments-api`);
    expect(jar.has(OIDC_FLOW_COOKIE)).toBe(false); // the flow is single-use
    expect(await whoAmI()).toEqual({ id: "oidc:u1", name: "op@example.com", role: "operator", via: "oidc" });
    expect(await tryRollback()).toEqual({ status: 400, code: "InvalidInput" });
    // The session is a row in the shared PostgreSQL store, so every replica honours (and can end) it.
    expect(store().db.dialect).toBe("postgres");
    expect(await store().sessions.count(0)).toBeGreaterThanOrEqual(1);
    // PKCE as RFC 7636: the console sent a verifier, the provider checked it against the challenge.
    expect(provider.tokenRequests.at(-1)?.get("code_verifier")).toMatch(/^[\w-]{43,128}$/);
  });

  it("gives anyone outside the operator group a viewer session that cannot mutate", async () => {
    const res = await signIn({ sub: "u2", email: "dev@example.com", groups: ["staff"] });
    expect(res.status).toBe(307);
    expect(await whoAmI()).toMatchObject({ id: "oidc:u2", role: "viewer" });
    expect(await tryRollback()).toEqual({ status: 403, code: "AccessDenied" });
  });

  it("refuses unauthenticated mutations", async () => {
    expect(await tryRollback()).toEqual({ status: 401, code: "Unauthenticated" });
  });

  const refusals: [Mangle, RegExp][] = [
    ["tamper", /ID token rejected.*signature/],
    ["expired", /ID token rejected.*exp/],
    ["wrong-nonce", /nonce mismatch/],
    ["wrong-issuer", /ID token rejected.*iss/],
    ["wrong-audience", /ID token rejected.*aud/],
    // Signed for us among others, or for another client of the same provider (OIDC Core §3.1.3.7).
    ["other-azp", /another client \(azp\)/],
    ["several-audiences", /several audiences and no azp/],
  ];
  it.each(refusals)("refuses a %s ID token and starts no session", async (mangle, message) => {
    provider.mangle = mangle;
    const res = await signIn({ sub: "u3", email: "dev@example.com", groups: ["staff"] });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    expect(jar.has(SESSION_COOKIE)).toBe(false);
    expect(await whoAmI()).toBeNull();
  });

  it("gives up on a provider that does not answer within the configured timeout", async () => {
    provider.mangle = "hang";
    const res = await signIn({ sub: "u1", email: "op@example.com", groups: [OPERATORS] });
    expect(res.status).toBe(504);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("Timeout");
    expect(jar.has(SESSION_COOKIE)).toBe(false);
  });

  it("discovers the provider once and reuses it for every sign-in", async () => {
    await signIn({ sub: "u1", email: "op@example.com", groups: [OPERATORS] });
    await signIn({ sub: "u2", email: "dev@example.com", groups: ["staff"] });
    expect(provider.discoveryRequests).toBe(1);
  });

  it("refuses a callback whose state is not the one this browser started", async () => {
    const back = await toCallback({ sub: "u1", email: "op@example.com", groups: [OPERATORS] });
    back.searchParams.set("state", "forged");
    const before = provider.tokenRequests.length;
    const res = await callback(new Request(back));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/state mismatch/);
    expect(provider.tokenRequests.length).toBe(before); // the code was never redeemed
    expect(jar.has(SESSION_COOKIE)).toBe(false);
  });

  it("refuses a callback in a browser that never started a sign-in (login CSRF)", async () => {
    const back = await toCallback({ sub: "u1", email: "op@example.com", groups: [OPERATORS] });
    jar.clear();
    const res = await callback(new Request(back));
    expect(res.status).toBe(401);
    expect(jar.has(SESSION_COOKIE)).toBe(false);
  });
});
