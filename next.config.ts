import type { NextConfig } from "next";

/**
 * Headers every response carries. The Content-Security-Policy is per request (its nonce) and set in proxy.ts;
 * X-Frame-Options repeats its frame-ancestors 'none' for browsers that predate CSP 2.
 */
const SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Addresses carry request and trace ids: other sites learn nothing of where a link was followed from.
  { key: "Referrer-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  // The console talks to AWS from the server only; these never go to the browser bundle.
  serverExternalPackages: ["better-sqlite3"],
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
