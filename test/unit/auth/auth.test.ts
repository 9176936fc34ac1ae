import { describe, expect, it } from "vitest";
import {
  consumeLoginToken,
  hashToken,
  issueLoginToken,
  LOGIN_TOKEN_PREFIX,
  LOGIN_TOKEN_TTL_MS,
} from "@/lib/auth/login-token";
import { safeReturnTo } from "@/lib/auth/oidc";
import { checkSameOrigin } from "@/lib/auth/origin";
import { authorizeChange, roleFromClaims, type Principal } from "@/lib/auth/principal";
import { sessionKey, signSession, verifySession } from "@/lib/auth/session";
import { isFleetscopeError } from "@/lib/core/errors";
import { openDatabase } from "@/lib/store/database";
import { createSettings } from "@/lib/store/settings";

const operator: Principal = { id: "local-operator", name: "local-operator", role: "operator", via: "token" };
const viewer: Principal = { id: "oidc:v", name: "v@example.com", role: "viewer", via: "oidc" };
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return isFleetscopeError(e) ? e.code : "other";
  }
  return "none";
};

describe("authorizeChange", () => {
  it("lets only operators change, and nobody in read-only mode", () => {
    expect(authorizeChange(operator, false)).toBe(operator);
    expect(codeOf(() => authorizeChange(null, false))).toBe("Unauthenticated");
    expect(codeOf(() => authorizeChange(viewer, false))).toBe("AccessDenied");
    expect(codeOf(() => authorizeChange(operator, true))).toBe("AccessDenied");
  });

  it("derives the role from a groups claim in either shape", () => {
    expect(roleFromClaims({ groups: ["a", "ops"] }, "groups", "ops")).toBe("operator");
    expect(roleFromClaims({ groups: "ops" }, "groups", "ops")).toBe("operator");
    expect(roleFromClaims({ groups: ["a"] }, "groups", "ops")).toBe("viewer");
    expect(roleFromClaims({}, "groups", "ops")).toBe("viewer");
    expect(roleFromClaims({ roles: ["ops"] }, "roles", "ops")).toBe("operator");
  });
});

describe("sessions", () => {
  const key = sessionKey("x".repeat(40));
  it("round-trips a principal and rejects expired, foreign or tampered tokens", async () => {
    const token = await signSession(operator, "sid-1", key, 1_000_000, 60);
    expect(await verifySession(token, key, 1_000_030)).toEqual({ principal: operator, sessionId: "sid-1" });
    expect(await verifySession(token, key, 1_000_061)).toBeNull();
    expect(await verifySession(token, sessionKey("y".repeat(40)), 1_000_030)).toBeNull();
    const [h, p, s] = token.split(".");
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(p ?? "", "base64url").toString()),
        role: "operator",
        sub: "x",
      }),
    ).toString("base64url");
    expect(await verifySession(`${h}.${forged}.${s}`, key, 1_000_030)).toBeNull();
    expect(await verifySession(undefined, key, 1_000_030)).toBeNull();
  });
});

describe("origin check", () => {
  const base = {
    method: "POST",
    origin: "http://127.0.0.1:3000",
    secFetchSite: "same-origin",
    host: "127.0.0.1:3000",
    schemes: ["http"],
    publicUrl: null,
  };
  it("accepts same-origin mutations and any safe method", () => {
    expect(checkSameOrigin(base).ok).toBe(true);
    expect(checkSameOrigin({ ...base, method: "GET", origin: "https://evil.example" }).ok).toBe(true);
  });
  it("refuses cross-site, missing or foreign origins", () => {
    expect(checkSameOrigin({ ...base, secFetchSite: "cross-site" }).ok).toBe(false);
    expect(checkSameOrigin({ ...base, origin: null, secFetchSite: null }).ok).toBe(false);
    expect(checkSameOrigin({ ...base, origin: "https://evil.example", secFetchSite: null }).ok).toBe(false);
    expect(checkSameOrigin({ ...base, origin: "null" }).ok).toBe(false);
    expect(checkSameOrigin({ ...base, publicUrl: "https://fleetscope.example.com" }).ok).toBe(false);
    expect(
      checkSameOrigin({
        ...base,
        origin: "https://fleetscope.example.com",
        publicUrl: "https://fleetscope.example.com/",
      }).ok,
    ).toBe(true);
  });
});

describe("login token", () => {
  const NOW = Date.UTC(2026, 11, 7, 12, 0);

  it("is one-time, and `npm run login-token` (replaceUnused) replaces every unused one", async () => {
    const settings = createSettings(openDatabase(":memory:"));
    const first = await issueLoginToken(settings, null, NOW);
    const second = await issueLoginToken(settings, null, NOW, { replaceUnused: true });
    expect(await consumeLoginToken(settings, first, NOW)).toBe(false);
    expect(await consumeLoginToken(settings, "short", NOW)).toBe(false);
    expect(await consumeLoginToken(settings, second, NOW)).toBe(true);
    expect(await consumeLoginToken(settings, second, NOW)).toBe(false);
  });

  it("keeps every replica's start-up token valid: two issues on one store, each works once", async () => {
    const settings = createSettings(openDatabase(":memory:"));
    const a = await issueLoginToken(settings, null, NOW);
    const b = await issueLoginToken(settings, null, NOW + 1);
    expect(a).not.toBe(b);
    expect(await consumeLoginToken(settings, b, NOW + 2)).toBe(true);
    expect(await consumeLoginToken(settings, a, NOW + 3)).toBe(true);
    expect(await consumeLoginToken(settings, a, NOW + 4)).toBe(false);
    expect(await consumeLoginToken(settings, b, NOW + 5)).toBe(false);
    // Only hashes are stored, one row per unused token.
    const c = await issueLoginToken(settings, null, NOW + 6);
    const rows = await settings.withPrefix(LOGIN_TOKEN_PREFIX);
    expect(rows.map((r) => r.key)).toEqual([`${LOGIN_TOKEN_PREFIX}${hashToken(c)}`]);
    expect(JSON.stringify(rows)).not.toContain(c);
  });

  it("expires an unused token after LOGIN_TOKEN_TTL_MS, and the next issue prunes it", async () => {
    const settings = createSettings(openDatabase(":memory:"));
    const late = await issueLoginToken(settings, null, NOW);
    const kept = await issueLoginToken(settings, null, NOW);
    expect(await consumeLoginToken(settings, late, NOW + LOGIN_TOKEN_TTL_MS)).toBe(false);
    expect(await consumeLoginToken(settings, late, NOW + 1)).toBe(false); // removed, not merely refused
    expect(await consumeLoginToken(settings, kept, NOW + LOGIN_TOKEN_TTL_MS - 1)).toBe(true);
    const stale = await issueLoginToken(settings, null, NOW);
    const fresh = await issueLoginToken(settings, null, NOW + LOGIN_TOKEN_TTL_MS);
    expect((await settings.withPrefix(LOGIN_TOKEN_PREFIX)).map((r) => r.key)).toEqual([
      `${LOGIN_TOKEN_PREFIX}${hashToken(fresh)}`,
    ]);
    expect(await consumeLoginToken(settings, stale, NOW + 1)).toBe(false);
  });

  it("only returns to local paths after sign-in", () => {
    expect(safeReturnTo("/traffic/us-east-1/f/live")).toBe("/traffic/us-east-1/f/live");
    expect(safeReturnTo("//evil.example")).toBe("/traffic");
    expect(safeReturnTo("https://evil.example")).toBe("/traffic");
    expect(safeReturnTo(null)).toBe("/traffic");
  });
});
