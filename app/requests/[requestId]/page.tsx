import type { Metadata } from "next";
import { lookupView, type LookupOutcome } from "@/app/lookup-view";
import { parseRequestParams, requestWindow } from "@/app/requests/search-params";
import { decodeSegment, parseTimeRange, resolveTimeRange, type SearchParams } from "@/app/search-params";
import { RequestViewPage } from "@/components/trace/request-view";
import { PageMessage } from "@/components/ui/notice";
import { env } from "@/lib/config/env";
import { findRequest } from "@/lib/data/traces/request-view";

interface Props {
  params: Promise<{ requestId: string }>;
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Request ${decodeSegment((await params).requestId).slice(0, 40)}` };
}

// Outside the component: the window is resolved against the clock once per request, not during render.
async function load(requestId: string, sp: SearchParams): Promise<LookupOutcome> {
  const p = parseRequestParams(sp, env().regions);
  const window = requestWindow(p, resolveTimeRange(parseTimeRange(sp), Date.now()));
  return lookupView(() => findRequest(requestId, { region: p.region, functionName: p.fn, ...window }));
}

export default async function RequestPage({ params, searchParams }: Props) {
  const requestId = decodeSegment((await params).requestId);
  const loaded = await load(requestId, await searchParams);
  if (loaded.ok) return <RequestViewPage view={loaded.view} />;
  return (
    <PageMessage
      code={loaded.code === "InvalidInput" ? "400 · Invalid request id" : "404 · Request not found"}
      title={loaded.code === "InvalidInput" ? "This is not a Lambda request id" : "Request not found"}
    >
      <p data-testid="lookup-message">{loaded.message}</p>
      {loaded.code === "NotFound" ? (
        <p>
          Widen the time range, or name the function (<code className="font-mono">?fn=</code>) to search its
          log group over a longer window.
        </p>
      ) : null}
    </PageMessage>
  );
}
