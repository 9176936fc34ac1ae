import type { Metadata } from "next";
import { first, type SearchParams } from "@/app/search-params";
import { RequestViewPage } from "@/components/trace/request-view";
import { PageMessage } from "@/components/ui/notice";
import { env } from "@/lib/config/env";
import { isFleetscopeError } from "@/lib/core/errors";
import { getRequestByTrace, type RequestView } from "@/lib/data/traces/request-view";

interface Props {
  params: Promise<{ traceId: string }>;
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
  return { title: `Trace ${decode((await params).traceId).slice(0, 40)}` };
}

type Loaded =
  { ok: true; view: RequestView } | { ok: false; code: "InvalidInput" | "NotFound"; message: string };

async function load(traceId: string, region: string | undefined): Promise<Loaded> {
  try {
    return { ok: true, view: await getRequestByTrace(traceId, region ? { region } : {}) };
  } catch (e) {
    if (isFleetscopeError(e) && (e.code === "InvalidInput" || e.code === "NotFound")) {
      return { ok: false, code: e.code, message: e.message };
    }
    throw e;
  }
}

export default async function TracePage({ params, searchParams }: Props) {
  const traceId = decode((await params).traceId);
  const asked = first((await searchParams).region);
  const region = asked !== undefined && env().regions.includes(asked) ? asked : undefined;
  const loaded = await load(traceId, region);
  if (loaded.ok) return <RequestViewPage view={loaded.view} />;
  return (
    <PageMessage
      code={loaded.code === "InvalidInput" ? "400 · Invalid trace id" : "404 · Trace not found"}
      title={loaded.code === "InvalidInput" ? "This is not an X-Ray trace id" : "Trace not found"}
    >
      <p data-testid="lookup-message">{loaded.message}</p>
    </PageMessage>
  );
}
