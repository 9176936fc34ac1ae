import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { PlanForm } from "@/components/traffic/plan-form";
import { WeightEditor } from "@/components/traffic/weight-editor";
import { PageMessage } from "@/components/ui/notice";
import { PageLoading } from "@/components/ui/page-loading";
import { currentPrincipal } from "@/lib/auth/server";
import { isFleetscopeError } from "@/lib/core/errors";
import { describeRouting, weightToPercent } from "@/lib/core/traffic/routing";
import {
  aliasWindow,
  getAliasColdStarts,
  getAliasHead,
  getAliasTelemetry,
  type AliasHead,
} from "@/lib/data/traffic/aliases";
import { accountLabel } from "@/lib/data/accounts";
import { trafficAccount } from "@/lib/data/traffic/accounts";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import type { AccountTarget } from "@/lib/core/accounts";
import { decodeSegment, param, type SearchParams } from "@/lib/url/params";
import { ColdStartsPanel, LivePanels } from "./live-panels";

export const metadata = { title: "Alias traffic" };

const iso = (t: number) => new Date(t).toISOString().replace(".000Z", "Z");

/** Why the operator may not change this alias now; null when they may. */
function whyNoChange(
  head: AliasHead,
  regions: readonly string[],
  readOnly: boolean,
  principal: Awaited<ReturnType<typeof currentPrincipal>>,
): string | null {
  if (readOnly) return "Read-only mode: changes are disabled.";
  if (!regions.includes(head.region))
    return `${head.region} is not in FLEETSCOPE_REGIONS: changes there are refused (a running plan can still be aborted).`;
  if (!principal) return "Sign in as an operator to change traffic.";
  if (principal.role !== "operator")
    return `${principal.name} is a viewer: only operators may change traffic.`;
  if (head.stale) return "AWS did not answer: a change must be based on the alias as AWS has it now.";
  if (!head.controlPlane.ok)
    return `Changes are off until the versions can be read: ${head.controlPlane.error.message}`;
  if (head.plan) return "A plan is driving this alias; abort it to change the routing by hand.";
  return null;
}

