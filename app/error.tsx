"use client";

import { PageMessage } from "@/components/ui/notice";

/** Last-resort boundary: something failed that the page did not degrade on its own. */
export default function RouteError({ error, retry }: { error: unknown; retry: () => void }) {
  // Production hides server error messages behind a digest; show what we are given.
  const message = error instanceof Error ? error.message : String(error);
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : null;
  return (
    <PageMessage code="Error" title="This view could not be loaded">
      <p className="break-words font-mono text-xs">{message}</p>
      {digest ? <p className="text-xs text-zinc-500">Reference: {digest}</p> : null}
      <button
        type="button"
        onClick={() => retry()}
        className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900"
      >
        Try again
      </button>
    </PageMessage>
  );
}
