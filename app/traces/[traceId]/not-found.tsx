import { lookupFailure } from "@/app/lookup-failure";
import { PageMessage } from "@/components/ui/notice";

export default async function TraceNotFound() {
  const failure = await lookupFailure();
  const invalid = failure?.code === "InvalidInput";
  return (
    <PageMessage
      code={invalid ? "404 · Invalid trace id" : "404 · Trace not found"}
      title={invalid ? "This is not an X-Ray trace id" : "Trace not found"}
    >
      <p data-testid="lookup-message">{failure?.message ?? "There is no trace at this address."}</p>
    </PageMessage>
  );
}
