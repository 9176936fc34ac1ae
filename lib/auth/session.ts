/**
 * Session cookies: a short JWT (HS256, jose) naming the principal, the role and the server-side session row
 * (`jti`, lib/store/sessions.ts), signed with a key the server keeps across restarts, so a restart does not sign
 * everybody out. Verification here checks signature, issuer, audience and expiry; the caller then checks that
 * the row still exists (logout and "end all sessions" delete it). A token that fails any check is simply "no
 * session" (read-only), never an error page.
 */
import { randomBytes } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { Principal } from "./principal";

export const SESSION_COOKIE = "fleetscope_session";
export const SESSION_TTL_SECONDS = 12 * 3600;
const ISSUER = "fleetscope";
const AUDIENCE = "fleetscope-console";

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string(),
  role: z.enum(["operator", "viewer"]),
  via: z.enum(["token", "oidc"]),
  jti: z.string().min(1),
});

export const sessionKey = (secret: string) => new TextEncoder().encode(secret);

export const newSessionId = () => randomBytes(18).toString("base64url");

export interface VerifiedSession {
  principal: Principal;
  sessionId: string;
}

export async function signSession(
  principal: Principal,
  sessionId: string,
  key: Uint8Array,
  nowSeconds: number,
  ttlSeconds = SESSION_TTL_SECONDS,
) {
  return new SignJWT({ name: principal.name, role: principal.role, via: principal.via })
    .setProtectedHeader({ alg: "HS256" })
    .setJti(sessionId)
    .setSubject(principal.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ttlSeconds)
    .sign(key);
}

export async function verifySession(
  token: string | undefined,
  key: Uint8Array,
  nowSeconds: number,
): Promise<VerifiedSession | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
      currentDate: new Date(nowSeconds * 1000),
    });
    const c = claimsSchema.parse(payload);
    return { principal: { id: c.sub, name: c.name, role: c.role, via: c.via }, sessionId: c.jti };
  } catch {
    return null;
  }
}
