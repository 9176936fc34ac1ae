"use client";

import { PageMessage } from "@/components/ui/notice";
import { ErrorRetry } from "./error-retry";
import { useStoreDown } from "./use-store-down";
import "./globals.css";

/**
 * The boundary above the root layout (it replaces the layout, so it brings its own document): the page chrome
 * itself failed. Says when the store is down rather than leaving a blank page.
 */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  const storeDown = useStoreDown();
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : null;
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <title>Fleetscope · Error</title>
        <main className="px-4 py-4">
          <PageMessage code="Error" title="The console could not render this page">
            {storeDown ? (
              <p>
                The store is unreachable: <span className="font-mono text-xs">{storeDown}</span>
              </p>
            ) : (
              <p>
                Something failed on the server. Try again; if it persists, the server log has the details.
              </p>
            )}
            <ErrorRetry digest={digest} retry={retry} />
          </PageMessage>
        </main>
      </body>
    </html>
  );
}
