import { ComingSoon } from "@/components/ui/coming-soon";

export default async function RequestPage({ params }: { params: Promise<{ requestId: string }> }) {
  const { requestId } = await params;
  return (
    <ComingSoon title="Request">
      <p>
        Request <code className="font-mono">{decodeURIComponent(requestId)}</code>: its log lines, whether it
        was a cold start, the version that served it, and its trace. This view is not built yet.
      </p>
    </ComingSoon>
  );
}
