"use client";

import { AlertDialog, Dialog as RadixDialog } from "radix-ui";
import { useRef, type ReactNode } from "react";
import { Button } from "./button";

/**
 * Modal dialogs on Radix: focus is trapped inside while open, Escape closes, the page behind is inert, and focus
 * returns to the element that had it when the dialog opened (also when the dialog is opened from state, not
 * from a Radix trigger, which is how the console opens confirmations).
 *
 * - Dialog: a titled panel for anything.
 * - ConfirmDialog: an alertdialog for a change that needs an explicit yes (traffic changes, session
 *   revocation). Title, what will change, Cancel and Confirm; Cancel has focus first, so Enter never confirms
 *   by accident; a pointer-down outside does not dismiss it (only Cancel or Escape do).
 */

const overlayClass = "fixed inset-0 z-40 bg-zinc-950/40 dark:bg-black/60";
const contentClass =
  "fixed left-1/2 top-1/2 z-50 max-h-[85vh] w-[min(34rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 " +
  "space-y-3 overflow-y-auto rounded-lg border bg-white p-5 text-sm text-zinc-900 shadow-xl outline-none " +
  "dark:bg-zinc-900 dark:text-zinc-100";

/** Remembers what had focus when the dialog opened, and gives it back on close. */
function useReturnFocus() {
  const opener = useRef<HTMLElement | null>(null);
  return {
    onOpenAutoFocus: () => {
      // Runs before Radix moves focus in: activeElement is still the opener.
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    },
    onCloseAutoFocus: (e: Event) => {
      const el = opener.current;
      if (el && el.isConnected) {
        e.preventDefault();
        el.focus();
      }
    },
  };
}

export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  testId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  testId?: string;
}) {
  const focus = useReturnFocus();
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className={overlayClass} />
        <RadixDialog.Content
          data-testid={testId}
          className={`${contentClass} border-zinc-200 dark:border-zinc-700`}
          // Without a description, say so explicitly (Radix warns about a missing one otherwise).
          {...(description ? {} : { "aria-describedby": undefined })}
          {...focus}
        >
          <RadixDialog.Title className="text-base font-semibold">{title}</RadixDialog.Title>
          {description ? (
            <RadixDialog.Description className="text-zinc-600 dark:text-zinc-400">
              {description}
            </RadixDialog.Description>
          ) : null}
          {children}
          <div className="flex justify-end">
            <RadixDialog.Close asChild>
              <Button>Close</Button>
            </RadixDialog.Close>
          </div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

export function ConfirmDialog({
  open,
  onCancel,
  onConfirm,
  title,
  description,
  children,
  confirmLabel,
  busy = false,
  busyLabel = "Sending…",
  danger = false,
  testId,
}: {
  open: boolean;
  /** Cancel, Escape: nothing is sent. Not called while busy (the request is already on its way). */
  onCancel: () => void;
  onConfirm: () => void;
  title: ReactNode;
  /** One sentence on what will happen; the dialog's accessible description. */
  description: ReactNode;
  /** What will change, in detail (before/after, notes). */
  children?: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  busyLabel?: string;
  danger?: boolean;
  testId?: string;
}) {
  const focus = useReturnFocus();
  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next && !busy) onCancel();
      }}
    >
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={overlayClass} />
        <AlertDialog.Content
          data-testid={testId}
          data-danger={danger ? "true" : undefined}
          className={`${contentClass} ${danger ? "border-red-600 border-2" : "border-zinc-200 dark:border-zinc-700"}`}
          {...focus}
        >
          <AlertDialog.Title className="text-base font-semibold">{title}</AlertDialog.Title>
          <AlertDialog.Description className="text-zinc-600 dark:text-zinc-400">
            {description}
          </AlertDialog.Description>
          {children}
          <div className="flex justify-end gap-2 pt-1">
            <AlertDialog.Cancel asChild>
              <Button disabled={busy}>Cancel</Button>
            </AlertDialog.Cancel>
            {/* Not AlertDialog.Action: that closes at once; this stays open, busy, until the request settles. */}
            <Button variant={danger ? "danger" : "primary"} disabled={busy} onClick={onConfirm}>
              {busy ? busyLabel : confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
