"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { postJson } from "@/components/traffic/post-json";

/** The one-time token printed in the server log at start-up (also in .data/login-token). */
export function LoginForm({ returnTo }: { returnTo: string }) {
  const router = useRouter();
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="space-y-2"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await postJson("/api/auth/login", { token });
        if (r.ok) router.push(returnTo.startsWith("/") && !returnTo.startsWith("//") ? returnTo : "/traffic");
        else setError(r.error.message);
      }}
    >
      <label className="flex flex-col gap-1 text-sm">
        Login token (printed in the server log at start-up)
        <input
          aria-label="Login token"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          className="rounded border px-2 py-1 font-mono dark:bg-zinc-900"
        />
      </label>
      <button type="submit" className="rounded bg-sky-600 px-3 py-1.5 text-sm font-medium text-white">
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
