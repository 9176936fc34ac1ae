import { Suspense, type ReactNode } from "react";
import { Notice } from "@/components/ui/notice";
import { formatNumber, formatRate, formatDateTime as utcMinute } from "@/lib/core/format";
import { ratio } from "@/lib/core/units";
import { EDGE_LIMITS, type EdgeFinding } from "@/lib/core/edge/limits";
import type { Outcome, OutcomeError } from "@/lib/core/errors";
import type { EdgeRegionLogs, EdgeRegionReading, EdgeReplicas } from "@/lib/data/edge";

export const EDGE_TITLE = "Lambda@Edge replicas";

const th =
  "px-2 py-1.5 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
const td = "px-2 py-1.5 align-top";

/**
 * An Edge function's replicas, streamed: renders nothing until the reading settles, and nothing at all for a
 * function that is not an Edge function (so other function pages never show an empty Edge panel).
 */
export function EdgeSection({ data }: { data: Promise<EdgeReplicas | null> }) {
  return (
    <Suspense fallback={null}>
      <EdgePanel data={data} />
    </Suspense>
  );
}

/**
 * Per region where replicas could have run: invocations and errors over the range, or why the region could
 * not be read (never 0); the regions with no replica traffic, named; the Edge limits findings; and each
 * region's latest log lines, rendered as text (log lines are untrusted).
 */
export async function EdgePanel({ data }: { data: Promise<EdgeReplicas | null> }) {
  let edge: EdgeReplicas | null;
  try {
    edge = await data;
  } catch (e) {
    return (
      <Shell>
        <Notice tone="error" title="The Edge replicas could not be read">
          {e instanceof Error ? e.message : String(e)}
        </Notice>
      </Shell>
    );
  }
  if (!edge) return null;
  // A region the credentials cannot reach (not enabled for the account) is said once, not as a row per region.
  const unreachable = edge.regions.filter((r) => isUnreachable(r.metrics) && isUnreachable(r.logs));
  const readable = edge.regions.filter((r) => !unreachable.includes(r));
  const ran = readable.filter((r) => !r.metrics.ok || r.metrics.value.invocations > 0);
  const quiet = readable.filter((r) => r.metrics.ok && r.metrics.value.invocations === 0);
  const withLines = readable.filter(
    (r) => !r.logs.ok || r.logs.value.lines.length > 0 || r.logs.value.truncated,
  );
  return (
    <Shell edge={edge}>
      <Findings findings={edge.findings} />
      <div>
        <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">
          Invocations by region
        </h3>
        <table className="w-full text-sm" data-testid="edge-regions">
          <thead>
            <tr>
              <th className={th}>Region</th>
              <th className={`${th} text-right`}>Invocations</th>
              <th className={`${th} text-right`}>Errors</th>
              <th className={`${th} text-right`}>Error rate</th>
            </tr>
          </thead>
          <tbody>
            {ran.map((r) => (
              <RegionRow key={r.region} reading={r} />
            ))}
          </tbody>
        </table>
        {ran.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-500">No replica ran in the searched regions in this range.</p>
        ) : null}
        {unreachable.length > 0 ? (
          <p
            className="mt-2 text-xs text-amber-800 dark:text-amber-300"
            data-testid="edge-unreachable-regions"
          >
            Not readable with these credentials (the region may not be enabled for the account):{" "}
            {unreachable.map((r) => r.region).join(", ")}
            {unreachable[0] && !unreachable[0].metrics.ok ? ` (${why(unreachable[0].metrics.error)})` : ""}.
          </p>
        ) : null}
        {quiet.length > 0 ? (
          <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400" data-testid="edge-quiet-regions">
            No replica traffic in this range: {quiet.map((r) => r.region).join(", ")}.
          </p>
        ) : null}
      </div>
      <div className="space-y-3">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Latest log lines</h3>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          <code className="font-mono">{edge.logGroup}</code> in each region, {utcMinute(edge.logWindow.start)}{" "}
          to {utcMinute(edge.logWindow.end)}: the newest lines, oldest first.
        </p>
        {withLines.length === 0 ? (
          <p className="text-sm text-zinc-500">No replica logged in the searched regions in that window.</p>
        ) : (
          withLines.map((r) => <RegionLogs key={r.region} reading={r} />)
        )}
      </div>
    </Shell>
  );
}

function Shell({ edge, children }: { edge?: EdgeReplicas; children: ReactNode }) {
  return (
    <section
      data-testid="edge-panel"
      aria-labelledby="edge-title"
      className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <header className="border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h2 id="edge-title" className="text-sm font-semibold text-zinc-800 dark:text-zinc-100">
          {EDGE_TITLE}
        </h2>
        {edge ? <Summary edge={edge} /> : null}
      </header>
      <div className="space-y-4 p-4 text-sm">{children}</div>
    </section>
  );
}

