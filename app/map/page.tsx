import { Suspense } from "react";
import { AccountsUndecided } from "@/components/accounts/accounts-undecided";
import { fleetAccounts } from "@/lib/data/telemetry/fleet-scopes";
import { ServiceMapView } from "@/components/map/service-map-view";
import { Notice } from "@/components/ui/notice";
import { PageLoading } from "@/components/ui/page-loading";
import { Empty, Panel } from "@/components/ui/panel";
import { UrlProblem } from "@/components/shell/url-problem";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import type { AccountTarget } from "@/lib/core/accounts";
import { isFleetscopeError } from "@/lib/core/errors";
import { accountLabel } from "@/lib/data/accounts";
import { accountFromParam } from "@/lib/data/account-scopes";
import { CLIENT_TYPE, type ServiceEdge, type ServiceNode } from "@/lib/core/traces/service-graph";
import { getServiceMap, type ServiceMap } from "@/lib/data/traces/service-map";
import { loadMapParams, type MapParams } from "@/lib/url/map";
import { first } from "@/lib/url/params";
import {
  loadRange,
  rangeWindow,
  SHELL_KEYS,
  loadAccounts,
  shellQuery,
  showsAccounts,
  type SearchParams,
} from "@/lib/url/shell";
import { edgeTracesHref, nodeTracesHref } from "@/lib/url/traces";

export const metadata = { title: "Service map" };

const input =
  "rounded-md border border-zinc-200 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950";

type Props = { searchParams: Promise<SearchParams> };

export default function MapPage(props: Props) {
  return (
    <Suspense fallback={<PageLoading what="the service map" />}>
      <ServiceMapPage {...props} />
    </Suspense>
  );
}

async function load(
  sp: SearchParams,
  p: MapParams,
  /** The account when the URL names none: the first of the shell's selection (`accounts=`), else the default. */
  fallback: string | undefined,
): Promise<{ map: ServiceMap | null; account: AccountTarget | null; error: string | null }> {
  const now = systemClock.now(); // the request's one instant
  const range = rangeWindow(loadRange(sp, now).range, now);
  let account: AccountTarget | null = null;
  try {
    // A malformed or unread `account` is said in the map's panel, like any other reason it cannot be drawn.
    account = await accountFromParam(p.account ?? fallback);
    return {
      map: await getServiceMap({ account, region: p.region, functionName: p.functionName, ...range }),
      account,
      error: null,
    };
  } catch (e) {
    if (!isFleetscopeError(e)) throw e;
    return { map: null, account, error: e.message };
  }
}

async function ServiceMapPage({ searchParams }: Props) {
  const sp = await searchParams;
  const regions = env().regions;
  const p = loadMapParams(sp, regions);
  const { targets, error: accountsError } = await fleetAccounts();
  const shellPick = first(sp.accounts) !== undefined ? loadAccounts(sp, targets).accounts[0] : undefined;
  const { map, account, error } = await load(sp, p, shellPick);
  const where = { account: account?.id ?? p.account ?? "", region: p.region };

  // The traces a link opens cover the same range and account as the map.
  const shell = new URLSearchParams(shellQuery(sp));
  const nodeById = new Map((map?.graph.nodes ?? []).map((n) => [n.id, n]));
  const nodeHref = (n: ServiceNode) => (n.type === CLIENT_TYPE ? null : nodeTracesHref(n, where, shell));
  const edgeHref = (e: ServiceEdge) => {
    const from = nodeById.get(e.from);
    const to = nodeById.get(e.to);
    if (!from || !to) return "/traces";
    // X-Ray names no client, so edge() cannot select a call from one: its traces are those entering `to`.
    return from.type === CLIENT_TYPE
      ? nodeTracesHref(to, where, shell)
      : edgeTracesHref(from, to, where, shell);
  };

  return (
    <div className="space-y-4">
      <AccountsUndecided error={accountsError} />
      <h1 className="text-xl font-semibold">Service map</h1>
      <form
        method="get"
        action="/map"
        className="flex flex-wrap items-end gap-3 text-sm"
        aria-label="Choose a map"
      >
        {SHELL_KEYS.map((k) =>
          first(sp[k]) ? <input key={k} type="hidden" name={k} value={first(sp[k])} /> : null,
        )}
        {showsAccounts(targets) ? (
          <label className="flex flex-col text-xs text-zinc-500">
            Account
            <select name="account" defaultValue={account?.id ?? p.account} className={input}>
              {targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {accountLabel(t)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="flex flex-col text-xs text-zinc-500">
          Region
          <select
            name="region"
            defaultValue={p.region}
            className={input}
            aria-describedby={p.problems.region ? "map-region-problem" : undefined}
          >
            {regions.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <UrlProblem id="map-region-problem" message={p.problems.region ?? null} />
        </label>
        <label className="flex flex-col text-xs text-zinc-500">
          Function (empty: whole fleet)
          <input name="function" defaultValue={p.functionName ?? ""} className={input} autoComplete="off" />
        </label>
        <button type="submit" className="rounded-md border border-zinc-300 px-3 py-1 dark:border-zinc-700">
          Show
        </button>
      </form>

      <Panel
        title={`${p.functionName ? `${p.functionName} and its neighbours` : "Services"} in ${
          showsAccounts(targets) && account ? `account ${account.id}, ` : ""
        }${p.region}`}
        id="service-map"
      >
        {error ? (
          <Notice tone="error" title={`Service map unavailable: ${error}`} />
        ) : map && map.graph.nodes.length > 0 ? (
          <ServiceMapView
            graph={map.graph}
            layout={map.layout}
            windowMs={map.to - map.from}
            edgeHref={edgeHref}
            nodeHref={nodeHref}
          />
        ) : (
          <Empty>
            {p.functionName
              ? `X-Ray saw no traced call of ${p.functionName} in this range.`
              : "X-Ray saw no traced request in this range."}
          </Empty>
        )}
        {map ? (
          <p className="mt-3 text-xs text-zinc-500" data-testid="service-map-cost">
            {new Date(map.from).toISOString()} – {new Date(map.to).toISOString()} · {map.cost.total} AWS
            request
            {map.cost.total === 1 ? "" : "s"} (GetServiceGraph, read live)
            {map.linkedAccounts
              ? ` · read through the monitoring account: the graph also shows its linked accounts' services`
              : ""}
          </p>
        ) : null}
      </Panel>
    </div>
  );
}
