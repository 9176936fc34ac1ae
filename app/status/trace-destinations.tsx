import { Panel } from "@/components/ui/panel";
import { traceDestinations } from "@/lib/data/traces/destination";

/**
 * Where each account-region's traces go (X-Ray, or Transaction Search), as the request pages look them up: asked of
 * X-Ray at most once per account-region per 10 minutes. A failed look-up says so for its account-region only; the
 * account is named only when the console reads several.
 */
export async function TraceDestinations({ now }: { now: number }) {
  const { regions: rows, accountsError, cost } = await traceDestinations(now);
  const several = new Set(rows.map((r) => r.account)).size > 1;
  return (
    <Panel title="Traces" id="trace-destinations">
      {accountsError && (
        <p className="text-sm text-amber-700 dark:text-amber-400" data-testid="trace-destinations-accounts">
          The accounts could not be determined: {accountsError.message}
        </p>
      )}
      <ul className="space-y-0.5 text-sm" data-testid="trace-destinations">
        {rows.map(({ account, region, destination: d }) => (
          <li key={`${account}:${region}`} data-account={account} data-region={region}>
            {several ? `${account} ${region}` : region}:{" "}
            {d.ok ? (
              d.value.label
            ) : (
              <span className="text-amber-700 dark:text-amber-400">unknown ({d.error.message})</span>
            )}
          </li>
        ))}
      </ul>
      <p className="mt-2 text-xs text-zinc-500" data-testid="trace-destinations-cost">
        {cost.total === 0
          ? "No AWS request made for this panel: every region's answer was cached (10 minutes)."
          : `This panel cost ${cost.total} AWS request${cost.total === 1 ? "" : "s"} (${Object.entries(
              cost.byOperation,
            )
              .map(([op, n]) => `${op} ×${n}`)
              .join(", ")}; answers are cached 10 minutes).`}
      </p>
    </Panel>
  );
}
