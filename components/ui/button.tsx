import type { ButtonHTMLAttributes } from "react";

/**
 * The console's one button. Styles live here only: every variant has a visible focus-visible ring and a
 * disabled look, in light and dark. `type` defaults to "button" so a button never submits a form by accident;
 * pass type="submit" where it should.
 */
const VARIANTS = {
  /** The action the panel is for (Apply, Start plan). */
  primary: "bg-sky-600 text-white hover:bg-sky-700 dark:bg-sky-600 dark:hover:bg-sky-500",
  /** Everything else (Cancel, Sign out, Filter). */
  secondary:
    "border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100 dark:hover:bg-zinc-800",
  /** An irreversible action confirmed in a dialog (Sign out everyone, promote a failing canary). */
  danger: "bg-red-700 text-white hover:bg-red-800 dark:bg-red-700 dark:hover:bg-red-600",
  /** An action that removes or undoes, offered alongside others (Roll back, End all sessions). */
  "danger-outline":
    "border border-red-300 bg-white text-red-700 hover:bg-red-50 dark:border-red-800 dark:bg-zinc-950 dark:text-red-400 dark:hover:bg-red-950",
  /** The recommended way out (Roll back while the canary fails). */
  success: "bg-emerald-700 text-white hover:bg-emerald-800 dark:hover:bg-emerald-600",
  /** Text-like, for dense places (the header). */
  ghost: "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
} as const;

const SIZES = {
  sm: "rounded-md px-2 py-1 text-xs",
  md: "rounded px-3 py-1.5 text-sm",
} as const;

export type ButtonVariant = keyof typeof VARIANTS;

/** The classes of a button, for a Link or a Radix trigger that must look like one. */
export function buttonClass(variant: ButtonVariant = "secondary", size: keyof typeof SIZES = "md"): string {
  return [
    "inline-flex items-center justify-center gap-1 font-medium outline-none transition-colors",
    "focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-offset-2 focus-visible:ring-offset-white dark:focus-visible:ring-offset-zinc-950",
    "disabled:cursor-not-allowed disabled:opacity-40",
    VARIANTS[variant],
    SIZES[size],
  ].join(" ");
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: keyof typeof SIZES;
}

export function Button({
  variant = "secondary",
  size = "md",
  className,
  type = "button",
  ...rest
}: ButtonProps) {
  return (
    <button type={type} className={`${buttonClass(variant, size)} ${className ?? ""}`.trim()} {...rest} />
  );
}
