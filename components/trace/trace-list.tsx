import { PendingLink } from "@/components/ui/pending-link";
import { formatDuration } from "@/lib/core/format";
import type { TraceSummary } from "@/lib/core/traces/types";

const badge = "rounded px-1 text-[11px]";

/** One listed trace and the account it was listed in (its link opens it there). */
export interface TraceListItem {
  account: string;
  summary: TraceSummary;
}

/**
 * Trace summaries, newest first; each opens the request page of its trace. `accountLabels` (id → label) adds an
 * Account column; null when only one account is read (the column would say the same on every row).
 */
export function TraceList({
  items,
  hrefFor,
  accountLabels = null,
}: {
  items: readonly TraceListItem[];
  hrefFor: (item: TraceListItem) => string;
  accountLabels?: ReadonlyMap<string, string> | null;
}) {
  return (
    <table aria-label="Traces" className="w-full text-sm">
      <thead className="text-left text-xs text-zinc-500">
        <tr>
          <th className="py-1 pr-3 font-medium">Started (UTC)</th>
          {accountLabels ? <th className="py-1 pr-3 font-medium">Account</th> : null}
          <th className="py-1 pr-3 font-medium">Function</th>
          <th className="py-1 pr-3 font-medium">Trace</th>
          <th className="py-1 pr-3 text-right font-medium">Response</th>
          <th className="py-1 pr-3 font-medium">Version</th>
          <th className="py-1 font-medium">Status</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {items.map((item) => {
          const s = item.summary;
          const cold = s.annotations.coldStart?.includes(true);
          const version = s.annotations.version?.[0];
          const alias = s.annotations.alias?.[0];
          return (
            <tr key={`${item.account}:${s.id}`} data-trace-id={s.id} data-account={item.account}>
              <td className="py-1 pr-3 tabular-nums">
                {new Date(s.start).toISOString().slice(0, 23).replace("T", " ")}
              </td>
              {accountLabels ? (
                <td className="py-1 pr-3 font-mono text-xs">
                  {accountLabels.get(item.account) ?? item.account}
                </td>
              ) : null}
              <td className="py-1 pr-3">{s.entryPoint ?? "—"}</td>
              <td className="py-1 pr-3 font-mono text-xs">
                <PendingLink href={hrefFor(item)} className="text-sky-700 underline dark:text-sky-400">
                  {s.id}
                </PendingLink>
              </td>
              <td className="py-1 pr-3 text-right tabular-nums">{formatDuration(s.responseTime)}</td>
              <td className="py-1 pr-3">
                {version !== undefined ? `v${String(version)}` : "—"}
                {alias !== undefined ? ` (${String(alias)})` : ""}
              </td>
              <td className="space-x-1 py-1">
                {s.hasFault ? <span className={`${badge} bg-red-100 text-red-800`}>fault</span> : null}
                {s.hasError ? <span className={`${badge} bg-amber-100 text-amber-800`}>error</span> : null}
                {s.hasThrottle ? (
                  <span className={`${badge} bg-violet-100 text-violet-800`}>throttle</span>
                ) : null}
                {cold ? <span className={`${badge} bg-sky-100 text-sky-800`}>cold</span> : null}
                {s.isPartial ? <span className={`${badge} bg-zinc-200 text-zinc-800`}>partial</span> : null}
                {!s.hasFault && !s.hasError && !s.hasThrottle ? (
                  <span className="text-xs text-zinc-500">ok</span>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
