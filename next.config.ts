import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The console talks to AWS from the server only; these never go to the browser bundle.
  serverExternalPackages: ["better-sqlite3"],
  poweredByHeader: false,
};

export default nextConfig;
