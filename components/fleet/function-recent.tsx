/**
 * The function page's latest invocations, read live (FilterLogEvents over the last minutes of the range): a
 * per-request view, which the collector's per-minute rollups cannot answer. Each request links to its page
 * narrowed to this function's log group and ±20 min of its REPORT (account, region, fn, at), or to its trace.
 */
import { requestHref } from "@/lib/url/requests";
import { traceHref } from "@/lib/url/traces";
import { Panel } from "@/components/ui/panel";
import { PendingLink } from "@/components/ui/pending-link";
import type { Outcome } from "@/lib/core/errors";
import { formatDuration, formatMb } from "@/lib/core/format";
import type { RecentInvocations } from "@/lib/data/telemetry/function";
import { Degraded } from "./panel-parts";

const th =
  "px-3 py-1.5 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
const td = "px-3 py-1.5 tabular-nums";

export async function RecentPart({
  data,
  target,
}: {
  data: Promise<Outcome<RecentInvocations>>;
  /** The function these invocations are of: narrows each request link to its log group. */
  target: { account: string; region: string; fn: string };
}) {
  const o = await data;
  if (!o.ok)
    return <Degraded failures={[{ source: "Recent invocations (FilterLogEvents)", error: o.error }]} />;
  const { invocations, window } = o.value;
  return (
    <Panel
      title={`Recent invocations (last ${Math.round((window.end - window.start) / 60_000)} min of the range)`}
      id="recent"
    >
      {invocations.length === 0 ? (
        <p className="text-sm text-zinc-500">No invocation finished in this window.</p>
      ) : (
        <div className="-m-4 overflow-x-auto">
          <table className="w-full text-sm" aria-label="Recent invocations">
            <thead className="border-b border-zinc-200 dark:border-zinc-800">
              <tr>
                <th className={th}>Ended (UTC)</th>
                <th className={th}>Request</th>
                <th className={th}>Cold</th>
                <th className={`${th} text-right`}>Duration</th>
                <th className={`${th} text-right`}>Billed</th>
                <th className={`${th} text-right`}>Memory used</th>
                <th className={`${th} text-right`}>Init</th>
                <th className={th}>Version</th>
                <th className={th}>Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {invocations.map((i) => (
                <tr key={i.requestId} data-request={i.requestId} data-cold={i.coldStart}>
                  <td className={td}>{new Date(i.end).toISOString().slice(11, 23)}</td>
                  <td className={`${td} font-mono text-xs`}>
                    <PendingLink
                      href={
                        i.traceId
                          ? traceHref(i.traceId, target)
                          : requestHref(i.requestId, { ...target, at: i.end })
                      }
                      className="text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {i.requestId.slice(0, 8)}…
                    </PendingLink>
                  </td>
                  <td className={td}>{i.coldStart ? <span title="Cold start">❄ cold</span> : ""}</td>
                  <td className={`${td} text-right`}>{formatDuration(i.duration)}</td>
                  <td className={`${td} text-right`}>{formatDuration(i.billedDuration)}</td>
                  <td className={`${td} text-right`}>
                    {formatMb(i.maxMemoryUsed)} / {formatMb(i.memorySize)}
                  </td>
                  <td className={`${td} text-right`}>
                    {formatDuration(i.initDuration ?? i.restoreDuration)}
                  </td>
                  <td className={`${td} font-mono`}>{i.version ?? "—"}</td>
                  <td className={td}>{i.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
