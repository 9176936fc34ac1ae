import type { AliasVerdict } from "@/lib/core/traffic/verdict";
import { HealthBadge } from "./health-badge";

const FRAME: Record<AliasVerdict["health"], string> = {
  failing: "border-red-600 bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100",
  degraded: "border-amber-500 bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100",
  insufficient: "border-zinc-300 bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900",
  healthy: "border-emerald-500 bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100",
};

/** The canary's verdict, first thing on the alias page: words, colour and the comparison that decided it. */
export function VerdictBanner({
  verdict,
  windowMinutes,
  fromPlan,
}: {
  verdict: AliasVerdict;
  windowMinutes: number;
  fromPlan: boolean;
}) {
  const t = verdict.thresholds;
  return (
    <section
      aria-label="Canary verdict"
      data-testid="verdict"
      data-health={verdict.health}
      className={`space-y-1 rounded-lg border-2 p-3 text-sm ${FRAME[verdict.health]}`}
    >
      <p className="flex flex-wrap items-center gap-2 text-base">
        <HealthBadge health={verdict.health} />
        <span data-testid="verdict-summary" className="font-medium">
          {verdict.summary}
        </span>
      </p>
      <p data-testid="verdict-because">Decided by: {verdict.because}.</p>
      <p className="text-xs opacity-80">
        Last {windowMinutes} min, per executed version; 95 % Wilson intervals;{" "}
        {fromPlan ? "the running plan's" : "a plan's default"} guard thresholds: error rate at most +
        {(t.maxErrorRateIncrease * 100).toFixed(1)} points over the primary version
        {t.maxP99Ratio !== null ? `, p99 at most ×${t.maxP99Ratio}` : ""}, healthy only from{" "}
        {t.minInvocations} canary invocations.
      </p>
    </section>
  );
}
