"use client";

/**
 * A next/link that says "Loading…" while its navigation is pending. For links to pages that must stay able to
 * answer 404 (a trace, a request, a function): their lookup runs before anything streams, so they cannot show
 * a route-level loading state, and a click on a slow lookup would otherwise look like nothing happened.
 */
import Link, { useLinkStatus } from "next/link";
import type { ComponentProps } from "react";

export function PendingLink({ children, ...props }: ComponentProps<typeof Link>) {
  return (
    <Link {...props}>
      {children}
      <PendingHint />
    </Link>
  );
}

/**
 * Always rendered, in a zero-width anchor, so the link's box and the table around it never move; only its
 * opacity and its text change (the text empties when idle so screen readers do not read it as the link's name).
 */
function PendingHint() {
  const { pending } = useLinkStatus();
  return (
    <span className="relative inline-block w-0 align-baseline">
      <span
        aria-live="polite"
        data-testid="link-pending"
        data-pending={pending}
        className={`pointer-events-none absolute left-1 top-0 -translate-y-full whitespace-nowrap rounded bg-white/90 px-1 text-xs font-normal text-zinc-500 transition-opacity dark:bg-zinc-900/90 dark:text-zinc-400 ${
          pending ? "opacity-100" : "opacity-0"
        }`}
      >
        {pending ? "Loading…" : ""}
      </span>
    </span>
  );
}
