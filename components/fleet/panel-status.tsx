/**
 * A panel's provenance line: how fresh its data is ("data to 19:02 UTC, 40 s ago") and, when the store covers
 * less of the range than it should by now, how much ("still collecting: covered 19 h of 24 h"), so a partial
 * number is never shown as whole.
 */
import { formatSpan } from "@/lib/core/format";
import { summarizeCoverage, type SourceCoverage } from "@/lib/core/rollup/coverage";
import type { PanelStatus } from "@/lib/data/telemetry/overview";
import type { ScopedCoverage } from "@/lib/data/telemetry/store-source";

const iso = (t: number) => new Date(t).toISOString();
/** `19:02 UTC` on the day of `now`, else `2026-11-22 19:02 UTC`. */
const utcTime = (t: number, now: number) =>
  iso(t).slice(0, 10) === iso(now).slice(0, 10)
    ? `${iso(t).slice(11, 16)} UTC`
    : `${iso(t).slice(0, 16).replace("T", " ")} UTC`;

const windowMs = (c: SourceCoverage) => c.window.to - c.window.from;

/** "us-east-1 metrics", or "111111111111 us-east-1 metrics" when several accounts are read. */
const whose = (c: ScopedCoverage, accounts: boolean) =>
  `${accounts && c.account ? `${c.account} ` : ""}${c.region} ${c.source}`;

function detail(c: ScopedCoverage, now: number, accounts: boolean): string {
  const who = whose(c, accounts);
  if (c.collected === null) return `${who}: nothing collected yet`;
  const parts = [`${who}: ${formatSpan(c.coveredMs)} of ${formatSpan(windowMs(c))}`];
  const notCollected = c.gaps.filter((g) => g.within === null && g.from < now);
  if (notCollected.length > 0)
    parts.push(
      `not collected ${notCollected.map((g) => `${utcTime(g.from, now)}–${utcTime(g.to, now)}`).join(", ")}`,
    );
  const coarse = c.gaps.filter((g) => g.within !== null);
  if (coarse.length > 0)
    parts.push(
      `${coarse.map((g) => formatSpan(g.to - g.from)).join(" + ")} at the edges kept only in ${
        (coarse[0]?.within ?? 60) / 60
      }-minute rows`,
    );
  return parts.join("; ");
}

export function PanelStatusLine({ status }: { status: PanelStatus }) {
  const line = "text-xs tabular-nums text-zinc-500 dark:text-zinc-400";
  if (status.source === "live")
    return (
      <p className={line} data-testid="freshness">
        read live from AWS
      </p>
    );
  const { now, coverage } = status;
  const s = summarizeCoverage(coverage, now);
  const accounts = new Set(coverage.map((c) => c.account)).size > 1;
  const sources = coverage
    .map((c) =>
      c.collected === null
        ? `${whose(c, accounts)}: nothing collected`
        : `${whose(c, accounts)}: ${utcTime(c.collected.from, now)} – ${utcTime(c.collected.to, now)}, written ${utcTime(c.collected.updatedAt, now)}`,
    )
    .join("\n");
  const worst = s.partial.reduce<SourceCoverage | null>(
    (w, c) => (w === null || c.coveredMs < w.coveredMs ? c : w),
    null,
  );
  return (
    <div className="space-y-0.5">
      <p className={line} data-testid="freshness" data-data-to={s.dataTo ?? undefined} title={sources}>
        {s.dataTo === null
          ? "nothing collected yet"
          : `data to ${utcTime(s.dataTo, now)}, ${formatSpan(now - s.dataTo)} ago`}
      </p>
      {worst === null ? null : (
        <p
          className="text-xs text-amber-700 dark:text-amber-300"
          data-testid="coverage"
          data-covered-ms={worst.coveredMs}
          data-window-ms={windowMs(worst)}
        >
          {worst.coveredMs === 0
            ? `Still collecting: none of these ${formatSpan(windowMs(worst))} collected yet`
            : `Still collecting: covered ${formatSpan(worst.coveredMs)} of ${formatSpan(windowMs(worst))}`}{" "}
          ({s.partial.map((c) => detail(c, now, accounts)).join(" · ")})
        </p>
      )}
    </div>
  );
}
