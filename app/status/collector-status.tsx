import { Panel } from "@/components/ui/panel";
import { formatBytes, formatCount, formatRelativeTime } from "@/lib/core/format";
import { bytes, epochMs } from "@/lib/core/units";
import type { CollectorStatusView } from "@/lib/data/collector/status";

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(ms < 10 * 3_600_000 ? 1 : 0)} h`;
const utc = (t: number) => new Date(t).toISOString().slice(11, 16);

/**
 * The collector's status page body. Before anything is collected it says so ("not collected yet") instead of
 * zeros: 0 functions, 0 h and $0.00 would read as a collector that ran and found an empty account.
 */
export function CollectorStatusBody({ s }: { s: CollectorStatusView }) {
  const now = s.now;
  // A single-account console looks as before: no Account column.
  const several = s.accounts.length > 1;
  const labels = new Map(s.accounts.map((a) => [a.account, a.label]));
  const where = (account: string, region: string) =>
    several ? `${labels.get(account) ?? account} ${region}` : region;
  return (
    <div className="space-y-3">
      <div className="flex items-baseline justify-between">
        <h1 className="text-lg font-semibold">Collector</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400" data-testid="collector-mode">
          {s.mode === "off"
            ? "runs as its own process (npm run collector)"
            : s.leader
              ? "running in this server"
              : "waiting: another collector holds the store's lease"}
          {/* Which replica collects (several console replicas share one store; one holds the lease). */}
          {!s.leader && s.holder && (
            <span data-testid="collector-holder">
              {" "}
              (held by {s.holder.owner}, generation {s.holder.generation})
            </span>
          )}
        </p>
      </div>
      <CollectorAccounts s={s} />
      <Panel title="What is collected" id="coverage">
        {!s.collected && (
          <p className="mb-2 text-sm text-zinc-500" data-testid="not-collected">
            Not collected yet:{" "}
            {s.mode === "off"
              ? "the collector (npm run collector, run apart from the console) has not written to this store."
              : "the collector has not finished its first round."}
          </p>
        )}
        <table className="w-full text-sm" aria-label="Collection by region">
          <thead className="text-left text-zinc-500">
            <tr>
              {several && <th className="py-1">Account</th>}
              <th className="py-1">Region</th>
              <th>Functions</th>
              <th>Source</th>
              <th>Collected to</th>
              <th>Backfill</th>
            </tr>
          </thead>
          <tbody>
            {s.regions.flatMap((r) =>
              r.sources.map((src) => (
                <tr
                  key={`${r.account}-${r.region}-${src.source}`}
                  data-account={r.account}
                  data-region={r.region}
                  data-source={src.source}
                  className="border-t border-zinc-100 dark:border-zinc-800"
                >
                  {several && <td className="py-1">{labels.get(r.account) ?? r.account}</td>}
                  <td className="py-1">{r.region}</td>
                  <td>{r.functions === null ? "not listed yet" : formatCount(r.functions)}</td>
                  <td>{src.source}</td>
                  <td>
                    {src.coverage
                      ? `${utc(src.coverage.to)} UTC (${formatRelativeTime(epochMs(src.coverage.to), epochMs(now))})`
                      : "not yet"}
                  </td>
                  <td data-testid="backfill-progress">
                    {src.backfill
                      ? `collected ${hours(src.backfill.collectedMs)} of ${hours(src.backfill.targetMs)}`
                      : "not collected yet"}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
        <ul
          className="mt-2 space-y-0.5 text-xs text-zinc-500 dark:text-zinc-400"
          data-testid="triggers-status"
        >
          {s.regions.map((r) => (
            <li key={`${r.account}-${r.region}`} data-account={r.account} data-region={r.region}>
              {where(r.account, r.region)} triggers: mappings{" "}
              {r.triggers.mappingsListedAt === null
                ? "not listed yet"
                : `listed ${utc(r.triggers.mappingsListedAt)} UTC (${formatRelativeTime(epochMs(r.triggers.mappingsListedAt), epochMs(now))})`}
              ; policy, URL, async and recursion read for {formatCount(r.triggers.functionsRead)}
              {r.functions === null ? "" : ` of ${formatCount(r.functions)}`} functions
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title="What collecting costs AWS" id="cost">
        {!s.collected && s.lastDay.requests === 0 ? (
          <p className="text-sm text-zinc-500" data-testid="collector-cost">
            Not collected yet: no AWS request made.
          </p>
        ) : (
          <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" data-testid="collector-cost">
            <div>
              <dt className="text-zinc-500">Requests, last hour</dt>
              <dd>{formatCount(s.lastHour.requests)}</dd>
            </div>
            <div>
              <dt className="text-zinc-500">Insights scanned, last hour</dt>
              <dd>{formatBytes(bytes(s.lastHour.bytesScanned))}</dd>
            </div>
            <div>
              <dt className="text-zinc-500">Requests, last 24 h</dt>
              <dd>{formatCount(s.lastDay.requests)}</dd>
            </div>
            <div>
              <dt className="text-zinc-500">Insights, est. per month</dt>
              <dd>${s.monthlyInsightsUsd.toFixed(2)} at $0.005/GB scanned</dd>
            </div>
          </dl>
        )}
      </Panel>
      <Panel title="Recent problems" id="events">
        {s.events.length === 0 ? (
          <p className="text-sm text-zinc-500">None.</p>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="collector-events">
            {s.events.map((e, i) => (
              <li key={i}>
                <span className="text-zinc-500">{utc(e.at)} UTC</span>{" "}
                {e.account ? where(e.account, e.region) : e.region} {e.source}: {e.message}
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title="Store" id="store">
        {s.size.every((r) => r.rows === 0) && (
          <p className="text-sm text-zinc-500">Empty: nothing collected yet.</p>
        )}
        <table className="w-full text-sm" aria-label="Store size">
          <tbody>
            {s.size.map((r) => (
              <tr key={`${r.table}-${r.res}`}>
                <td className="py-1">{r.table}</td>
                <td>{r.res} s</td>
                <td>{formatCount(r.rows)} rows</td>
                <td>{r.bytes === null ? "size unknown" : formatBytes(bytes(r.bytes))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}

/**
 * One row per account: whether the collector reaches it. A failing account's error (its role refused, its
 * listing denied) is said here once, while its regions' rows below simply stop advancing; the others go on.
 */
function CollectorAccounts({ s }: { s: CollectorStatusView }) {
  if (s.accountsError === null && s.accounts.length <= 1 && s.accounts.every((a) => a.error === null))
    return null;
  return (
    <Panel title="Accounts" id="accounts">
      {s.accountsError !== null && (
        <p className="mb-2 text-sm text-red-700 dark:text-red-400" data-testid="collector-accounts-error">
          The accounts to collect could not be decided: {s.accountsError}
        </p>
      )}
      <table className="w-full text-sm" aria-label="Collection by account">
        <tbody>
          {s.accounts.map((a) => (
            <tr
              key={a.account}
              data-account={a.account}
              data-testid="collector-account"
              className="border-t border-zinc-100 first:border-t-0 dark:border-zinc-800"
            >
              <td className="py-1">{a.label}</td>
              <td className={a.error ? "text-red-700 dark:text-red-400" : a.tried ? "" : "text-zinc-500"}>
                {a.error
                  ? `not collected since ${utc(a.error.at)} UTC: ${a.error.message}`
                  : a.tried
                    ? "collected"
                    : "not tried yet"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
