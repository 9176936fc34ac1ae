"use client";

import { useId, type InputHTMLAttributes, type ReactNode } from "react";

/**
 * A form field: a visible label, the control, an optional hint and an optional error, tied together so a screen
 * reader announces them with the control.
 *
 * Invariants:
 * - The control gets `id` (the label's htmlFor), `aria-describedby` (hint and error ids, in that order, only
 *   those shown) and `aria-invalid` (true exactly when `error` is given) through the render prop; spread them
 *   on the control, whatever it is (Input, Select, a native element).
 * - The error is plain text read through aria-describedby when the control is focused (no alert: it changes
 *   on every keystroke), shown in red; a field never turns red without saying why.
 */
export interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
}

export function Field({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  /** Why the value is refused; absent when it is fine. */
  error?: ReactNode;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className={`flex flex-col gap-1 text-sm ${className ?? ""}`.trim()}>
      <label htmlFor={id} className="text-zinc-700 dark:text-zinc-300">
        {label}
      </label>
      {children({
        id,
        "aria-describedby": describedBy || undefined,
        "aria-invalid": error ? true : undefined,
      })}
      {hint ? (
        <p id={hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export const inputClass =
  "rounded border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 outline-none " +
  "focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-offset-1 aria-[invalid=true]:border-red-600 " +
  "disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 " +
  "dark:focus-visible:ring-offset-zinc-950";

/** A text input styled like every other control; pass Field's control props through. */
export function Input({ className, ...rest }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={`${inputClass} ${className ?? ""}`.trim()} {...rest} />;
}
