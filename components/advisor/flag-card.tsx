import Link from "next/link";
import { microToUsd } from "@/lib/core/units";
import type { FleetFlag } from "@/lib/data/advisor/summary";
import { errorsHref } from "@/lib/url/errors";
import { functionHref } from "@/lib/url/function-href";
import { formatDateTime, formatInteger } from "@/lib/core/format";
import { EvidenceChart } from "./evidence-chart";
import { SeverityBadge } from "./severity-badge";

export const formatUsd = (micro: number) =>
  `$${microToUsd(micro as never).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const IMPACT_LABEL = { saving: "saving", cost: "cost", "at-risk": "at risk", none: "" } as const;

/**
 * One flag: where (account, region, function), what, how sure, what to do, the money, and its evidence (numbers
 * and a small chart). `account`: shown when several accounts are read (null: one account, shown nowhere).
 */
export function FlagCard({
  flag,
  linkQuery,
  account = null,
}: {
  flag: FleetFlag;
  linkQuery: string;
  account?: { id: string; name: string | null } | null;
}) {
  const fnHref =
    flag.functionName === null
      ? null
      : functionHref({ account: flag.account, region: flag.region, name: flag.functionName }, linkQuery);
  const m = flag.monthlyImpact;
  return (
    <article
      data-rule={flag.ruleId}
      data-function={flag.functionName ?? ""}
      data-account={flag.account}
      data-region={flag.region}
      className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
    >
      <header className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <SeverityBadge severity={flag.severity} />
        {fnHref ? (
          <Link href={fnHref} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
            {flag.functionName}
            {flag.qualifier ? (
              <span className="font-mono text-xs text-zinc-500">:{flag.qualifier}</span>
            ) : null}
          </Link>
        ) : (
          <span className="font-medium">account</span>
        )}
        {account ? (
          <span className="font-mono text-xs text-zinc-500" data-testid="flag-account">
            {account.id}
            {account.name ? ` (${account.name})` : ""}
          </span>
        ) : null}
        <span className="font-mono text-xs text-zinc-500">{flag.region}</span>
        <span className="grow text-sm">{flag.title}</span>
        {m.kind !== "none" && m.amount !== 0 ? (
          <span
            className="text-sm font-semibold tabular-nums"
            title={m.lowerBound ? `${m.basis}; leaves out ${m.missing?.join(", ")}` : m.basis}
          >
            {m.lowerBound ? "at least " : ""}
            {formatUsd(Math.abs(m.amount))}/mo {IMPACT_LABEL[m.kind]}
          </span>
        ) : null}
      </header>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        {flag.recommendation.text}
        {flag.recommendation.action.kind === "open-errors" && flag.functionName !== null ? (
          <>
            {" "}
            <Link
              href={errorsHref(
                { account: flag.account, region: flag.region, fn: flag.functionName },
                linkQuery,
              )}
              className="text-sky-700 underline dark:text-sky-400"
              data-testid="flag-errors-link"
            >
              Open the Errors view
            </Link>
          </>
        ) : null}
      </p>
      {flag.merged?.length ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Also covers: {flag.merged.join(", ")}</p>
      ) : null}
      <EvidenceChart flag={flag} />
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {formatInteger(flag.evidence.invocationsSeen)} invocations,{" "}
        {formatDateTime(flag.evidence.window.start)} → {formatDateTime(flag.evidence.window.end)} · confidence{" "}
        {flag.confidence.level}: {flag.confidence.why}
        {m.kind !== "none" ? ` · ${m.basis}` : ""}
        {m.lowerBound ? ` (a lower bound: leaves out ${m.missing?.join(", ")})` : ""}
      </p>
    </article>
  );
}
