import Link from "next/link";
import { Tooltip } from "@/components/ui/tooltip";
import type { FlagBadgeSummary } from "@/lib/data/advisor/summary";
import { SeverityBadge } from "./severity-badge";

/** A function's advisor badge: its worst severity and flag count, the titles on hover; links to the Advisor. */
export function FunctionFlagBadge({
  summary,
  href = "/advisor",
}: {
  summary: FlagBadgeSummary | undefined;
  href?: string;
}) {
  if (!summary) return null;
  return (
    // The tooltip sits on the link (the one focusable element), so keyboard users get the titles too.
    <Tooltip content={summary.titles.join("\n")}>
      <Link
        href={href}
        aria-label={`${summary.count} advisor ${summary.count === 1 ? "flag" : "flags"}, worst ${summary.worst}`}
        className="ml-2 rounded outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
      >
        <SeverityBadge severity={summary.worst} count={summary.count} />
      </Link>
    </Tooltip>
  );
}
