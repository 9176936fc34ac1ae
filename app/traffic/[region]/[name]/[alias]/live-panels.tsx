/**
 * The alias page's live panels, each streamed in under its own Suspense boundary: the verdict, observed split
 * and per-version table and charts (from the per-version metrics), and the cold starts (Logs Insights, slower). A failing read
 * is said in its own panel; the rest of the page stands.
 */
import { VerdictBanner } from "@/components/traffic/verdict-banner";
import { VersionCharts } from "@/components/traffic/version-charts";
import type { Outcome } from "@/lib/core/errors";
import type { VersionColdStarts } from "@/lib/core/query/version-cold-starts";
import { versionCharts } from "@/lib/core/traffic/version-charts";
import type { AliasHead, AliasTelemetry } from "@/lib/data/traffic/aliases";
import { VERDICT_WINDOW_MINUTES } from "@/lib/data/traffic/alias-verdict";
import { loadFunctionMarkers } from "@/lib/data/telemetry/deploy-markers";

const pct = (n: number) => `${(n * 100).toFixed(2)}%`;
const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

export async function LivePanels({
  head,
  telemetry,
}: {
  head: AliasHead;
  telemetry: Promise<AliasTelemetry>;
}) {
  const t = await telemetry;
  const a = head.alias;
  // Store only: the function's versions, alias changes and configuration changes inside the charts' window.
  const markers = await loadFunctionMarkers(
    { account: head.account, region: head.region },
    head.functionName,
    t.window,
  );
  // The newest change that took effect inside the window: its minutes mix the old split with the new one.
  const lastChange = head.audit.find(
    (e) => e.outcome === "applied" && e.at >= t.window.start && e.at <= t.window.end,
  );
  return (
    <>
      {t.split && t.split.share !== null && (
        <p className="text-sm" data-testid="observed-split">
          Observed (last {VERDICT_WINDOW_MINUTES} min): {pct(t.split.share)} on the additional version of{" "}
          {t.split.total} invocations (95% range {pct(t.split.low)}–{pct(t.split.high)}, confidence{" "}
          {t.split.confidence}
          {t.split.consistent ? ")" : ", not the configured weight)"}
          {!t.split.consistent && (
            <span data-testid="split-lag" className="ml-1 text-zinc-600 dark:text-zinc-400">
              {lastChange
                ? `— expected after the change at ${hhmm(lastChange.at)} UTC: a new weight applies from the next minute, and these ${VERDICT_WINDOW_MINUTES} minutes still mix the old split with the new one (CloudWatch also publishes a minute or two late). It converges as the window moves past the change.`
                : `— a new weight applies from the next minute and CloudWatch publishes a minute or two late, so a change made in the last ${VERDICT_WINDOW_MINUTES} minutes (also from outside this console) shows as a mix of the old and new split until the window moves past it.`}
            </span>
          )}
        </p>
      )}

      {t.verdict ? (
        <VerdictBanner
          verdict={t.verdict}
          windowMinutes={VERDICT_WINDOW_MINUTES}
          fromPlan={head.plan !== null}
        />
      ) : (
        a.routing &&
        !t.metrics.ok && (
          <p data-testid="verdict" data-health="unknown" className="text-sm text-amber-700">
            Canary verdict unavailable: the per-version metrics could not be read ({t.metrics.error.message}).
          </p>
        )
      )}

      <section aria-label="Per-version metrics" className="text-sm">
        <h2 className="font-semibold">Per version (ExecutedVersion, last {VERDICT_WINDOW_MINUTES} min)</h2>
        {t.metrics.ok ? (
          <>
            <table className="text-left">
              <thead>
                <tr>
                  <th className="pr-4">Version</th>
                  <th className="pr-4">Invocations</th>
                  <th className="pr-4">Error rate</th>
                  <th className="pr-4">Throttles</th>
                  <th className="pr-4">p50</th>
                  <th className="pr-4">p99</th>
                </tr>
              </thead>
              <tbody>
                {t.metrics.value.map((m) => (
                  <tr key={m.version} data-version={m.version}>
                    <td className="pr-4">v{m.version}</td>
                    <td className="pr-4">{m.invocations}</td>
                    <td className="pr-4">{m.invocations > 0 ? pct(m.errors / m.invocations) : "—"}</td>
                    <td className="pr-4">{m.throttles}</td>
                    <td className="pr-4">{m.p50 === null ? "—" : `${m.p50.toFixed(0)} ms`}</td>
                    <td className="pr-4">{m.p99 === null ? "—" : `${m.p99.toFixed(0)} ms`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <VersionCharts
              charts={versionCharts(a.functionVersion, t.metrics.value)}
              start={t.window.start}
              end={t.window.end}
              markers={markers.ok ? markers.value : undefined}
            />
          </>
        ) : (
          <p role="alert" data-testid="metrics-unavailable">
            Metrics unavailable: {t.metrics.error.message}
          </p>
        )}
      </section>
    </>
  );
}

const coldStartCell = (c: VersionColdStarts) => (c.rate === null ? "—" : `${c.coldStarts} (${pct(c.rate)})`);

export async function ColdStartsPanel({ coldStarts }: { coldStarts: Promise<Outcome<VersionColdStarts[]>> }) {
  const c = await coldStarts;
  return (
    <section aria-label="Cold starts per version" className="text-sm">
      <h2
        className="font-semibold"
        title="From the function's REPORT lines: every invocation of the version, not only via this alias"
      >
        Cold starts per version (last {VERDICT_WINDOW_MINUTES} min, all invocations of the version)
      </h2>
      {c.ok ? (
        <table className="text-left">
          <tbody>
            {c.value.map((v) => (
              <tr key={v.version} data-version={v.version}>
                <td className="pr-4">v{v.version}</td>
                <td data-testid="cold-starts">{coldStartCell(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-amber-700" data-testid="cold-starts-unavailable">
          Cold starts unavailable: {c.error.message}
        </p>
      )}
    </section>
  );
}
