/**
 * Which requests come from this console's own pages. Pure: the route guard (lib/auth/server.ts) and the proxy
 * (proxy.ts) pass in the headers and settings.
 *
 * - `checkSameOrigin`, for state-changing requests: browsers send `Origin` on every POST (and `Sec-Fetch-Site`);
 *   the origin must be this console's own, scheme included (an https page is another origin than an http
 *   console on the same host). A request without Origin is refused: every client that may change traffic (our
 *   pages, scripts, the tests) can send one, and refusing it closes the "no header" loophole. Together with
 *   SameSite=Lax cookies this is the OWASP "verify origin with standard headers" defence.
 * - `checkHost`, for every request: DNS rebinding points an attacker's name at this console, so the browser
 *   treats the console as the attacker's origin and sends `Host: evil.example`. With FLEETSCOPE_PUBLIC_URL set,
 *   only its host is accepted. Without it, only hosts no rebinding can produce: `localhost` (and
 *   `*.localhost`, which browsers resolve to loopback themselves) and IP literals (a page whose origin is an IP
 *   is that IP; no name is involved). A console reached by a DNS name must therefore set FLEETSCOPE_PUBLIC_URL.
 */
export interface OriginCheckInput {
  method: string;
  origin: string | null;
  secFetchSite: string | null;
  host: string | null;
  /**
   * The schemes this server is reached on when no public URL is set ("http", "https"; no colon): the one it
   * serves, and a TLS-terminating proxy's X-Forwarded-Proto (a cross-site page cannot add that header to a
   * POST without a CORS preflight, which this console never grants).
   */
  schemes: readonly string[];
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
  const expected = consoleOrigins(input);
  return expected.includes(origin.origin)
    ? { ok: true }
    : {
        ok: false,
        reason: `origin ${origin.origin} is not this console (${expected.join(" or ") || "no Host"})`,
      };
}

/** scheme://host of this console: the public URL's, else the request's Host on the schemes it is served on. */
function consoleOrigins(input: OriginCheckInput): string[] {
  if (input.publicUrl) return [new URL(input.publicUrl).origin];
  if (!input.host) return [];
  return input.schemes.flatMap((scheme) => {
    try {
      return [new URL(`${scheme}://${input.host}`).origin];
    } catch {
      return [];
    }
  });
}

export interface HostCheckInput {
  host: string | null;
  publicUrl: string | null;
}

export function checkHost({ host, publicUrl }: HostCheckInput): OriginCheck {
  if (!host) return { ok: false, reason: "missing Host header" };
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return { ok: false, reason: "malformed Host header" };
  }
  // `new URL` also accepts "a.example/x" or "user@a.example": the header must be exactly host[:port].
  if (/[/?#@\\\s]/.test(host)) {
    return { ok: false, reason: "malformed Host header" };
  }
  if (publicUrl) {
    const expected = new URL(publicUrl).host;
    return url.host === expected ? { ok: true } : { ok: false, reason: `host ${host} is not ${expected}` };
  }
  return isRebindingProof(url.hostname)
    ? { ok: true }
    : {
        ok: false,
        reason: `host ${host} is not this console: set FLEETSCOPE_PUBLIC_URL to serve it under a DNS name`,
      };
}

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

/** A hostname no DNS answer can stand behind: loopback names browsers resolve themselves, and IP literals. */
function isRebindingProof(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    IPV4.test(hostname) ||
    (hostname.startsWith("[") && hostname.endsWith("]"))
  );
}
