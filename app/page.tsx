import Link from "next/link";
import { parseRegions, shellQuery, type SearchParams } from "@/app/search-params";
import { formatNumber } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";
import { RegionErrors } from "@/components/ui/region-errors";
import { env } from "@/lib/config/env";
import { listFleetFunctions } from "@/lib/data/functions";

const withParam = (query: string, key: string, value: string) => {
  const params = new URLSearchParams(query);
  params.set(key, value);
  return params.toString();
};

/** Fleet summary. The dashboards (invocations, errors, cold starts, cost) come in a later release. */
export default async function FleetPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const regions = parseRegions(sp, env().regions);
  const listing = await listFleetFunctions(regions);
  const failures = listing.regions.flatMap((r) =>
    r.outcome.ok ? [] : [{ region: r.region, error: r.outcome.error }],
  );

  const runtimes = new Map<string, number>();
  for (const f of listing.functions) {
    const key = f.runtime ?? "container image";
    runtimes.set(key, (runtimes.get(key) ?? 0) + 1);
  }
  const byRuntime = [...runtimes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

  return (
    <div className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h1 className="text-lg font-semibold">Fleet</h1>
        <Link
          href={`/functions${shellQuery(sp)}`}
          className="text-sm text-sky-700 hover:underline dark:text-sky-400"
        >
          All {formatNumber(listing.functions.length)} functions →
        </Link>
      </div>
      <RegionErrors failures={failures} />
      <div className="grid gap-4 md:grid-cols-2">
        <Panel title="Functions per region" id="per-region">
          <table className="w-full text-sm">
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {listing.regions.map((r) => (
                <tr key={r.region}>
                  <td className="py-1.5 font-mono">{r.region}</td>
                  <td className="py-1.5 text-right tabular-nums">
                    {r.outcome.ok
                      ? formatNumber(r.outcome.value.length)
                      : `unavailable (${r.outcome.error.code})`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
        <Panel title="Runtimes" id="runtimes">
          <table className="w-full text-sm">
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {byRuntime.map(([runtime, count]) => (
                <tr key={runtime}>
                  <td className="py-1.5">
                    <Link
                      href={`/functions?${withParam(shellQuery(sp), "q", runtime)}`}
                      className="hover:underline"
                    >
                      {runtime}
                    </Link>
                  </td>
                  <td className="py-1.5 text-right tabular-nums">{formatNumber(count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      </div>
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        Fleet dashboards (invocations, duration percentiles, errors, throttles, cold starts and cost over the
        selected range) are not built yet.
      </p>
    </div>
  );
}
