import type { Metadata } from "next";
import { lookupView } from "@/app/lookup-view";
import { decodeSegment, first, type SearchParams } from "@/app/search-params";
import { RequestViewPage } from "@/components/trace/request-view";
import { PageMessage } from "@/components/ui/notice";
import { env } from "@/lib/config/env";
import { getRequestByTrace } from "@/lib/data/traces/request-view";

interface Props {
  params: Promise<{ traceId: string }>;
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Trace ${decodeSegment((await params).traceId).slice(0, 40)}` };
}

export default async function TracePage({ params, searchParams }: Props) {
  const traceId = decodeSegment((await params).traceId);
  const asked = first((await searchParams).region);
  const region = asked !== undefined && env().regions.includes(asked) ? asked : undefined;
  const loaded = await lookupView(() => getRequestByTrace(traceId, region ? { region } : {}));
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
