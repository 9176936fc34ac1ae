import Link from "next/link";
import type { Flag } from "@/lib/core/advisor";
import { evidenceLine } from "@/lib/core/advisor/evidence-text";
import type { TimeWindow } from "@/lib/core/time/range";
import { formatDateTime } from "@/lib/core/format";
import { SeverityBadge } from "./severity-badge";
import { Tooltip } from "@/components/ui/tooltip";

/**
 * The function page's advisor badges, from the latest Advisor run of its account and region (never a new
 * collection: the page must not wait on the whole fleet). Each badge names the rule and links to the Advisor;
 * below them, each flag's title and its evidence in one readable line ("iterator age growth +48m 0s per hour ·
 * batch size 100"), so the numbers behind a flag are on the function's own page.
 */
export function FunctionFlags({
  latest,
  advisorHref,
}: {
  latest: { flags: Flag[]; window: TimeWindow } | null;
  advisorHref: string;
}) {
  if (latest === null) {
    return (
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Advisor: not run for this account and region yet.{" "}
        <Link href={advisorHref} className="text-sky-700 hover:underline dark:text-sky-400">
          Run the Advisor
        </Link>
      </p>
    );
  }
  return (
    <section aria-label="Advisor flags" className="space-y-1 text-xs">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-zinc-500 dark:text-zinc-400">
          Advisor ({formatDateTime(latest.window.start)} → {formatDateTime(latest.window.end)}):
        </span>
        {latest.flags.length === 0 ? <span>no flags</span> : null}
        {latest.flags.map((f) => (
          <Tooltip key={`${f.ruleId}/${f.qualifier ?? ""}`} content={`${f.title}\n${f.recommendation.text}`}>
            <Link
              href={advisorHref}
              className="inline-flex items-center gap-1 rounded outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
            >
              <SeverityBadge severity={f.severity} />
              <span>
                {f.ruleId}
                {f.qualifier ? `:${f.qualifier}` : ""}
              </span>
            </Link>
          </Tooltip>
        ))}
      </div>
      {latest.flags.length > 0 ? (
        <ul aria-label="Advisor evidence" className="space-y-0.5">
          {latest.flags.map((f) => (
            <li key={`${f.ruleId}/${f.qualifier ?? ""}`} data-rule={f.ruleId}>
              <span className="font-medium">{f.title}</span>
              <span className="text-zinc-500 dark:text-zinc-400"> — {evidenceLine(f)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
