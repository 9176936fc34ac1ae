"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { postJson } from "@/components/traffic/post-json";

/** Who the header says is signed in: only what it shows, never the session itself. */
export interface SignedIn {
  name: string;
  role: "operator" | "viewer";
}

const BUTTON =
  "rounded-md px-2 py-1 text-xs font-medium outline-none focus-visible:ring-2 focus-visible:ring-sky-500 disabled:opacity-50";

/**
 * Sign in / sign out in the header. The principal comes from the server render; after a change the page is
 * refreshed from the server so every part of it (the header, operator-only controls) shows the new state.
 */
export function SessionMenu({ signedIn, readOnly }: { signedIn: SignedIn | null; readOnly: boolean }) {
  if (signedIn) return <SignedInMenu who={signedIn} />;
  if (readOnly) {
    return (
      <span
        title="FLEETSCOPE_READ_ONLY is set: changes and sign-in are disabled"
        className="rounded border border-zinc-300 px-1.5 py-0.5 text-[11px] font-semibold uppercase tracking-wide text-zinc-600 dark:border-zinc-700 dark:text-zinc-400"
      >
        Read-only
      </span>
    );
  }
  return <SignInLink />;
}

function SignInLink() {
  const pathname = usePathname();
  const query = useSearchParams().toString();
  const here = query ? `${pathname}?${query}` : pathname;
  return (
    <Link
      href={`/login?returnTo=${encodeURIComponent(here)}`}
      className={`${BUTTON} bg-sky-600 text-white hover:bg-sky-700`}
    >
      Sign in
    </Link>
  );
}

function SignedInMenu({ who }: { who: SignedIn }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const end = async (url: string) => {
    setBusy(true);
    setError(null);
    const r = await postJson(url, {});
    setBusy(false);
    setConfirming(false);
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    router.refresh();
  };

  return (
    <div className="relative flex items-center gap-2" data-testid="session-menu">
      <span className="text-xs text-zinc-600 dark:text-zinc-400">
        <span className="font-medium text-zinc-900 dark:text-zinc-100">{who.name}</span> · {who.role}
      </span>
      <button
        type="button"
        disabled={busy}
        onClick={() => end("/api/auth/logout")}
        className={`${BUTTON} border border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800`}
      >
        Sign out
      </button>
      {who.role === "operator" ? (
        <button
          type="button"
          disabled={busy}
          aria-expanded={confirming}
          onClick={() => setConfirming((c) => !c)}
          className={`${BUTTON} text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950`}
        >
          End all sessions
        </button>
      ) : null}
      {confirming ? (
        <div
          role="alertdialog"
          aria-label="End all sessions?"
          className="absolute right-0 top-full z-40 mt-2 w-72 space-y-2 rounded-md border border-zinc-200 bg-white p-3 text-sm shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <p>
            This signs out <strong>every browser</strong>, every user, this one included. Anyone who needs
            access signs in again.
          </p>
          <div className="flex justify-end gap-2">
            <button
              type="button"
              onClick={() => setConfirming(false)}
              className={`${BUTTON} border border-zinc-300 dark:border-zinc-700`}
            >
              Cancel
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => end("/api/auth/sessions/end-all")}
              className={`${BUTTON} bg-red-600 text-white hover:bg-red-700`}
            >
              Sign out everyone
            </button>
          </div>
        </div>
      ) : null}
      {error ? (
        <p
          role="alert"
          className="absolute right-0 top-full z-40 mt-2 w-72 rounded-md border border-red-200 bg-red-50 p-2 text-xs text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-300"
        >
          {error}
        </p>
      ) : null}
    </div>
  );
}
