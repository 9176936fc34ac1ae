import type { SpanException } from "@/lib/core/traces/types";

/** Exceptions with their stacks, as text. */
export function ExceptionList({ exceptions }: { exceptions: readonly SpanException[] }) {
  return (
    <ul className="space-y-2">
      {exceptions.map((e, i) => (
        <li
          key={e.id ?? i}
          data-testid="exception"
          className="rounded border border-red-200 bg-red-50 p-2 text-xs dark:border-red-900 dark:bg-red-950/40"
        >
          <p className="font-mono font-semibold text-red-900 dark:text-red-200">
            {e.type ?? "Exception"}
            {e.remote ? " (remote)" : ""}
          </p>
          {e.message ? (
            <p className="mt-0.5 break-words text-red-900 dark:text-red-200">{e.message}</p>
          ) : null}
          {e.stack.length > 0 ? (
            <pre className="mt-1 overflow-auto text-[11px] text-zinc-700 dark:text-zinc-300">
              {e.stack.map((f) => `  at ${f.label ?? "?"} (${f.path ?? "?"}:${f.line ?? "?"})`).join("\n")}
            </pre>
          ) : (
            <p className="mt-1 text-zinc-500">No stack recorded.</p>
          )}
        </li>
      ))}
    </ul>
  );
}
