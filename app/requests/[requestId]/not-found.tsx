import { lookupFailure } from "@/app/lookup-failure";
import { PageMessage } from "@/components/ui/notice";

export default async function RequestNotFound() {
  const failure = await lookupFailure();
  const invalid = failure?.code === "InvalidInput";
  return (
    <PageMessage
      code={invalid ? "404 · Invalid request id" : "404 · Request not found"}
      title={invalid ? "This is not a Lambda request id" : "Request not found"}
    >
      <p data-testid="lookup-message">{failure?.message ?? "There is no request at this address."}</p>
      {invalid ? null : (
        <p>
          Widen the time range, or name the function (<code className="font-mono">?fn=</code>) to search its
          log group over a longer window.
        </p>
      )}
    </PageMessage>
  );
}
