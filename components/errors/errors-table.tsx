/**
 * Error groups, worst first (the order given). Every string from a log line (type, pattern, sample, frame) is
 * untrusted: rendered as React text only; a long pattern is clamped with its full text in a title and in the
 * row's details. A function is its account, region and name: links carry the account, and the account is shown
 * when several are read (`showAccount`).
 */
import Link from "next/link";
import { errorsHref } from "@/lib/url/errors";
import { requestHref } from "@/lib/url/requests";
import { formatDateTime, formatNumber, formatWeight } from "@/lib/core/format";
import { ratio } from "@/lib/core/units";
import { isSharedOwner } from "@/lib/core/error-groups/stream";
import type { ErrorGroup, VersionUse } from "@/lib/data/errors-merge";
import { KindBadge } from "./kind-badge";
import { TrendBars } from "./trend-bars";

const th =
  "px-2 py-1.5 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
const td = "px-2 py-1.5 align-top";

function versionLabel(v: VersionUse): string {
  const roles = v.aliases.map(
    (a) => `${a.alias}${a.role === "canary" ? " canary" : ""} ${formatWeight(ratio(a.weight))}`,
  );
  const name = v.version === null ? "unknown version" : `v${v.version}`;
  return roles.length > 0 ? `${name} (${roles.join(", ")})` : name;
}

function ErrorText({ g }: { g: ErrorGroup }) {
  return (
    <div className="min-w-0 max-w-xl">
      <p className="break-all font-mono text-xs font-semibold" data-testid="error-type">
        {g.errorType}
      </p>
      <p className="line-clamp-3 break-words text-sm" title={g.pattern} data-testid="error-pattern">
        {g.pattern}
      </p>
      <details className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
        <summary className="cursor-pointer select-none">sample</summary>
        <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-words rounded bg-zinc-50 p-2 dark:bg-zinc-950">
          {g.sample}
        </pre>
        {g.frame ? <p className="mt-1 break-all font-mono">at {g.frame}</p> : null}
        <p className="mt-1 break-all">pattern: {g.pattern}</p>
      </details>
      {g.kind === "logged" ? (
        <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400" data-testid="logged-scope">
          Counted only in minutes where its function also failed: a lower bound.
        </p>
      ) : null}
    </div>
  );
}

export function ErrorsTable({
  groups,
  linkQuery,
  compact = false,
  showAccount = false,
}: {
  groups: readonly ErrorGroup[];
  linkQuery: string;
  /** The function page's panel: no function and version columns. */
  compact?: boolean;
  /** Several accounts are read: say each function's account. */
  showAccount?: boolean;
}) {
  return (
    <div className="overflow-x-auto">
      <table aria-label="Error groups" className="w-full text-sm">
        <thead>
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            <th className={th}>Kind</th>
            <th className={th}>Error</th>
            <th className={`${th} text-right`}>Count</th>
            <th className={th}>Trend</th>
            <th className={th}>First / last seen</th>
            {compact ? null : <th className={th}>Functions</th>}
            <th className={th}>Versions</th>
            <th className={th}>Examples</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr
              key={g.fingerprint}
              data-testid="error-group"
              data-fingerprint={g.fingerprint}
              data-error-type={g.errorType}
              data-kind={g.kind}
              data-count={g.count}
              className="border-b border-zinc-100 dark:border-zinc-900"
            >
              <td className={td}>
                <KindBadge kind={g.kind} />
              </td>
              <td className={td}>
                <ErrorText g={g} />
              </td>
              <td className={`${td} text-right font-semibold tabular-nums`} data-testid="error-count">
                {formatNumber(g.count)}
              </td>
              <td className={td}>
                <TrendBars slots={g.trend} />
              </td>
              <td className={`${td} whitespace-nowrap text-xs tabular-nums`}>
                {formatDateTime(g.firstMs)}
                <br />
                {formatDateTime(g.lastMs)}
              </td>
              {compact ? null : (
                <td className={`${td} text-xs`}>
                  <ul>
                    {g.functions.map((f) => (
                      <li
                        key={`${f.account}/${f.region}/${f.fn}`}
                        className="whitespace-nowrap"
                        data-testid="error-function"
                        data-account={f.account}
                        data-region={f.region}
                        data-function={f.fn}
                        data-count={f.count}
                      >
                        {isSharedOwner(f.fn) ? (
                          <span
                            data-testid="shared-log-group"
                            title="A log group these functions share, in lines whose log stream does not name the function"
                          >
                            one of {f.fn} (shared log group)
                          </span>
                        ) : (
                          <Link
                            href={errorsHref(f, linkQuery)}
                            className="text-sky-700 hover:underline dark:text-sky-400"
                          >
                            {f.fn}
                          </Link>
                        )}{" "}
                        <span className="text-zinc-500">
                          {showAccount ? `${f.account} ` : ""}
                          {f.region} · {formatNumber(f.count)}
                        </span>
                      </li>
                    ))}
                  </ul>
                </td>
              )}
              <td className={`${td} text-xs`}>
                {g.newInCanary.map((c) => (
                  <span
                    key={`${c.account}/${c.region}/${c.fn}/${c.alias}`}
                    data-testid="new-in-canary"
                    data-version={c.version}
                    title={`Only in version ${c.version}, the canary of alias ${c.alias} of ${c.fn}; never in its primary version`}
                    className="mb-1 mr-1 inline-block rounded bg-violet-100 px-1.5 py-0.5 font-medium text-violet-900 dark:bg-violet-950 dark:text-violet-200"
                  >
                    new in canary v{c.version}
                  </span>
                ))}
                <ul>
                  {g.versions.map((v) => (
                    <li
                      key={`${v.account}/${v.region}/${v.fn}/${v.version ?? ""}`}
                      className="whitespace-nowrap"
                    >
                      {compact ? "" : `${v.fn} `}
                      {versionLabel(v)} <span className="text-zinc-500">· {formatNumber(v.count)}</span>
                    </li>
                  ))}
                </ul>
              </td>
              <td className={`${td} text-xs`}>
                <ul>
                  {g.examples.map((e) => (
                    <li key={e.requestId}>
                      <Link
                        href={requestHref(e.requestId, {
                          account: e.account,
                          region: e.region,
                          fn: e.fn,
                          at: e.atMs,
                        })}
                        className="font-mono text-sky-700 hover:underline dark:text-sky-400"
                        data-testid="error-example"
                        data-request-id={e.requestId}
                        title={`${e.fn} ${e.version === null ? "" : `v${e.version} `}at ${formatDateTime(e.atMs)}`}
                      >
                        {e.requestId.length > 12 ? `${e.requestId.slice(0, 8)}…` : e.requestId}
                      </Link>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
