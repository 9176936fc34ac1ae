import { describe, expect, it } from "vitest";
import { consumeLoginToken, issueLoginToken } from "@/lib/auth/login-token";
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
  it("is one-time and replaced by a new issue", () => {
    const settings = createSettings(openDatabase(":memory:"));
    const first = issueLoginToken(settings, null);
    const second = issueLoginToken(settings, null);
    expect(consumeLoginToken(settings, first)).toBe(false);
    expect(consumeLoginToken(settings, "short")).toBe(false);
    expect(consumeLoginToken(settings, second)).toBe(true);
    expect(consumeLoginToken(settings, second)).toBe(false);
  });

  it("only returns to local paths after sign-in", () => {
    expect(safeReturnTo("/traffic/us-east-1/f/live")).toBe("/traffic/us-east-1/f/live");
    expect(safeReturnTo("//evil.example")).toBe("/traffic");
    expect(safeReturnTo("https://evil.example")).toBe("/traffic");
    expect(safeReturnTo(null)).toBe("/traffic");
  });
});
