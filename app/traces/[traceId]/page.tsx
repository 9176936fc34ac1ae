import { ComingSoon } from "@/components/ui/coming-soon";

export default async function TracePage({ params }: { params: Promise<{ traceId: string }> }) {
  const { traceId } = await params;
  return (
    <ComingSoon title="Trace">
      <p>
        The waterfall for trace <code className="font-mono">{decodeURIComponent(traceId)}</code> (segments,
        Initialization / Invocation / Overhead, downstream calls, errors) will appear here. This view is not
        built yet.
      </p>
    </ComingSoon>
  );
}
