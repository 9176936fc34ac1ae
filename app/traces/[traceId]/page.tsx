import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { reportLookup } from "@/app/lookup-failure";
import { lookupView } from "@/app/lookup-view";
import { decodeSegment, first, type SearchParams } from "@/lib/url/params";
import { RequestViewPage } from "@/components/trace/request-view";
import { env } from "@/lib/config/env";
import { lookupAccount } from "../lookup-account";
import { getRequestByTrace } from "@/lib/data/traces/request-view";

interface Props {
  params: Promise<{ traceId: string }>;
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Trace ${decodeSegment((await params).traceId).slice(0, 40)}` };
}

// No loading.tsx above this page: it must answer 404 before anything streams (not-found.tsx says why).
export default async function TracePage({ params, searchParams }: Props) {
  try {
    const traceId = decodeSegment((await params).traceId);
    const sp = await searchParams;
    const asked = first(sp.region);
    const region = asked !== undefined && env().regions.includes(asked) ? asked : undefined;
    const account = await lookupAccount(first(sp.account));
    const loaded = account.ok
      ? await lookupView(() =>
          getRequestByTrace(traceId, { account: account.target, ...(region ? { region } : {}) }),
        )
      : account.failure;
    if (loaded.ok)
      return <RequestViewPage view={loaded.view} accountName={account.ok ? account.target.name : null} />;
    reportLookup(loaded);
    notFound();
  } finally {
    reportLookup(null);
  }
}
