import Link from "next/link";
import { notFound } from "next/navigation";
import { PlanForm } from "@/components/traffic/plan-form";
import { VerdictBanner } from "@/components/traffic/verdict-banner";
import { VersionCharts } from "@/components/traffic/version-charts";
import { WeightEditor } from "@/components/traffic/weight-editor";
import { currentPrincipal } from "@/lib/auth/server";
import { isFleetscopeError } from "@/lib/core/errors";
import type { VersionColdStarts } from "@/lib/core/query/version-cold-starts";
import { describeRouting, weightToPercent } from "@/lib/core/traffic/routing";
import { versionCharts } from "@/lib/core/traffic/version-charts";
import { getAliasDetail } from "@/lib/data/traffic/aliases";
import { VERDICT_WINDOW_MINUTES } from "@/lib/data/traffic/alias-verdict";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";

export const metadata = { title: "Alias traffic" };

const pct = (n: number) => `${(n * 100).toFixed(2)}%`;

const coldStartCell = (c: VersionColdStarts | undefined) =>
  c === undefined ? "—" : c.rate === null ? "—" : `${c.coldStarts} (${pct(c.rate)})`;

export default async function AliasTrafficPage({
  params,
}: {
  params: Promise<{ region: string; name: string; alias: string }>;
}) {
  const { region, name, alias } = await params;
  const deps = defaultTrafficDeps();
  let detail;
  try {
    detail = await getAliasDetail(deps, region, decodeURIComponent(name), decodeURIComponent(alias));
  } catch (e) {
    if (isFleetscopeError(e) && (e.code === "NotFound" || e.code === "InvalidInput")) notFound();
    throw e;
  }
  const principal = await currentPrincipal();
  const canChange = !deps.readOnly && principal?.role === "operator";
  const disabledReason = deps.readOnly
    ? "Read-only mode: changes are disabled."
    : !principal
      ? "Sign in as an operator to change traffic."
      : principal.role !== "operator"
        ? `${principal.name} is a viewer: only operators may change traffic.`
        : detail.plan
          ? "A plan is driving this alias; abort it to change the routing by hand."
          : null;
  const a = detail.alias;
  const published = detail.versions.map((v) => v.version);
  // The newest change that took effect inside the window: its minutes mix the old split with the new one.
  const lastChange = detail.audit.find(
    (e) => e.outcome === "applied" && e.at >= detail.window.start && e.at <= detail.window.end,
  );
  const coldStarts = detail.coldStarts.ok
    ? new Map(detail.coldStarts.value.map((c) => [c.version, c]))
    : null;
  return (
    <div className="space-y-4">
      <div>
        <Link href="/traffic" className="text-sm text-sky-700 hover:underline">
          ← All aliases
        </Link>
        <h1 className="text-lg font-semibold">
          {detail.functionName}:{a.name} <span className="text-sm font-normal text-zinc-500">{region}</span>
        </h1>
        <p className="text-sm">
          Configured:{" "}
          <span data-testid="configured-routing" className="font-mono">
            {describeRouting({ primaryVersion: a.functionVersion, routing: a.routing })}
          </span>
          <span className="ml-3 text-zinc-500">revision {a.revisionId}</span>
        </p>
        {detail.split && detail.split.share !== null && (
          <p className="text-sm" data-testid="observed-split">
            Observed (last {VERDICT_WINDOW_MINUTES} min): {pct(detail.split.share)} on the additional version
            of {detail.split.total} invocations (95% range {pct(detail.split.low)}–{pct(detail.split.high)},
            confidence {detail.split.confidence}
            {detail.split.consistent ? ")" : ", not the configured weight)"}
            {!detail.split.consistent && (
              <span data-testid="split-lag" className="ml-1 text-zinc-600 dark:text-zinc-400">
                {lastChange
                  ? `— expected after the change at ${new Date(lastChange.at).toISOString().slice(11, 16)} UTC: a new weight applies from the next minute, and these ${VERDICT_WINDOW_MINUTES} minutes still mix the old split with the new one (CloudWatch also publishes a minute or two late). It converges as the window moves past the change.`
                  : `— a new weight applies from the next minute and CloudWatch publishes a minute or two late, so a change made in the last ${VERDICT_WINDOW_MINUTES} minutes (also from outside this console) shows as a mix of the old and new split until the window moves past it.`}
              </span>
            )}
          </p>
        )}
      </div>

      {detail.verdict ? (
        <VerdictBanner
          verdict={detail.verdict}
          windowMinutes={VERDICT_WINDOW_MINUTES}
          fromPlan={detail.plan !== null}
        />
      ) : (
        a.routing &&
        !detail.metrics.ok && (
          <p data-testid="verdict" data-health="unknown" className="text-sm text-amber-700">
            Canary verdict unavailable: the per-version metrics could not be read.
          </p>
        )
      )}

      <WeightEditor
        region={region}
        functionName={detail.functionName}
        alias={a.name}
        primaryVersion={a.functionVersion}
        additionalVersion={a.routing?.additionalVersion ?? null}
        weightPercent={a.routing ? weightToPercent(a.routing.weight) : 0}
        revisionId={a.revisionId}
        publishedVersions={published}
        aliasHasProvisionedConcurrency={detail.aliasHasProvisionedConcurrency}
        canChange={canChange && !detail.plan}
        disabledReason={disabledReason}
        verdict={
          detail.verdict
            ? {
                health: detail.verdict.health,
                summary: detail.verdict.summary,
                canaryVersion: detail.verdict.canary.version,
              }
            : null
        }
      />

      <PlanForm
        region={region}
        functionName={detail.functionName}
        alias={a.name}
        candidates={published.filter((v) => v !== a.functionVersion)}
        runningPlanId={detail.plan?.id ?? null}
        canChange={canChange}
      />

      {detail.recentPlans.length > 0 && (
        <section aria-label="Plans" className="text-sm">
          <h2 className="font-semibold">Plans</h2>
          <ul>
            {detail.recentPlans.map((p) => (
              <li key={p.id} data-plan-status={p.state.status}>
                {p.spec.shape.kind} v{p.spec.stableVersion}→v{p.spec.newVersion}:{" "}
                <strong>{p.state.status}</strong>
                {p.state.status === "running" && ` (step ${p.state.step + 1})`}
                {p.state.reason && ` — ${p.state.reason}`}
                {p.lastChecks && (
                  <span className="text-zinc-500">
                    {" "}
                    · {p.lastChecks.map((c) => `${c.guard} ${c.status}: ${c.detail}`).join("; ")}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-label="Per-version metrics" className="text-sm">
        <h2 className="font-semibold">Per version (ExecutedVersion, last 30 min)</h2>
        {detail.metrics.ok ? (
          <table className="text-left">
            <thead>
              <tr>
                <th className="pr-4">Version</th>
                <th className="pr-4">Invocations</th>
                <th className="pr-4">Error rate</th>
                <th className="pr-4">Throttles</th>
                <th className="pr-4">p50</th>
                <th className="pr-4">p99</th>
                <th title="From the function's REPORT lines: every invocation of the version, not only via this alias">
                  Cold starts
                </th>
              </tr>
            </thead>
            <tbody>
              {detail.metrics.value.map((m) => (
                <tr key={m.version} data-version={m.version}>
                  <td className="pr-4">v{m.version}</td>
                  <td className="pr-4">{m.invocations}</td>
                  <td className="pr-4">{m.invocations > 0 ? pct(m.errors / m.invocations) : "—"}</td>
                  <td className="pr-4">{m.throttles}</td>
                  <td className="pr-4">{m.p50 === null ? "—" : `${m.p50.toFixed(0)} ms`}</td>
                  <td className="pr-4">{m.p99 === null ? "—" : `${m.p99.toFixed(0)} ms`}</td>
                  <td data-testid="cold-starts">{coldStartCell(coldStarts?.get(m.version))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p role="alert">Metrics unavailable: {detail.metrics.error.message}</p>
        )}
        {!detail.coldStarts.ok && (
          <p className="text-amber-700">Cold starts unavailable: {detail.coldStarts.error.message}</p>
        )}
        {detail.metrics.ok && (
          <VersionCharts
            charts={versionCharts(a.functionVersion, detail.metrics.value)}
            start={detail.window.start}
            end={detail.window.end}
          />
        )}
      </section>

      <section aria-label="Audit log" className="text-sm">
        <h2 className="font-semibold">
          Changes{" "}
          <a
            className="ml-2 font-normal text-sky-700 underline"
            href={`/api/traffic/audit?format=csv&region=${region}&function=${detail.functionName}&alias=${a.name}`}
          >
            export CSV
          </a>
        </h2>
        <table className="text-left">
          <tbody>
            {detail.audit.map((e) => (
              <tr key={e.id} data-audit-action={e.action} data-audit-outcome={e.outcome}>
                <td className="pr-3">{new Date(e.at).toISOString()}</td>
                <td className="pr-3">{e.actor}</td>
                <td className="pr-3">{e.action}</td>
                <td className="pr-3 font-mono">
                  {e.before ? describeRouting(e.before) : ""} → {e.after ? describeRouting(e.after) : ""}
                </td>
                <td className="pr-3">{e.outcome}</td>
                <td className="pr-3">{e.reason}</td>
                <td className="text-zinc-500">{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
