import Link from "next/link";
import { UrlProblem } from "@/components/shell/url-problem";
import { Notice } from "@/components/ui/notice";
import type { Severity } from "@/lib/core/advisor";
import {
  accountNames,
  groupFlags,
  notJudgedLines,
  savingByAccount,
  savingIsLowerBound,
  scopeLabel,
  totalMonthlySaving,
  type FleetAdvice,
  type FlagSort,
} from "@/lib/data/advisor/summary";
import { EvidenceStatus } from "./evidence-status";
import { FlagCard, formatUsd } from "./flag-card";
import { SeverityBadge } from "./severity-badge";

const SEVERITY_TITLE: Record<Severity, string> = {
  critical: "Critical",
  warning: "Warnings",
  info: "Information",
};

export interface AdvisorViewProps {
  advice: FleetAdvice;
  sort: FlagSort;
  days: number;
  /** The shell's query (regions, range) for links to function pages. */
  linkQuery: string;
  /** href with one setting changed. */
  hrefFor: (next: { sort?: FlagSort; days?: 1 | 3 | 7 | 14 }) => string;
  /** What was wrong with the URL's sort or days (lib/url/advisor), said next to that option. */
  problems?: { sort?: string; days?: string };
}

/**
 * Every flag of the fleet across the selected accounts and regions, grouped by severity and rule, with the total
 * saving and, when several accounts are read, each account's share and each flag's account.
 */
export function AdvisorView({ advice, sort, days, linkQuery, hrefFor, problems = {} }: AdvisorViewProps) {
  const groups = groupFlags(advice.flags, sort);
  const saving = totalMonthlySaving(advice.flags);
  const names = accountNames(advice);
  // One account: the page reads as before; the account shows only where it tells functions apart.
  const severalAccounts = names.size > 1;
  const where = (r: { account: string; region: string }) => (severalAccounts ? scopeLabel(r) : r.region);
  const regions = [...new Set(advice.regions.map((r) => r.region))];
  const option = (active: boolean) =>
    `rounded px-2 py-0.5 ${active ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-sky-700 hover:underline dark:text-sky-400"}`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold">Advisor</h1>
        <p className="text-sm">
          Potential savings{" "}
          <strong data-testid="total-saving" className="tabular-nums">
            {savingIsLowerBound(advice.flags) ? "at least " : ""}
            {formatUsd(saving)}/month
          </strong>{" "}
          · {advice.flags.length} flags in {regions.join(", ")}
          {severalAccounts ? ` of ${names.size} accounts` : ""}
        </p>
      </div>
      {severalAccounts ? (
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label="Potential savings per account">
          {savingByAccount(advice.flags).map((a) => (
            <li
              key={a.account}
              data-testid="account-saving"
              data-account={a.account}
              className="tabular-nums"
            >
              <span className="font-mono">{a.account}</span>
              {names.get(a.account) ? ` (${names.get(a.account)})` : ""}:{" "}
              <strong>
                {a.lowerBound ? "at least " : ""}
                {formatUsd(a.saving)}/month
              </strong>{" "}
              · {a.flags} flags
            </li>
          ))}
        </ul>
      ) : null}
      <EvidenceStatus advice={advice} />
      <nav aria-label="Advisor options" className="flex flex-wrap gap-4 text-sm">
        <span aria-describedby={problems.sort ? "advisor-sort-problem" : undefined}>
          Sort:{" "}
          {(["stake", "severity", "function"] as const).map((s) => (
            <Link
              key={s}
              href={hrefFor({ sort: s })}
              className={option(s === sort)}
              aria-current={s === sort}
            >
              {s === "stake" ? "money at stake" : s}
            </Link>
          ))}
          <UrlProblem id="advisor-sort-problem" message={problems.sort ?? null} />
        </span>
        <span aria-describedby={problems.days ? "advisor-days-problem" : undefined}>
          Look-back:{" "}
          {([1, 3, 7, 14] as const).map((d) => (
            <Link
              key={d}
              href={hrefFor({ days: d })}
              className={option(d === days)}
              aria-current={d === days}
            >
              {d} d
            </Link>
          ))}
          <UrlProblem id="advisor-days-problem" message={problems.days ?? null} />
        </span>
      </nav>
      {advice.regions
        .filter((r) => !r.advised || r.message || r.unjudged.length > 0)
        .map((r) => (
          <Notice
            key={scopeLabel(r)}
            tone={r.advised ? "warn" : "error"}
            title={`${where(r)}${severalAccounts && r.accountName ? ` (${r.accountName})` : ""}: ${
              r.advised ? "incomplete evidence" : "not advised"
            }`}
          >
            {r.message ? <p className="break-words font-mono text-xs">{r.message}</p> : null}
            {notJudgedLines(r.unjudged).map((line) => (
              <p key={line} className="break-words text-xs" data-testid="not-judged">
                {line}
              </p>
            ))}
          </Notice>
        ))}
      {groups.length === 0 ? (
        <Notice title="No flags: nothing over-provisioned or near a limit in this window." />
      ) : null}
      {groups.map((g) => (
        <section key={g.severity} aria-labelledby={`sev-${g.severity}`} className="space-y-3">
          <h2 id={`sev-${g.severity}`} className="flex items-center gap-2 text-base font-semibold">
            <SeverityBadge severity={g.severity} /> {SEVERITY_TITLE[g.severity]} ({g.count})
          </h2>
          {g.rules.map((r) => (
            <section key={r.ruleId} aria-label={`${g.severity} ${r.ruleId}`} className="space-y-2 pl-2">
              <h3 className="text-sm font-medium text-zinc-600 dark:text-zinc-300">
                {r.ruleId} · {r.flags.length}
                {r.stake > 0 ? ` · ${formatUsd(r.stake)}/month at stake` : ""}
              </h3>
              {r.flags.map((f) => (
                <FlagCard
                  key={`${f.account}/${f.region}/${f.functionName}/${f.qualifier ?? ""}/${f.ruleId}`}
                  flag={f}
                  linkQuery={linkQuery}
                  account={severalAccounts ? { id: f.account, name: names.get(f.account) ?? null } : null}
                />
              ))}
            </section>
          ))}
        </section>
      ))}
    </div>
  );
}
