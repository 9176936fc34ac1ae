import Link from "next/link";
import { Suspense } from "react";
import type { KnownAccount } from "@/lib/url/shell";
import { AccountFilter } from "./account-filter";
import { Nav } from "./nav";
import { RegionSelector } from "./region-selector";
import { SessionMenu, type SignedIn } from "./session-menu";
import { ThemeToggle } from "./theme";
import { TimeRangePicker } from "./time-range-picker";

/** The top bar. URL-reading controls sit in Suspense so a static render never waits on search params. */
export function Header({
  regions,
  accounts,
  sandbox,
  signedIn,
  readOnly,
}: {
  regions: readonly string[];
  /** The accounts the console reads (the layout's promise: never rejects; [] when they cannot be decided). */
  accounts: Promise<readonly KnownAccount[]>;
  sandbox: boolean;
  /** Read by the layout from the session cookie and the store (lib/auth/server): null when signed out. */
  signedIn: SignedIn | null;
  readOnly: boolean;
}) {
  return (
    <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/95 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
      <div className="flex h-12 items-center gap-4 px-4">
        <Link href="/" className="flex items-center gap-2 text-sm font-semibold tracking-tight">
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm bg-sky-500" />
          Fleetscope
        </Link>
        {sandbox ? (
          <span
            title="Connected to the local sandbox account (AWS_ENDPOINT_URL), not AWS"
            className="rounded border border-amber-300 bg-amber-50 px-1.5 py-0.5 text-[11px] font-semibold uppercase tracking-wide text-amber-800 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-300"
          >
            Sandbox
          </span>
        ) : null}
        <Suspense fallback={<div className="flex-1" />}>
          <Nav />
          <div className="ml-auto flex items-center gap-2">
            <Suspense fallback={null}>
              <AccountFilter accounts={accounts} />
            </Suspense>
            <RegionSelector configured={regions} />
            <TimeRangePicker />
            <ThemeToggle />
            <SessionMenu signedIn={signedIn} readOnly={readOnly} />
          </div>
        </Suspense>
      </div>
    </header>
  );
}
