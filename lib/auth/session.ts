/**
 * Session cookies: a short JWT (HS256, jose) naming the principal and role, signed with a key the server keeps
 * across restarts, so a restart does not sign everybody out. Verification checks signature, issuer, audience
 * and expiry; a token that fails any check is simply "no session" (read-only), never an error page.
 */
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
});

export const sessionKey = (secret: string) => new TextEncoder().encode(secret);

export async function signSession(
  principal: Principal,
  key: Uint8Array,
  nowSeconds: number,
  ttlSeconds = SESSION_TTL_SECONDS,
) {
  return new SignJWT({ name: principal.name, role: principal.role, via: principal.via })
    .setProtectedHeader({ alg: "HS256" })
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
): Promise<Principal | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
      currentDate: new Date(nowSeconds * 1000),
    });
    const c = claimsSchema.parse(payload);
    return { id: c.sub, name: c.name, role: c.role, via: c.via };
  } catch {
    return null;
  }
}
