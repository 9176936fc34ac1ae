"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { postJson } from "@/components/traffic/post-json";
import { Button, buttonClass } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Tooltip } from "@/components/ui/tooltip";

/** Who the header says is signed in: only what it shows, never the session itself. */
export interface SignedIn {
  name: string;
  role: "operator" | "viewer";
}

/**
 * Sign in / sign out in the header. The principal comes from the server render; after a change the page is
 * refreshed from the server so every part of it (the header, operator-only controls) shows the new state.
 */
export function SessionMenu({ signedIn, readOnly }: { signedIn: SignedIn | null; readOnly: boolean }) {
  if (signedIn) return <SignedInMenu who={signedIn} />;
  if (readOnly) {
    return (
      <Tooltip content="FLEETSCOPE_READ_ONLY is set: changes and sign-in are disabled">
        <span
          tabIndex={0}
          className="rounded border border-zinc-300 px-1.5 py-0.5 text-[11px] font-semibold uppercase tracking-wide text-zinc-600 dark:border-zinc-700 dark:text-zinc-400"
        >
          Read-only
        </span>
      </Tooltip>
    );
  }
  return <SignInLink />;
}

function SignInLink() {
  const pathname = usePathname();
  const query = useSearchParams().toString();
  const here = query ? `${pathname}?${query}` : pathname;
  return (
    <Link href={`/login?returnTo=${encodeURIComponent(here)}`} className={buttonClass("primary", "sm")}>
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
      <Button size="sm" disabled={busy} onClick={() => end("/api/auth/logout")}>
        Sign out
      </Button>
      {who.role === "operator" ? (
        <Button size="sm" variant="danger-outline" disabled={busy} onClick={() => setConfirming(true)}>
          End all sessions
        </Button>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title="End all sessions?"
        description={
          <>
            This signs out <strong>every browser</strong>, every user, this one included. Anyone who needs
            access signs in again.
          </>
        }
        confirmLabel="Sign out everyone"
        busyLabel="Signing out…"
        busy={busy}
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => void end("/api/auth/sessions/end-all")}
      />
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
