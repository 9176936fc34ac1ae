import type { ReactNode } from "react";

const tones = {
  error: "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200",
  warn: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200",
  info: "border-zinc-200 bg-zinc-50 text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300",
};

/** A message box; text only (user and AWS text is rendered as text, never HTML). */
export function Notice({
  tone = "info",
  title,
  children,
}: {
  tone?: keyof typeof tones;
  title: string;
  children?: ReactNode;
}) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={`rounded-md border px-4 py-3 text-sm ${tones[tone]}`}
    >
      <p className="font-medium">{title}</p>
      {children ? <div className="mt-1">{children}</div> : null}
    </div>
  );
}

/** A page-level message (not found, bad request, coming soon). */
export function PageMessage({
  title,
  code,
  children,
}: {
  title: string;
  code?: string;
  children?: ReactNode;
}) {
  return (
    <div className="mx-auto max-w-2xl py-16">
      {code ? <p className="font-mono text-sm text-zinc-500">{code}</p> : null}
      <h1 className="mt-1 text-xl font-semibold text-zinc-900 dark:text-zinc-50">{title}</h1>
      <div className="mt-3 space-y-3 text-sm text-zinc-600 dark:text-zinc-300">{children}</div>
    </div>
  );
}
