"use client";

import { useId } from "react";

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
 * The confirmation step every traffic change goes through: before → after and the RevisionId, then an explicit
 * Confirm. Inline rather than a modal so the verdict and the metrics stay in view while deciding.
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
  const title = useId();
  return (
    <div
      role="alertdialog"
      aria-labelledby={title}
      data-testid="confirm-change"
      className={`space-y-2 rounded border-2 p-3 text-sm ${
        preview.danger
          ? "border-red-600 bg-red-50 dark:bg-red-950"
          : "border-sky-600 bg-sky-50 dark:bg-sky-950"
      }`}
    >
      <p id={title} className="font-semibold">
        Confirm: {preview.action}
      </p>
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
      {preview.note && <p>{preview.note}</p>}
      {preview.revisionId !== null ? (
        <p className="text-zinc-600 dark:text-zinc-400">
          If the alias changed since this revision, AWS refuses the change and nothing is overwritten.
        </p>
      ) : (
        <p className="text-zinc-600 dark:text-zinc-400">
          The plan stops first; the alias is then read again and rolled back, unless someone else changed it.
        </p>
      )}
      <div className="flex gap-2">
        <button
          type="button"
          disabled={busy}
          onClick={onConfirm}
          className={`rounded px-3 py-1.5 font-medium text-white disabled:opacity-40 ${
            preview.danger ? "bg-red-700" : "bg-sky-600"
          }`}
        >
          {busy ? "Sending…" : `Confirm ${preview.action}`}
        </button>
        <button type="button" disabled={busy} onClick={onCancel} className="rounded border px-3 py-1.5">
          Cancel
        </button>
      </div>
    </div>
  );
}
