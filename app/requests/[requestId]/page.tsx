import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { reportLookup } from "@/app/lookup-failure";
import { lookupView, type LookupOutcome } from "@/app/lookup-view";
import { RequestViewPage } from "@/components/trace/request-view";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import { lookupAccount } from "@/app/traces/lookup-account";
import { findRequest } from "@/lib/data/traces/request-view";
import { loadRequestParams, requestWindow } from "@/lib/url/requests";
import { decodeSegment, loadRange, rangeWindow, type SearchParams } from "@/lib/url/shell";

interface Props {
  params: Promise<{ requestId: string }>;
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Request ${decodeSegment((await params).requestId).slice(0, 40)}` };
}

// Outside the component: the window is resolved against the clock once per request, not during render.
async function load(
  requestId: string,
  sp: SearchParams,
): Promise<LookupOutcome & { problems: string[]; accountName: string | null }> {
  const now = systemClock.now(); // the request's one instant
  const p = loadRequestParams(sp, env().regions);
  const window = requestWindow(p, rangeWindow(loadRange(sp, now).range, now));
  const account = await lookupAccount(p.account);
  const outcome = account.ok
    ? await lookupView(() =>
        findRequest(requestId, { account: account.target, region: p.region, functionName: p.fn, ...window }),
      )
    : account.failure;
  // A bad ?region= or ?at= was ignored: said under the heading (the page has no control to put it next to).
  return {
    ...outcome,
    problems: [p.problems.region, p.problems.at].filter((m) => m !== undefined),
    accountName: account.ok ? account.target.name : null,
  };
}

// No loading.tsx above this page: it must answer 404 before anything streams (not-found.tsx says why).
export default async function RequestPage({ params, searchParams }: Props) {
  try {
    const requestId = decodeSegment((await params).requestId);
    const loaded = await load(requestId, await searchParams);
    if (loaded.ok)
      return (
        <RequestViewPage view={loaded.view} accountName={loaded.accountName} problems={loaded.problems} />
      );
    // The 404 says the ignored parameter too: "not found" is often because the search looked elsewhere.
    reportLookup({ ...loaded, message: [loaded.message, ...loaded.problems].join(" ") });
    notFound();
  } finally {
    reportLookup(null);
  }
}
