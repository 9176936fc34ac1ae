import type { Metadata } from "next";
import { parseRequestParams, requestWindow } from "@/app/requests/search-params";
import { parseTimeRange, resolveTimeRange, type SearchParams } from "@/app/search-params";
import { RequestViewPage } from "@/components/trace/request-view";
import { PageMessage } from "@/components/ui/notice";
import { env } from "@/lib/config/env";
import { isFleetscopeError } from "@/lib/core/errors";
import { findRequest, type RequestView } from "@/lib/data/traces/request-view";

interface Props {
  params: Promise<{ requestId: string }>;
  searchParams: Promise<SearchParams>;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Request ${decode((await params).requestId).slice(0, 40)}` };
}

type Loaded =
  { ok: true; view: RequestView } | { ok: false; code: "InvalidInput" | "NotFound"; message: string };

async function load(requestId: string, sp: SearchParams): Promise<Loaded> {
  const p = parseRequestParams(sp, env().regions);
  const window = requestWindow(p, resolveTimeRange(parseTimeRange(sp), Date.now()));
  try {
    return {
      ok: true,
      view: await findRequest(requestId, { region: p.region, functionName: p.fn, ...window }),
    };
  } catch (e) {
    if (isFleetscopeError(e) && (e.code === "InvalidInput" || e.code === "NotFound")) {
      return { ok: false, code: e.code, message: e.message };
    }
    throw e;
  }
}

export default async function RequestPage({ params, searchParams }: Props) {
  const requestId = decode((await params).requestId);
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
