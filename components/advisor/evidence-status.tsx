/**
 * Where the Advisor's evidence came from: its freshness and coverage (the fleet panels' status line), what the
 * flags were judged on when the store covers less than asked, and what the run cost AWS: no request for the
 * telemetry when it comes from the store, only for the configuration the store does not hold.
 */
import { PanelStatusLine } from "@/components/fleet/panel-status";
import { epochMs } from "@/lib/core/units";
import {
  accountNames,
  awsRequestsOf,
  judgedLine,
  scopeLabel,
  type FleetAdvice,
} from "@/lib/data/advisor/summary";

export function EvidenceStatus({ advice }: { advice: FleetAdvice }) {
  const line = "text-xs tabular-nums text-zinc-500 dark:text-zinc-400";
  if (advice.source === "live")
    return (
      <p className={line} data-testid="evidence-source" data-source="live">
        Evidence read live from AWS for this run (metrics and Logs Insights over the whole window).
      </p>
    );
  const several = accountNames(advice).size > 1;
  const judged = advice.regions.flatMap((r) => {
    const text = r.evidence ? judgedLine(advice.window, r.evidence) : null;
    return text === null ? [] : [{ where: several ? scopeLabel(r) : r.region, text }];
  });
  const requests = awsRequestsOf(advice) ?? 0;
  return (
    <div className="space-y-0.5" data-testid="evidence-source" data-source="store">
      <PanelStatusLine
        status={{
          source: "store",
          now: epochMs(advice.generatedAt),
          coverage: advice.regions.flatMap((r) => r.evidence?.coverage ?? []),
        }}
      />
      {judged.map((j) => (
        <p key={j.where} className="text-xs text-amber-700 dark:text-amber-300" data-testid="judged-on">
          {j.where}: {j.text}; each flag&apos;s confidence follows the part judged.
        </p>
      ))}
      <p className={line} data-testid="view-cost" data-aws-requests={requests}>
        Evidence served from the collector&apos;s store: {requests} AWS requests for what the store does not
        hold (published versions&apos; runtimes, SQS queue settings, mappings or async settings not yet
        collected).
      </p>
    </div>
  );
}
