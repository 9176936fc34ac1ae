import type { LogLevel, RequestLogLine } from "@/lib/core/traces/request-logs";

const LEVEL_STYLE: Record<LogLevel, string> = {
  error: "border-l-red-500 bg-red-50 dark:bg-red-950/30",
  warn: "border-l-amber-500 bg-amber-50 dark:bg-amber-950/30",
  info: "border-l-sky-400",
  debug: "border-l-zinc-300",
  trace: "border-l-zinc-200",
};

/** The request's log lines. Log text is untrusted: it is rendered as text nodes only, never as HTML. */
export function LogLines({ lines }: { lines: readonly RequestLogLine[] }) {
  return (
    <ol
      aria-label="Request log lines"
      data-testid="request-logs"
      className="divide-y divide-zinc-100 text-xs dark:divide-zinc-800"
    >
      {lines.map((l, i) => (
        <li
          key={i}
          data-level={l.level ?? undefined}
          data-platform={l.platform ? "true" : undefined}
          className={`grid grid-cols-[7.5rem_3.5rem_minmax(0,1fr)] gap-2 border-l-4 px-2 py-1 ${
            l.level
              ? LEVEL_STYLE[l.level]
              : l.platform
                ? "border-l-zinc-400 text-zinc-500"
                : "border-l-transparent"
          }`}
        >
          <time className="tabular-nums text-zinc-500" dateTime={new Date(l.time).toISOString()}>
            {new Date(l.time).toISOString().slice(11, 23)}
          </time>
          <span className="font-semibold uppercase">{l.level ?? (l.platform ? "lambda" : "")}</span>
          <pre className="overflow-x-auto whitespace-pre-wrap break-all font-mono" data-testid="log-text">
            {l.json ?? l.text}
          </pre>
        </li>
      ))}
    </ol>
  );
}
