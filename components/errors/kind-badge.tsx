import { Tooltip } from "@/components/ui/tooltip";
import type { ErrorKind } from "@/lib/core/error-groups/types";

export const KIND_LABEL: Record<ErrorKind, string> = {
  timeout: "Timeout",
  oom: "Out of memory",
  unhandled: "Unhandled",
  logged: "Logged",
};

const TONE: Record<ErrorKind, string> = {
  timeout: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  oom: "bg-fuchsia-100 text-fuchsia-900 dark:bg-fuchsia-950 dark:text-fuchsia-200",
  unhandled: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  logged: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};

export const LOGGED_HINT = "An ERROR line of a request that did not fail (not in the Errors metric)";

/**
 * What an error group is: a failure (timeout, OOM kill, unhandled error) or an ERROR line of a request that
 * succeeded. The "Logged" hint is in the badge as screen-reader text and a hover tooltip; the badge is not a tab stop.
 */
export function KindBadge({ kind }: { kind: ErrorKind }) {
  const badge = (
    <span
      data-testid="error-kind"
      data-kind={kind}
      className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${TONE[kind]}`}
    >
      {KIND_LABEL[kind]}
      {kind === "logged" ? <span className="sr-only">{`: ${LOGGED_HINT}`}</span> : null}
    </span>
  );
  return kind === "logged" ? <Tooltip content={LOGGED_HINT}>{badge}</Tooltip> : badge;
}
