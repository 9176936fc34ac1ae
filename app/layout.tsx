import type { Metadata } from "next";
import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import { headers } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Header } from "@/components/shell/header";
import { THEME_BOOT_SCRIPT } from "@/components/shell/theme-script";
import { currentPrincipal } from "@/lib/auth/server";
import { env } from "@/lib/config/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Fleetscope", template: "%s · Fleetscope" },
  description: "Observability console for AWS Lambda fleets",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every view is live AWS state, and the env (regions, endpoint) is read at run time, never baked in at build.
  await connection();
  const settings = env();
  // proxy.ts's per-request CSP nonce: the one inline script of ours must carry it (Next nonces its own).
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  // A cookie read and one store lookup: the header shows who is signed in (only name and role reach the client).
  const principal = await currentPrincipal();
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`} suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-zinc-50 font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <Header
          regions={settings.regions}
          sandbox={settings.endpointIsLoopback}
          signedIn={principal && { name: principal.name, role: principal.role }}
          readOnly={settings.readOnly}
        />
        <main className="px-4 py-4">{children}</main>
      </body>
    </html>
  );
}
