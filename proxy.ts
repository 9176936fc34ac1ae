/**
 * Runs before every route (Next 16's proxy, formerly middleware). Three things no page can do itself:
 * - refuse a foreign Host (DNS rebinding; the rule is lib/auth/origin.ts `checkHost`), pages and API alike,
 *   except the health check (below);
 * - answer 400 to an address whose %-escapes do not decode, before the router fails on it with a 500;
 * - give each page a fresh CSP nonce: Next reads it from the request's Content-Security-Policy and puts it on
 *   its own scripts; the root layout passes `x-nonce` to our one inline script (the theme boot).
 * Static security headers (X-Frame-Options, nosniff, Referrer-Policy) are in next.config.ts.
 */
import { NextResponse, type NextRequest } from "next/server";
import { checkHost } from "@/lib/auth/origin";
import { parseEnv } from "@/lib/config/env-schema";

let publicUrl: string | null | undefined;
// The validated env, not raw process.env: the same FLEETSCOPE_PUBLIC_URL the origin check uses.
const configuredPublicUrl = () => (publicUrl ??= parseEnv(process.env).publicUrl);

function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts our nonced scripts load (Next's chunks) are trusted; no host allow-list.
    // React needs eval in development only, for its error overlays and stacks.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${process.env.NODE_ENV === "development" ? " 'unsafe-eval'" : ""}`,
    // React `style` attributes (bar widths, virtual rows) cannot carry a nonce; no nonce here either, as one
    // would make browsers ignore 'unsafe-inline'.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A refusal before any route runs: the API's coded JSON error on /api, plain text for pages. */
const refuse = (request: NextRequest, status: number, code: string, text: string) =>
  new URL(request.url).pathname.startsWith("/api/")
    ? NextResponse.json({ error: { code, message: text, details: null } }, { status })
    : new NextResponse(`${text}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * Health checks come from load balancers and container runtimes that address the replica by its own IP or name,
 * not the public one; the answer holds nothing a rebinding page could use, so the Host rule does not apply.
 */
const HEALTH_PATH = "/api/health";

export function proxy(request: NextRequest) {
  if (request.nextUrl.pathname === HEALTH_PATH) return NextResponse.next();
  const host = checkHost({ host: request.headers.get("host"), publicUrl: configuredPublicUrl() });
  if (!host.ok) return refuse(request, 403, "AccessDenied", `Refused: ${host.reason}.`);
  if (!decodes(new URL(request.url).pathname)) {
    return refuse(request, 400, "InvalidInput", "Bad request: the address has a malformed %-escape.");
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Not the build's static files: they carry no page and need no nonce.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
