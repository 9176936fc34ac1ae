"use client";

import { useState } from "react";
import { postJson } from "@/components/traffic/post-json";

const NO_COOKIE =
  "Signed in, but this browser did not keep the session cookie (is the console reached over http while " +
  "FLEETSCOPE_PUBLIC_URL or a proxy says https?). The token is used up: get a new one with `npm run login-token`.";

/** The one-time token printed in the server log at start-up, in .data/login-token, or by `npm run login-token`. */
export function LoginForm({ returnTo }: { returnTo: string }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="space-y-2"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const r = await postJson("/api/auth/login", { token });
        if (!r.ok) {
          setBusy(false);
          setError(r.error.message);
          return;
        }
        // Prove the cookie came back before leaving: a silently dropped cookie must be said here, not on the
        // next page as "not signed in".
        const me = (await fetch("/api/auth/me", { cache: "no-store" })
          .then((res) => res.json())
          .catch(() => null)) as { principal: unknown } | null;
        if (!me?.principal) {
          setBusy(false);
          setError(NO_COOKIE);
          return;
        }
        // A full navigation, not router.push: the client router could show a page rendered before sign-in.
        window.location.assign(returnTo);
      }}
    >
      <label className="flex flex-col gap-1 text-sm">
        Login token (printed in the server log at start-up, or by `npm run login-token`)
        <input
          aria-label="Login token"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          className="rounded border px-2 py-1 font-mono dark:bg-zinc-900"
        />
      </label>
      <button
        type="submit"
        disabled={busy}
        className="rounded bg-sky-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
      >
        Sign in
      </button>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
