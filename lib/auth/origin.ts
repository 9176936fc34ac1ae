/**
 * Cross-site request protection for state-changing requests. Browsers send `Origin` on every POST (and
 * `Sec-Fetch-Site`); we require the origin to be this console's own, as configured (FLEETSCOPE_PUBLIC_URL) or
 * as the request's Host says. A request without Origin is refused: every client that may change traffic
 * (our pages, scripts, the tests) can send one, and refusing it closes the "no header" loophole.
 * Together with SameSite=Lax cookies this is the OWASP "verify origin with standard headers" defence.
 */
export interface OriginCheckInput {
  method: string;
  origin: string | null;
  secFetchSite: string | null;
  host: string | null;
  /** Absolute URL whose origin is the only one accepted, when the console sits behind a proxy. */
  publicUrl: string | null;
}

export type OriginCheck = { ok: true } | { ok: false; reason: string };

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function checkSameOrigin(input: OriginCheckInput): OriginCheck {
  if (SAFE.has(input.method.toUpperCase())) return { ok: true };
  if (input.secFetchSite && input.secFetchSite !== "same-origin" && input.secFetchSite !== "none") {
    return { ok: false, reason: `cross-site request (Sec-Fetch-Site: ${input.secFetchSite})` };
  }
  if (!input.origin || input.origin === "null") return { ok: false, reason: "missing Origin header" };
  let origin: URL;
  try {
    origin = new URL(input.origin);
  } catch {
    return { ok: false, reason: "malformed Origin header" };
  }
  if (input.publicUrl) {
    return origin.origin === new URL(input.publicUrl).origin
      ? { ok: true }
      : { ok: false, reason: `origin ${origin.origin} is not this console` };
  }
  return input.host !== null && origin.host === input.host
    ? { ok: true }
    : { ok: false, reason: `origin ${origin.origin} is not this console (${input.host ?? "no Host"})` };
}