export default async function AliasTrafficPage({
  params,
  searchParams,
}: {
  params: Promise<{ region: string; name: string; alias: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { region, name, alias } = await params;
  const deps = await defaultTrafficDeps();
  // Everything before the first Suspense boundary decides the status: an unknown alias (or account) answers 404.
  let head: AliasHead;
  let target: AccountTarget;
  try {
    // `?account=` absent: the default account, so links from before accounts keep meaning what they meant.
    target = trafficAccount(deps, param(await searchParams, "account"));
    head = await getAliasHead(
      deps,
      { account: target.id, region: decodeSegment(region) },
      decodeSegment(name),
      decodeSegment(alias),
    );
  } catch (e) {
    if (isFleetscopeError(e) && (e.code === "NotFound" || e.code === "InvalidInput")) notFound();
    if (!isFleetscopeError(e)) throw e;
    return (
      <PageMessage code={`${e.code} · AWS did not answer`} title="This alias cannot be read right now">
        <p>{e.message}</p>
        <p>
          The collector has not stored this alias yet, so there is nothing to show from the store either.{" "}
          <Link href="/traffic" className="text-sky-700 underline">
            All aliases
          </Link>
        </p>
      </PageMessage>
    );
  }
  const principal = await currentPrincipal();
  const disabledReason = whyNoChange(head, deps.regions, deps.readOnly, principal);
  const canChange = disabledReason === null;
  const a = head.alias;
  const configured = describeRouting({ primaryVersion: a.functionVersion, routing: a.routing });
  // Started now, awaited inside their boundaries: the page's frame streams first.
  const window = aliasWindow(deps);
  const telemetry = getAliasTelemetry(deps, head, window);
  const coldStarts = getAliasColdStarts(deps, head, window);
  const published = head.versions.map((v) => v.version);
  return (
    <div className="space-y-4">
      <div>
        <Link href="/traffic" className="text-sm text-sky-700 hover:underline">
          ← All aliases
        </Link>
        <h1 className="text-lg font-semibold">
          {head.functionName}:{a.name}{" "}
          <span className="text-sm font-normal text-zinc-500">{head.region}</span>
        </h1>
        <p className="text-sm text-zinc-500" data-testid="alias-account">
          Account {accountLabel(target)} · changes go through{" "}
          {head.roleArn ? <span className="font-mono">{head.roleArn}</span> : "the console's own credentials"}
        </p>
        <p className="text-sm">
          Configured:{" "}
          <span data-testid="configured-routing" className="font-mono">
            {configured}
          </span>
          <span className="ml-3 text-zinc-500">revision {a.revisionId}</span>
        </p>
        {head.stale && (
          <p role="alert" data-testid="alias-stale" className="text-sm text-amber-700 dark:text-amber-400">
            AWS did not answer ({head.stale.error.code}: {head.stale.error.message}). Shown as the collector
            last read it{head.stale.readAt !== null ? ` at ${iso(head.stale.readAt)}` : ""}; changes are off.
          </p>
        )}
        {!head.stale && !head.controlPlane.ok && (
          <p role="alert" data-testid="versions-unavailable" className="text-sm text-amber-700">
            Versions unavailable: {head.controlPlane.error.message}
          </p>
        )}
      </div>

      {/* Keyed by revision: after a change, router.refresh() shows the new routing at once and these panels
          load again behind their fallback, instead of the whole refresh waiting for the metrics. */}
      <Suspense
        key={a.revisionId}
        fallback={<PageLoading what="the canary verdict and per-version metrics" />}
      >
        <LivePanels head={head} telemetry={telemetry} />
      </Suspense>

      <WeightEditor
        account={head.account}
        region={head.region}
        functionName={head.functionName}
        alias={a.name}
        primaryVersion={a.functionVersion}
        additionalVersion={a.routing?.additionalVersion ?? null}
        weightPercent={a.routing ? weightToPercent(a.routing.weight) : 0}
        revisionId={a.revisionId}
        configured={configured}
        publishedVersions={published}
        aliasHasProvisionedConcurrency={head.aliasHasProvisionedConcurrency ?? false}
        canChange={canChange}
        disabledReason={disabledReason}
        verdict={telemetry.then((t) =>
          t.verdict
            ? {
                health: t.verdict.health,
                summary: t.verdict.summary,
                canaryVersion: t.verdict.canary.version,
              }
            : null,
        )}
      />

      <Suspense key={`cold-${a.revisionId}`} fallback={<PageLoading what="cold starts" />}>
        <ColdStartsPanel coldStarts={coldStarts} />
      </Suspense>

      <PlanForm
        account={head.account}
        region={head.region}
        functionName={head.functionName}
        alias={a.name}
        candidates={published.filter((v) => v !== a.functionVersion)}
        stableVersion={head.plan?.spec.stableVersion ?? a.functionVersion}
        configured={configured}
        revisionId={a.revisionId}
        runningPlanId={head.plan?.id ?? null}
        // Abort stays possible with a plan running even when a hand change is not.
        canChange={head.plan ? principal?.role === "operator" && !deps.readOnly : canChange}
      />

      {head.recentPlans.length > 0 && (
        <section aria-label="Plans" className="text-sm">
          <h2 className="font-semibold">Plans</h2>
          <ul>
            {head.recentPlans.map((p) => (
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

      <section aria-label="Audit log" className="text-sm">
        <h2 className="font-semibold">
          Changes{" "}
          <a
            className="ml-2 font-normal text-sky-700 underline"
            href={`/api/traffic/audit?format=csv&account=${head.account}&region=${encodeURIComponent(head.region)}&function=${encodeURIComponent(head.functionName)}&alias=${encodeURIComponent(a.name)}`}
          >
            export CSV
          </a>
        </h2>
        <table className="text-left">
          <tbody>
            {head.audit.map((e) => (
              <tr key={e.id} data-audit-action={e.action} data-audit-outcome={e.outcome}>
                <td className="pr-3">{new Date(e.at).toISOString()}</td>
                <td className="pr-3">{e.actor}</td>
                <td className="pr-3" data-testid="audit-account">
                  {e.account}
                  {e.roleArn && <span className="block font-mono text-xs text-zinc-500">{e.roleArn}</span>}
                </td>
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
