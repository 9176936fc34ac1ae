import type { Metadata } from "next";
import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import { headers } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Header } from "@/components/shell/header";
import { THEME_BOOT_SCRIPT } from "@/components/shell/theme-script";
import type { Principal } from "@/lib/auth/principal";
import { currentPrincipal } from "@/lib/auth/server";
import { env } from "@/lib/config/env";
import { accountTargets } from "@/lib/data/accounts";
import { recentStoreHealth, shortError, storeErrorCode, type StoreHealth } from "@/lib/data/health";
import { StoreUnreachableBanner } from "./store-unreachable";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Fleetscope", template: "%s · Fleetscope" },
  description: "Observability console for AWS Lambda fleets",
};

/**
 * Who is signed in, and why the store is down if it is. Sessions live in the store: while it cannot answer,
 * nobody is signed in and every page says why, instead of every page failing in its layout.
 */
async function signedInUnlessStoreDown(
  store: StoreHealth,
): Promise<{ principal: Principal | null; storeDown: string | null }> {
  // Down at the last reading: asking for the session would only wait out the connect timeout on every page.
  if (!store.reachable) return { principal: null, storeDown: store.error ?? "no answer" };
  try {
    return { principal: await currentPrincipal(), storeDown: null };
  } catch (e) {
    // Down since the last reading: the session lookup is the first to know.
    if (storeErrorCode(e) === "Unavailable") return { principal: null, storeDown: shortError(e) };
    throw e;
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every view is live AWS state, and the env (regions, endpoint) is read at run time, never baked in at build.
  await connection();
  const settings = env();
  // proxy.ts's per-request CSP nonce: the one inline script of ours must carry it (Next nonces its own).
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  // A reading a few seconds old at most, shared by concurrent requests: the banner costs no query per page.
  // Then, unless that reading says the store is down, a cookie read and one store lookup: the header shows who
  // is signed in (only name and role reach the client).
  const { principal, storeDown } = await signedInUnlessStoreDown(await recentStoreHealth());
  // Not awaited: the header's account filter streams in; accounts that cannot be decided show no filter (the
  // Accounts page and the fleet page say why).
  const accounts = accountTargets().then(
    (targets) => targets.map((t) => ({ id: t.id, name: t.name })),
    () => [],
  );
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`} suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-zinc-50 font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <Header
          regions={settings.regions}
          accounts={accounts}
          sandbox={settings.endpointIsLoopback}
          signedIn={principal && { name: principal.name, role: principal.role }}
          readOnly={settings.readOnly}
        />
        {storeDown !== null ? <StoreUnreachableBanner error={storeDown} /> : null}
        <main className="px-4 py-4">{children}</main>
      </body>
    </html>
  );
}
