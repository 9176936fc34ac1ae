import Link from "next/link";
import type { EvidenceNumber, Flag } from "@/lib/core/advisor";
import { microToUsd } from "@/lib/core/units";
import { formatDateTime } from "@/components/ui/format";
import { EvidenceChart } from "./evidence-chart";
import { SeverityBadge } from "./severity-badge";

export const formatUsd = (micro: number) =>
  `$${microToUsd(micro as never).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function formatEvidence(n: EvidenceNumber): string {
  switch (n.unit) {
    case "ratio":
      return `${(n.value * 100).toFixed(n.value < 0.1 ? 2 : 1)}%`;
    case "usd":
      return `$${n.value.toFixed(2)}`;
    case "ms":
      return `${n.value.toFixed(n.value < 10 ? 2 : 0)} ms`;
    case "bytes":
      return `${(n.value / 1024 / 1024).toFixed(1)} MiB`;
    case "count":
    case "concurrency":
      return Math.round(n.value).toLocaleString("en-US");
    default:
      return `${Number.isInteger(n.value) ? n.value : n.value.toFixed(1)} ${n.unit}`;
  }
}

const IMPACT_LABEL = { saving: "saving", cost: "cost", "at-risk": "at risk", none: "" } as const;

/** One flag: where, what, how sure, what to do, the money, and its evidence (numbers and a small chart). */
export function FlagCard({ flag, linkQuery }: { flag: Flag; linkQuery: string }) {
  const fnHref =
    flag.functionName === null
      ? null
      : `/functions/${encodeURIComponent(flag.region)}/${encodeURIComponent(flag.functionName)}${linkQuery}`;
  const m = flag.monthlyImpact;
  return (
    <article
      data-rule={flag.ruleId}
      data-function={flag.functionName ?? ""}
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
        <span className="font-mono text-xs text-zinc-500">{flag.region}</span>
        <span className="grow text-sm">{flag.title}</span>
        {m.kind !== "none" && m.amount !== 0 ? (
          <span className="text-sm font-semibold tabular-nums" title={m.basis}>
            {formatUsd(Math.abs(m.amount))}/mo {IMPACT_LABEL[m.kind]}
          </span>
        ) : null}
      </header>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">{flag.recommendation.text}</p>
      <div className="grid gap-3 md:grid-cols-2">
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-xs">
          {Object.entries(flag.evidence.numbers).map(([k, n]) => (
            <div key={k} className="contents">
              <dt className="text-zinc-500 dark:text-zinc-400">{k}</dt>
              <dd className="tabular-nums">{formatEvidence(n)}</dd>
            </div>
          ))}
        </dl>
        <EvidenceChart flag={flag} />
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {flag.evidence.invocationsSeen.toLocaleString("en-US")} invocations,{" "}
        {formatDateTime(flag.evidence.window.start)} → {formatDateTime(flag.evidence.window.end)} · confidence{" "}
        {flag.confidence.level}: {flag.confidence.why}
        {m.kind !== "none" ? ` · ${m.basis}` : ""}
      </p>
    </article>
  );
}