function Summary({ edge }: { edge: EdgeReplicas }) {
  const from =
    edge.searchedFrom === "FLEETSCOPE_EDGE_REGIONS"
      ? "FLEETSCOPE_EDGE_REGIONS"
      : "the configured regions and CloudFront's regional edge cache regions";
  return (
    <div className="mt-0.5 space-y-0.5 text-xs text-zinc-500 dark:text-zinc-400">
      <p>
        CloudFront runs copies of this function as <code className="font-mono">{edge.replicaName}</code> in
        the region nearest each viewer; each copy logs and reports metrics there.
      </p>
      <p data-testid="edge-window" data-start={edge.window.start} data-end={edge.window.end}>
        {utcMinute(edge.window.start)} to {utcMinute(edge.window.end)} · searched {edge.searched.length}{" "}
        regions ({from}): <span data-testid="edge-searched">{edge.searched.join(", ")}</span> ·{" "}
        {edge.requests === 0 ? "cached, no AWS request" : `${edge.requests} AWS requests`}
      </p>
      <p data-testid="edge-replicated">
        Edge function because of its resource policy: {edge.evidence.join("; ")} ·{" "}
        {edge.replicatedVersions.length > 0
          ? `replicated version ${edge.replicatedVersions.join(", ")}`
          : "the statement names no version"}
      </p>
      <p data-testid="edge-unknown">
        Which CloudFront distribution runs it, and on which trigger (viewer or origin, request or response),
        is not known from Lambda&apos;s API: CloudFront&apos;s API is not called.
      </p>
    </div>
  );
}

function Findings({ findings }: { findings: EdgeFinding[] }) {
  const { viewer, origin } = EDGE_LIMITS;
  if (findings.length === 0)
    return (
      <p data-testid="edge-limits-ok" className="text-zinc-600 dark:text-zinc-300">
        Within Lambda@Edge&apos;s limits for every trigger: memory ≤ {viewer.memory} MB and timeout ≤{" "}
        {viewer.timeout} s (viewer triggers; origin triggers allow {origin.timeout} s and up to{" "}
        {formatNumber(origin.memory)} MB), no environment variables, x86_64, no layers.
      </p>
    );
  return (
    <ul aria-label="Lambda@Edge limits" className="space-y-1">
      {findings.map((f) => (
        <li
          key={f.id}
          data-testid="edge-finding"
          data-id={f.id}
          className={
            f.severity === "problem"
              ? "rounded-md border border-red-300 bg-red-50 px-3 py-1.5 text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
              : "rounded-md border border-amber-300 bg-amber-50 px-3 py-1.5 text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
          }
        >
          {f.message}
        </li>
      ))}
    </ul>
  );
}

const utcSecond = (t: number) => `${new Date(t).toISOString().slice(11, 19)} UTC`;

/** Says what a bounded reading left out: FilterLogEvents pages go oldest first, so the unread lines are newer. */
function truncatedNote(logs: EdgeRegionLogs): string {
  const pages = `${logs.pages} page${logs.pages === 1 ? "" : "s"}`;
  const last = logs.lines.at(-1);
  return last
    ? `Truncated: the window held more than the ${pages} read; these are the newest lines read (to ${utcSecond(last.timestamp)}), and newer ones were not read.`
    : `Truncated: the ${pages} read held no lines (FilterLogEvents may return empty pages before the window's lines); the rest was not read.`;
}

const why = (e: OutcomeError) => `unavailable: ${e.code}: ${e.message}`;

const isUnreachable = (o: Outcome<unknown>) =>
  !o.ok && (o.error.code === "Unauthenticated" || o.error.code === "AccessDenied");

function RegionRow({ reading }: { reading: EdgeRegionReading }) {
  const m = reading.metrics;
  return (
    <tr
      data-testid="edge-region"
      data-region={reading.region}
      className="border-t border-zinc-100 dark:border-zinc-800"
    >
      <td className={`${td} font-mono text-xs`}>{reading.region}</td>
      {m.ok ? (
        <>
          <td className={`${td} text-right tabular-nums`} data-testid="edge-invocations">
            {formatNumber(m.value.invocations)}
          </td>
          <td className={`${td} text-right tabular-nums`} data-testid="edge-errors">
            {formatNumber(m.value.errors)}
          </td>
          <td className={`${td} text-right tabular-nums`}>
            {formatRate(ratio(m.value.errors / m.value.invocations))}
          </td>
        </>
      ) : (
        <td colSpan={3} className={`${td} text-amber-800 dark:text-amber-300`} data-testid="edge-unavailable">
          {why(m.error)}
        </td>
      )}
    </tr>
  );
}

function RegionLogs({ reading }: { reading: EdgeRegionReading }) {
  const logs = reading.logs;
  return (
    <div data-testid="edge-logs" data-region={reading.region}>
      <p className="font-mono text-xs text-zinc-600 dark:text-zinc-300">{reading.region}</p>
      {logs.ok ? (
        <>
          <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-zinc-50 p-2 font-mono text-xs text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">
            {logs.value.lines
              .map((l) => `${new Date(l.timestamp).toISOString()}  ${l.message.replace(/\n$/, "")}`)
              .join("\n")}
          </pre>
          {logs.value.truncated ? (
            <p className="text-xs text-amber-800 dark:text-amber-300" data-testid="edge-logs-truncated">
              {truncatedNote(logs.value)}
            </p>
          ) : null}
        </>
      ) : (
        <p className="text-xs text-amber-800 dark:text-amber-300">{why(logs.error)}</p>
      )}
    </div>
  );
}
