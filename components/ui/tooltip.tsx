"use client";

import { Tooltip as RadixTooltip } from "radix-ui";
import type { ReactNode } from "react";

/**
 * A hint shown on hover and on keyboard focus (Radix Tooltip), replacing `title=`: it appears without the
 * browser's delay, is styled once here (light and dark), and is announced as the trigger's description.
 *
 * Invariants:
 * - The child is the trigger itself (Radix `asChild`): it must be a single element that accepts a ref and
 *   event handlers. A tooltip's text exists only while it is open, so on a non-interactive child (a badge) it is
 *   a hover aid only: put the same text inside the child as `sr-only` text and do not make it a tab stop.
 * - Each Tooltip carries its own Provider, so it works anywhere without a provider higher in the tree.
 * - `content` is rendered as text/React nodes, never as HTML: AWS strings stay untrusted text.
 */
export function Tooltip({
  content,
  children,
  side = "top",
  delayMs = 300,
}: {
  content: ReactNode;
  children: ReactNode;
  side?: "top" | "right" | "bottom" | "left";
  delayMs?: number;
}) {
  return (
    <RadixTooltip.Provider delayDuration={delayMs}>
      <RadixTooltip.Root>
        <RadixTooltip.Trigger asChild>{children}</RadixTooltip.Trigger>
        <RadixTooltip.Portal>
          <RadixTooltip.Content
            side={side}
            sideOffset={4}
            collisionPadding={8}
            className="z-50 max-w-xs whitespace-pre-line rounded-md bg-zinc-900 px-2 py-1 text-xs text-zinc-50 shadow-md dark:bg-zinc-100 dark:text-zinc-900"
          >
            {content}
            <RadixTooltip.Arrow className="fill-zinc-900 dark:fill-zinc-100" />
          </RadixTooltip.Content>
        </RadixTooltip.Portal>
      </RadixTooltip.Root>
    </RadixTooltip.Provider>
  );
}
