/**
 * Whether the grouped failures add up to the Errors metric over the minutes both sources cover, in words, and
 * why not per function. Counts not read (nothing collected) are said as such, never as 0.
 */
import { formatNumber, formatDateTime as utcMinute } from "@/lib/core/format";
import type { FunctionReconciliation, TotalReconciliation } from "@/lib/data/errors-reconcile";

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

export function reconciliationText(r: { failed: number | null; metricErrors: number | null }): string | null {
  if (r.failed === null || r.metricErrors === null) return null;
  return `${plural(r.failed, "failed request", "failed requests")} logged of ${formatNumber(r.metricErrors)} in the Errors metric`;
}

export function ReconciliationLine({
  total,
  functions,
  showAccount = false,
}: {
  total: TotalReconciliation;
  functions: readonly FunctionReconciliation[];
  /** Several accounts are read: say each function's account. */
  showAccount?: boolean;
}) {
  const text = reconciliationText(total);
  const off = functions.filter((f) => f.state !== "reconciled");
  return (
    <div
      className="text-sm"
      data-testid="reconciliation"
      data-state={total.state}
      data-failed={total.failed ?? undefined}
      data-metric-errors={total.metricErrors ?? undefined}
    >
      <p>
        {text === null ? "Cannot reconcile with the Errors metric: its minutes are not collected yet" : text}
        {total.state === "reconciled" && text !== null ? " — they reconcile" : null}
        {total.state === "differs"
          ? ` — ${plural(total.unreconciled, "function does", "functions do")} not reconcile`
          : null}
      </p>
      {off.length > 0 ? (
        <ul className="mt-1 space-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
          {off.map((f) => (
            <li
              key={`${f.account}/${f.region}/${f.fn}`}
              data-testid="reconciliation-function"
              data-account={f.account}
              data-function={f.fn}
              data-state={f.state}
            >
              <span className="font-mono">{f.fn}</span> ({showAccount ? `${f.account} ` : ""}
              {f.region}
              {f.window ? `, ${utcMinute(f.window.from)} – ${utcMinute(f.window.to)}` : ""}):{" "}
              {reconciliationText(f) ?? "not compared"}; {f.reasons.join("; ")}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
