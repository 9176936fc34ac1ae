"use client";

import { ConfirmDialog } from "@/components/ui/dialog";

/** What a traffic change will do, shown before it is sent. */
export interface ChangePreview {
  /** "Apply", "Promote v8 to 100%", "Start canary plan", … (the confirm button repeats it). */
  action: string;
  before: string;
  after: string;
  /**
   * The alias revision the change is based on: AWS refuses it if the alias moved since. null for an abort,
   * which rolls back from whatever revision the plan last wrote.
   */
  revisionId: string | null;
  /** One more line when the change deserves it (a failing canary, a plan's later steps). */
  note?: string;
  danger?: boolean;
}

/**
 * The confirmation step every traffic change goes through, as a modal alertdialog: its title names the action,
 * its body says before → after and the RevisionId, then Cancel or an explicit "Confirm <action>". Escape and
 * Cancel send nothing; while the request is in flight it stays open and cannot be dismissed. Mounted only while
 * a change is pending (the parent decides), so it is always open when rendered. The verdict that matters for
 * the decision travels in `note`, since the page behind is dimmed.
 */
export function ConfirmChange({
  preview,
  busy,
  onConfirm,
  onCancel,
}: {
  preview: ChangePreview;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <ConfirmDialog
      open
      testId="confirm-change"
      title={`Confirm: ${preview.action}`}
      description={`Alias routing goes from ${preview.before} to ${preview.after}.`}
      confirmLabel={`Confirm ${preview.action}`}
      busy={busy}
      danger={preview.danger}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        <dt className="text-zinc-600 dark:text-zinc-400">Now</dt>
        <dd data-testid="confirm-before" className="font-mono">
          {preview.before}
        </dd>
        <dt className="text-zinc-600 dark:text-zinc-400">After</dt>
        <dd data-testid="confirm-after" className="font-mono">
          {preview.after}
        </dd>
        {preview.revisionId !== null && (
          <>
            <dt className="text-zinc-600 dark:text-zinc-400">Based on revision</dt>
            <dd data-testid="confirm-revision" className="font-mono">
              {preview.revisionId}
            </dd>
          </>
        )}
      </dl>
      {preview.note && (
        <p className={preview.danger ? "font-medium text-red-800 dark:text-red-300" : undefined}>
          {preview.note}
        </p>
      )}
      {preview.revisionId !== null ? (
        <p className="text-zinc-600 dark:text-zinc-400">
          If the alias changed since this revision, AWS refuses the change and nothing is overwritten.
        </p>
      ) : (
        <p className="text-zinc-600 dark:text-zinc-400">
          The plan stops first; the alias is then read again and rolled back, unless someone else changed it.
        </p>
      )}
    </ConfirmDialog>
  );
}
