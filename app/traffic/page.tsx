import Link from "next/link";
import { currentPrincipal } from "@/lib/auth/server";
import { describeRouting } from "@/lib/core/traffic/routing";
import { listAliasesFleetWide } from "@/lib/data/traffic/aliases";
import { defaultTrafficDeps } from "@/lib/data/traffic/default-deps";
import { plansStoppedForReadOnly } from "@/lib/data/traffic/runtime";

export const metadata = { title: "Traffic" };

export default async function TrafficPage() {
  const deps = defaultTrafficDeps();
  const [fleet, principal] = await Promise.all([listAliasesFleetWide(deps), currentPrincipal()]);
  const running = deps.store.plans.running();
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between">
        <h1 className="text-lg font-semibold">Traffic shifting</h1>
        <div className="flex items-center gap-3 text-sm">
          <span data-testid="principal">
            {principal ? `${principal.name} (${principal.role})` : "Not signed in (read-only)"}
            {deps.readOnly && " · read-only mode"}
          </span>
          {!principal && (
            <Link href="/login" className="text-sky-700 underline">
              Sign in
            </Link>
          )}
          <a href="/api/traffic/audit?format=csv" className="text-sky-700 underline">
            Audit log (CSV)
          </a>
          <a href="/api/traffic/audit" className="text-sky-700 underline">
            (JSON)
          </a>
        </div>
      </div>
      {deps.readOnly &&
        plansStoppedForReadOnly(deps.store).map((p) => (
          <p key={p.id} role="status" className="text-sm text-amber-800 dark:text-amber-300">
            Read-only mode: the {p.spec.shape.kind} plan on {p.spec.functionName}:{p.spec.alias} (
            {p.spec.region}) was stopped at start-up and its traffic sent back to v{p.spec.stableVersion} (see
            the audit log).
          </p>
        ))}
      {fleet.regions
        .filter((r) => !r.outcome.ok)
        .map((r) => (
          <p key={r.region} role="alert" className="text-sm text-red-700">
            {r.region}: {r.outcome.ok ? "" : r.outcome.error.message}
          </p>
        ))}
      <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="aliases-source">
        {fleet.sources
          .map((s) =>
            s.from === "aws"
              ? `${s.region}: read from AWS (the collector has not listed it yet)`
              : `${s.region}: from the collector's inventory, listed ${new Date(s.listedAt ?? 0).toISOString().slice(11, 16)} UTC` +
                (s.functionsPending > 0 ? `, aliases of ${s.functionsPending} functions not read yet` : ""),
          )
          .join(" · ")}
        . Each alias page reads its alias from AWS before any change.
      </p>
      <table aria-label="Aliases" className="w-full text-left text-sm">
        <thead>
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            <th className="py-1">Function</th>
            <th>Alias</th>
            <th>Region</th>
            <th>Routing</th>
            <th>Plan</th>
          </tr>
        </thead>
        <tbody>
          {fleet.rows.map((r) => {
            const plan = running.find(
              (p) =>
                p.spec.region === r.region &&
                p.spec.functionName === r.functionName &&
                p.spec.alias === r.alias.name,
            );
            return (
              <tr
                key={`${r.region}/${r.functionName}/${r.alias.name}`}
                data-alias={`${r.functionName}:${r.alias.name}`}
                className="border-b border-zinc-100 dark:border-zinc-900"
              >
                <td className="py-1">
                  <Link
                    href={`/traffic/${r.region}/${r.functionName}/${r.alias.name}`}
                    className="text-sky-700 hover:underline"
                  >
                    {r.functionName}
                  </Link>
                </td>
                <td>{r.alias.name}</td>
                <td>{r.region}</td>
                <td className="font-mono">
                  {describeRouting({ primaryVersion: r.alias.functionVersion, routing: r.alias.routing })}
                  {r.midShift && (
                    <span className="ml-2 rounded bg-amber-100 px-1 text-xs text-amber-800">mid-shift</span>
                  )}
                </td>
                <td>{plan ? `${plan.spec.shape.kind} → v${plan.spec.newVersion}` : ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
